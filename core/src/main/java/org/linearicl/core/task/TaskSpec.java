package org.linearicl.core.task;

import java.util.Objects;

/**
 * One in-context regression task family (docs/method.md, the task): {@code d} features, {@code n}
 * context examples, and the distribution of the per-sequence noise level.
 */
public record TaskSpec(int d, int n, NoiseDistribution noise) {
  /** The paper's sizes: d = 10, n = 20. */
  public static final int PAPER_D = 10;

  public static final int PAPER_N = 20;

  public TaskSpec {
    if (d < 1) {
      throw new IllegalArgumentException("d (features) must be >= 1, got " + d);
    }
    if (n < 1) {
      throw new IllegalArgumentException("n (context examples) must be >= 1, got " + n);
    }
    Objects.requireNonNull(noise, "noise");
  }

  /** The paper's d = 10, n = 20 with the given noise. */
  public static TaskSpec paper(NoiseDistribution noise) {
    return new TaskSpec(PAPER_D, PAPER_N, noise);
  }
}
