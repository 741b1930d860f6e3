package org.linearicl.baselines;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The iterative estimator of the paper's sec. 6, without any matrix inversion: K steps of
 * gradient descent from w = 0 on least squares give a noise estimate
 * {@code sigma_hat^2 = RSS(w_K) / (n - d)}; then K steps from w = 0 on the ridge objective
 * {@code 0.5 |y - X w|^2 + 0.5 sigma_hat^2 |w|^2}, each
 * {@code w <- w - (eta / n) ((X^T X + lambda I) w - X^T y)}, give the prediction
 * {@code <w_K, x_t>}. Gradient descent is rotation-equivariant, so it runs in the eigenbasis of
 * X^T X (one multiply-add per coordinate and step) with the same iterates as in the original
 * coordinates (a test checks this against the direct recursion).
 */
public final class GradientDescentEstimator implements Predictor {
  private final int steps;
  private final double eta;

  public GradientDescentEstimator(int steps, double eta) {
    if (steps < 1) {
      throw new IllegalArgumentException("gd steps K must be >= 1, got " + steps);
    }
    RidgePredictors.requireNonNegative("gd step size eta", eta);
    this.steps = steps;
    this.eta = eta;
  }

  public int steps() {
    return steps;
  }

  public double eta() {
    return eta;
  }

  @Override
  public PredictorId id() {
    return PredictorId.GD;
  }

  @Override
  public SortedMap<String, Double> parameters() {
    return new TreeMap<>(java.util.Map.of("K", (double) steps, "eta", eta));
  }

  @Override
  public double predict(SpectralBatch b, int s) {
    int d = b.d;
    int o = s * d;
    double rate = eta / b.n;
    // pass 1: least squares; w_i <- w_i - rate (ev_i w_i - beta_i)
    double rss = b.yy[s];
    double[] w = new double[d];
    for (int k = 0; k < steps; k++) {
      for (int i = 0; i < d; i++) {
        w[i] -= rate * (b.ev[o + i] * w[i] - b.beta[o + i]);
      }
    }
    for (int i = 0; i < d; i++) {
      rss += b.ev[o + i] * w[i] * w[i] - 2.0 * w[i] * b.beta[o + i];
    }
    double lambda = Math.max(0.0, rss) / Math.max(1, b.n - d);
    // pass 2: ridge with the estimate
    java.util.Arrays.fill(w, 0.0);
    for (int k = 0; k < steps; k++) {
      for (int i = 0; i < d; i++) {
        w[i] -= rate * ((b.ev[o + i] + lambda) * w[i] - b.beta[o + i]);
      }
    }
    double p = 0.0;
    for (int i = 0; i < d; i++) {
      p += w[i] * b.xt[o + i];
    }
    return p;
  }
}
