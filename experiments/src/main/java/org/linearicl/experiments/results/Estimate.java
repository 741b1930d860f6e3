package org.linearicl.experiments.results;

import org.linearicl.core.eval.LossSummary;

/** A mean with its standard error and the number of values behind it. */
public record Estimate(double mean, double se, long count) {
  public static Estimate of(LossSummary s) {
    return new Estimate(s.mean(), s.standardError(), s.count());
  }

  /**
   * The mean of {@code values} (in index order) and its standard error, {@code sd / sqrt(k)};
   * NaN standard error for a single value.
   */
  public static Estimate over(double[] values) {
    return of(LossSummary.of(values));
  }
}
