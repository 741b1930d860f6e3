/**
 * Training (docs/method.md; the recipe: docs/recipes.md): Adam with bias correction,
 * learning-rate schedules, global-norm clipping, rejected overflowing steps, deterministic
 * parallel gradients, the Levenberg-Marquardt polish, the tail check, and the recipe that
 * chooses among candidates (Training).
 */
package org.linearicl.core.train;
