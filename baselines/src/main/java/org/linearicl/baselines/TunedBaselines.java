package org.linearicl.baselines;

import java.util.Objects;
import org.linearicl.core.task.NoiseDistribution;

/**
 * The tuned parameters of the baselines for one noise distribution.
 *
 * @param constLambda ConstRR's lambda
 * @param tunedFactor TunedRR's factor c in lambda = c * min(sigma_est^2, t)
 * @param tunedThreshold TunedRR's threshold t
 * @param gdEta the GD estimator's step size for K = 1, 2, ... (index K - 1)
 * @param tuneSamples sequences used for tuning
 * @param tuneSeed seed of the tuning sequences (stream TUNING)
 */
public record TunedBaselines(NoiseDistribution noise, double constLambda, double tunedFactor,
    double tunedThreshold, double[] gdEta, int tuneSamples, long tuneSeed) {
  public TunedBaselines {
    Objects.requireNonNull(noise, "noise");
    gdEta = gdEta.clone();
  }

  @Override
  public double[] gdEta() {
    return gdEta.clone();
  }

  /** The GD estimator with K steps and its tuned step size. */
  public GradientDescentEstimator gd(int k) {
    if (k < 1 || k > gdEta.length) {
      throw new IllegalArgumentException("gd K must be in [1, " + gdEta.length + "], got " + k);
    }
    return new GradientDescentEstimator(k, gdEta[k - 1]);
  }
}
