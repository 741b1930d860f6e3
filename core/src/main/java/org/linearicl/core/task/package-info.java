/**
 * The in-context regression task (docs/method.md, the task): noise distributions, task sizes,
 * seeded sampling of sequence batches, and the oracle ridge predictor that defines the adjusted
 * loss (docs/method.md, evaluation and baselines).
 */
package org.linearicl.core.task;
