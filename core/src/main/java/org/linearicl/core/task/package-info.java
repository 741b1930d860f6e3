/**
 * The in-context regression task (SPEC 1): noise distributions, task sizes, seeded sampling of
 * sequence batches, and the oracle ridge predictor that defines the adjusted loss (SPEC 4).
 */
package org.linearicl.core.task;
