package org.linearicl.core.train;

/** Training produced a non-finite or exploding loss; no model from it may be used. */
public final class TrainingDivergedException extends RuntimeException {
  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The 1-based step at which the run was stopped. */
  public long step() {
    return step;
  }
}
