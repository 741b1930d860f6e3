/**
 * Training (docs/method.md; the recipe: docs/recipes.md): Adam with bias correction,
 * learning-rate schedules, global-norm clipping, rejected overflowing steps and deterministic
 * parallel gradients (AdamTrainer: one Adam run), the Levenberg-Marquardt polish, the tail check,
 * and the recipe that chooses among candidates (Training: the whole run). TrainingConfig holds a
 * run's settings, TrainingParam defines each setting's name, default and check once.
 */
package org.linearicl.core.train;
