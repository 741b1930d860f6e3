package org.linearicl.core.train;

/**
 * Receives training progress; core knows no logging, so the caller decides where it goes.
 * Called from the training thread; must be cheap.
 */
@FunctionalInterface
public interface TrainingListener {
  /** Called at most about every {@link Trainer#PROGRESS_SECONDS} seconds and at the last step. */
  void onProgress(TrainingProgress progress);

  /**
   * Called after every optimiser step with the parameters it produced ({@code step} counts from
   * 1). The array is the trainer's own: read it, never keep or change it. Whatever this costs is
   * training time unless the caller subtracts it (the recipe study evaluates snapshots here).
   */
  default void afterStep(long step, double[] params) {}

  /** A listener that ignores everything. */
  TrainingListener NONE = p -> {};
}
