package org.linearicl.core.eval;

import java.util.Objects;

/**
 * A predictor's loss next to the oracle's on the same sequences (docs/method.md, evaluation and
 * baselines): loss = mean of {@code 0.5 (yhat - y_t)^2}; adjusted loss = loss minus the oracle's
 * loss, whose standard error is that of the per-sequence paired difference (much smaller than
 * either loss's own, because both share the sequences).
 */
public record PairedEvaluation(LossSummary loss, LossSummary oracle, LossSummary adjusted) {
  public PairedEvaluation {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(oracle, "oracle");
    Objects.requireNonNull(adjusted, "adjusted");
  }

  /**
   * Evaluates predictions against targets and the oracle's predictions, all of one length.
   *
   * @param predictions the predictor's y_hat per sequence
   * @param oraclePredictions the oracle's y_hat on the same sequences
   * @param targets the noiseless query targets y_t
   */
  public static PairedEvaluation of(double[] predictions, double[] oraclePredictions,
      double[] targets) {
    int n = targets.length;
    if (predictions.length != n || oraclePredictions.length != n) {
      throw new IllegalArgumentException("predictions (" + predictions.length + "), oracle ("
          + oraclePredictions.length + ") and targets (" + n + ") must have one length");
    }
    double[] loss = new double[n];
    double[] oracle = new double[n];
    double[] diff = new double[n];
    for (int s = 0; s < n; s++) {
      double e = predictions[s] - targets[s];
      double o = oraclePredictions[s] - targets[s];
      loss[s] = 0.5 * e * e;
      oracle[s] = 0.5 * o * o;
      diff[s] = loss[s] - oracle[s];
    }
    return new PairedEvaluation(LossSummary.of(loss), LossSummary.of(oracle),
        LossSummary.of(diff));
  }
}
