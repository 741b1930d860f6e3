/**
 * Measurements outside the pipeline: the training-recipe study (adjusted loss against wall time,
 * issue 6), whose times depend on the machine and so are never cached as artifacts.
 */
package org.linearicl.experiments.study;
