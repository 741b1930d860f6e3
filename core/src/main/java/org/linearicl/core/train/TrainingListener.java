package org.linearicl.core.train;

/**
 * Receives training progress; core knows no logging, so the caller decides where it goes.
 * Called from the training thread; must be cheap.
 */
@FunctionalInterface
public interface TrainingListener {
  /** Called at most about every {@link Trainer#PROGRESS_SECONDS} seconds and at the last step. */
  void onProgress(TrainingProgress progress);

  /** A listener that ignores everything. */
  TrainingListener NONE = p -> {};
}
