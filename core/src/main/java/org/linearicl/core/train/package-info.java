/**
 * Training (docs/method.md; the recipe: docs/recipes.md): Adam with bias correction, learning-rate
 * schedules, global-norm clipping, divergence detection, deterministic parallel gradients, and
 * evaluation against the oracle.
 */
package org.linearicl.core.train;
