package org.linearicl.core.train;

/**
 * The outcome of a training run.
 *
 * @param params the final parameters (layout of {@link TrainingConfig#shape()})
 * @param curve the training loss over time
 * @param seconds wall time of the run
 * @param skippedSteps steps without an update because their batch loss or gradient was not
 *     finite ({@link DivergenceMonitor})
 */
public record TrainingResult(double[] params, TrainingCurve curve, double seconds,
    long skippedSteps) {
  public TrainingResult {
    params = params.clone();
  }

  @Override
  public double[] params() {
    return params.clone();
  }
}
