package org.linearicl.core.train;

/**
 * The outcome of an Adam run ({@link Trainer}).
 *
 * @param params the final parameters (layout of {@link TrainingConfig#shape()})
 * @param curve the training loss over time
 * @param seconds wall time of the run
 * @param takenSteps Adam updates applied
 * @param rejectedSteps steps undone because the next batch's loss or gradient overflowed
 */
public record TrainingResult(double[] params, TrainingCurve curve, double seconds,
    long takenSteps, long rejectedSteps) {
  public TrainingResult {
    params = params.clone();
  }

  @Override
  public double[] params() {
    return params.clone();
  }
}
