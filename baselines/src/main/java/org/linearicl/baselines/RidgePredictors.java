package org.linearicl.baselines;

import java.util.SortedMap;
import java.util.TreeMap;

/** The ridge-regression family of docs/method.md (evaluation and baselines). */
public final class RidgePredictors {
  private RidgePredictors() {}

  /** Ridge with the true sigma: lambda = sigma_tau^2 (the oracle of docs/method.md). */
  public static Predictor oracle() {
    return new Predictor() {
      @Override
      public String name() {
        return "oracle";
      }

      @Override
      public double predict(SpectralBatch b, int s) {
        return b.ridge(s, b.sigma[s] * b.sigma[s]);
      }
    };
  }

  /** ConstRR: one lambda for every sequence. */
  public static Predictor constant(double lambda) {
    requireNonNegative("const_rr lambda", lambda);
    return new Predictor() {
      @Override
      public String name() {
        return "const_rr";
      }

      @Override
      public double predict(SpectralBatch b, int s) {
        return b.ridge(s, lambda);
      }

      @Override
      public SortedMap<String, Double> parameters() {
        return new TreeMap<>(java.util.Map.of("lambda", lambda));
      }
    };
  }

  /** AdaRR: lambda = sigma_est^2, the OLS noise estimate RSS / (n - d). */
  public static Predictor adaptive() {
    return new Predictor() {
      @Override
      public String name() {
        return "ada_rr";
      }

      @Override
      public double predict(SpectralBatch b, int s) {
        return b.ridge(s, b.olsNoiseVariance(s));
      }
    };
  }

  /** TunedRR: lambda = c * min(sigma_est^2, t), with the factor c and threshold t tuned. */
  public static Predictor tuned(double c, double t) {
    requireNonNegative("tuned_rr factor c", c);
    requireNonNegative("tuned_rr threshold t", t);
    return new Predictor() {
      @Override
      public String name() {
        return "tuned_rr";
      }

      @Override
      public double predict(SpectralBatch b, int s) {
        return b.ridge(s, c * Math.min(b.olsNoiseVariance(s), t));
      }

      @Override
      public SortedMap<String, Double> parameters() {
        return new TreeMap<>(java.util.Map.of("c", c, "t", t));
      }
    };
  }

  static void requireNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
    }
  }
}
