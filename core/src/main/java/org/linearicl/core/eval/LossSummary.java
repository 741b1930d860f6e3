package org.linearicl.core.eval;

/**
 * A mean over sequences with its standard error: {@code mean = (1/N) sum_i v_i},
 * {@code standardError = sqrt(sum_i (v_i - mean)^2 / (N (N - 1)))}.
 */
public record LossSummary(double mean, double standardError, long count) {
  public LossSummary {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
  }

  /** Summarises values[0..count) in index order (a fixed order: the result is deterministic). */
  public static LossSummary of(double[] values) {
    int count = values.length;
    if (count < 1) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double sum = 0.0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / count;
    double squares = 0.0;
    for (double v : values) {
      double dev = v - mean;
      squares += dev * dev;
    }
    double se = count > 1 ? Math.sqrt(squares / ((double) count * (count - 1))) : Double.NaN;
    return new LossSummary(mean, se, count);
  }
}
