package org.linearicl.core.train;

/**
 * The training loss over steps: {@code loss[i]} is the mean batch loss of the steps after
 * {@code step[i-1]} up to and including {@code step[i]}. No wall times: a curve is part of a
 * checkpoint, whose bytes must be the same on every run (times go to the run's provenance).
 */
public record TrainingCurve(long[] step, double[] loss) {
  /** No steps (a model that was not trained with Adam). */
  public static final TrainingCurve EMPTY = new TrainingCurve(new long[0], new double[0]);

  public TrainingCurve {
    if (step.length != loss.length) {
      throw new IllegalArgumentException("curve steps (" + step.length + ") and losses ("
          + loss.length + ") must have one length");
    }
    step = step.clone();
    loss = loss.clone();
  }

  @Override
  public long[] step() {
    return step.clone();
  }

  @Override
  public double[] loss() {
    return loss.clone();
  }

  public int size() {
    return step.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingCurve c && java.util.Arrays.equals(step, c.step)
        && java.util.Arrays.equals(loss, c.loss);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(step) + java.util.Arrays.hashCode(loss);
  }
}
