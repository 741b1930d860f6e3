package org.linearicl.baselines;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The ridge-regression family of docs/method.md (evaluation and baselines). */
public final class RidgePredictors {
  private RidgePredictors() {}

  /** Ridge with the true sigma: lambda = sigma_tau^2 (the oracle of docs/method.md). */
  public static Predictor oracle() {
    return new Ridge("oracle", (b, s) -> b.sigma[s] * b.sigma[s], Map.of());
  }

  /** ConstRR: one lambda for every sequence. */
  public static Predictor constant(double lambda) {
    requireNonNegative("const_rr lambda", lambda);
    return new Ridge("const_rr", (b, s) -> lambda, Map.of("lambda", lambda));
  }

  /** AdaRR: lambda = sigma_est^2, the OLS noise estimate RSS / (n - d). */
  public static Predictor adaptive() {
    return new Ridge("ada_rr", SpectralBatch::olsNoiseVariance, Map.of());
  }

  /** TunedRR: lambda = c * min(sigma_est^2, t), with the factor c and threshold t tuned. */
  public static Predictor tuned(double c, double t) {
    requireNonNegative("tuned_rr factor c", c);
    requireNonNegative("tuned_rr threshold t", t);
    return new Ridge("tuned_rr", (b, s) -> c * Math.min(b.olsNoiseVariance(s), t),
        Map.of("c", c, "t", t));
  }

  /** The ridge lambda a member of the family uses for sequence {@code s}. */
  private interface Lambda {
    double of(SpectralBatch b, int s);
  }

  /** A member of the family: ridge regression with its own lambda per sequence. */
  private record Ridge(String name, Lambda lambda, Map<String, Double> fixed)
      implements Predictor {
    @Override
    public double predict(SpectralBatch b, int s) {
      return b.ridge(s, lambda.of(b, s));
    }

    @Override
    public SortedMap<String, Double> parameters() {
      return new TreeMap<>(fixed);
    }
  }

  static void requireNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
    }
  }
}
