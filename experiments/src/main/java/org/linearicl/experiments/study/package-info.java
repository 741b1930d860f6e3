/**
 * Measurements outside the pipeline: the training-recipe study (adjusted loss against wall time,
 * docs/recipes.md), whose times depend on the machine and so are never cached as artifacts.
 */
package org.linearicl.experiments.study;
