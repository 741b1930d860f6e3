package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.TaskSpec;

/**
 * Everything that determines a training run (the recipe of SPEC 3 as named parameters); two runs
 * with equal configs produce bit-identical parameters, whatever the thread count.
 *
 * @param variant FULL, DIAG or GD++
 * @param layers number of layers L >= 1
 * @param heads heads per layer H >= 1
 * @param task d, n and the noise distribution of the training sequences
 * @param seed root seed of the training-batch and initialisation streams
 * @param steps optimiser steps
 * @param batchSize fresh sequences per step
 * @param adam Adam's base learning rate and betas
 * @param schedule learning-rate multiplier per step
 * @param clipNorm global gradient-norm clip (0 = none)
 * @param initStd standard deviation of the N(0, initStd^2) initialisation of every parameter
 * @param divergenceFactor the run stops as diverged when the median batch loss of the last
 *     {@link Trainer#DIVERGENCE_WINDOW} steps exceeds this many times the first step's loss, or
 *     at once when a loss or gradient is not finite ({@link DivergenceMonitor})
 * @param curveEvery record the mean training loss every this many steps
 */
public record TrainingConfig(
    Variant variant,
    int layers,
    int heads,
    TaskSpec task,
    long seed,
    long steps,
    int batchSize,
    AdamConfig adam,
    Schedule schedule,
    double clipNorm,
    double initStd,
    double divergenceFactor,
    int curveEvery) {

  public TrainingConfig {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(adam, "adam");
    Objects.requireNonNull(schedule, "schedule");
    new ModelShape(variant, layers, heads, task.d()); // validates layers and heads
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be finite and >= 0 (0 = off), got "
          + clipNorm);
    }
    if (!(initStd >= 0) || Double.isInfinite(initStd)) {
      throw new IllegalArgumentException("init std must be finite and >= 0, got " + initStd);
    }
    if (!(divergenceFactor > 1)) {
      throw new IllegalArgumentException("divergence factor must be > 1, got "
          + divergenceFactor);
    }
    if (curveEvery < 1) {
      throw new IllegalArgumentException("curve interval must be >= 1, got " + curveEvery);
    }
  }

  /** The model architecture this config trains. */
  public ModelShape shape() {
    return new ModelShape(variant, layers, heads, task.d());
  }
}
