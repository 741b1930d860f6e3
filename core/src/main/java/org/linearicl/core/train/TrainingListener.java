package org.linearicl.core.train;

/**
 * Told what training does; core knows no logging, so the caller decides where it goes. A run of
 * {@link Training} calls every method; an {@link AdamTrainer} run on its own calls only
 * {@link #onProgress} and {@link #afterStep}. Called from the training thread; must be cheap.
 */
public interface TrainingListener {
  /**
   * Called during an Adam run at most about every {@link AdamTrainer#PROGRESS_SECONDS} seconds
   * and at its last step.
   */
  default void onProgress(TrainingProgress progress) {}

  /**
   * Called after every optimiser step with the parameters it produced ({@code step} counts from
   * 1). The array is the trainer's own: read it, never keep or change it. Whatever this costs is
   * training time unless the caller subtracts it (the recipe study evaluates snapshots here).
   */
  default void afterStep(long step, double[] params) {}

  /** A phase of {@link Training} starts or ends, in one line. */
  default void message(String text) {}

  /**
   * Wall seconds just spent in {@code phase} (one of {@link Training#ADAM},
   * {@link Training#POLISH}, {@link Training#VALIDATION}, {@link Training#OFF_RANGE_CHECK},
   * {@link Training#TAIL_CHECK}, {@link Training#REPAIR}); called once per piece of work, so a phase's time is the sum of its
   * calls. Times never reach the outcome.
   */
  default void phase(String phase, double seconds) {}

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};
}
