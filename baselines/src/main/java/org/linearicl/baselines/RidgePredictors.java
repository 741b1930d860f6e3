package org.linearicl.baselines;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ridge-regression family of docs/method.md (evaluation and baselines); each member's name
 * is its {@link PredictorId#id()}.
 */
public final class RidgePredictors {
  private RidgePredictors() {}

  /** Ridge with the true sigma: lambda = sigma_tau^2 (the oracle of docs/method.md). */
  public static Predictor oracle() {
    return new Ridge(PredictorId.ORACLE, (b, s) -> b.sigma[s] * b.sigma[s], Map.of());
  }

  /** ConstRR: one lambda for every sequence. */
  public static Predictor constant(double lambda) {
    requireNonNegative(PredictorId.CONST_RR.id() + " lambda", lambda);
    return new Ridge(PredictorId.CONST_RR, (b, s) -> lambda, Map.of("lambda", lambda));
  }

  /** AdaRR: lambda = sigma_est^2, the OLS noise estimate RSS / (n - d). */
  public static Predictor adaptive() {
    return new Ridge(PredictorId.ADA_RR, SpectralBatch::olsNoiseVariance, Map.of());
  }

  /** TunedRR: lambda = c * min(sigma_est^2, t), with the factor c and threshold t tuned. */
  public static Predictor tuned(double c, double t) {
    requireNonNegative(PredictorId.TUNED_RR.id() + " factor c", c);
    requireNonNegative(PredictorId.TUNED_RR.id() + " threshold t", t);
    return new Ridge(PredictorId.TUNED_RR, (b, s) -> c * Math.min(b.olsNoiseVariance(s), t),
        Map.of("c", c, "t", t));
  }

  /** The ridge lambda a member of the family uses for sequence {@code s}. */
  private interface Lambda {
    double of(SpectralBatch b, int s);
  }

  /** A member of the family: ridge regression with its own lambda per sequence. */
  private record Ridge(PredictorId id, Lambda lambda, Map<String, Double> fixed)
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
