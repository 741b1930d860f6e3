package org.linearicl.core.task;

/**
 * The oracle (docs/method.md, evaluation): ridge regression with the sequence's true noise level,
 * {@code w = (Sigma + sigma_tau^2 I)^(-1) alpha} on the raw (unscaled) context, which is the
 * posterior mean of w under w ~ N(0, I) for a known sigma. Adjusted losses subtract its loss on
 * the same sequences.
 */
public final class OracleRidge {
  private OracleRidge() {}

  /** The oracle's prediction for each sequence of {@code batch}. */
  public static double[] predict(Batch batch) {
    double[] out = new double[batch.size];
    predict(batch, 0, batch.size, out);
    return out;
  }

  /** Writes the oracle's prediction for sequences [from, to) into {@code out[from..to)}. */
  public static void predict(Batch batch, int from, int to, double[] out) {
    ContextStats stats = new ContextStats(batch.d, batch.n);
    Ridge ridge = new Ridge(batch.d);
    double[] w = new double[batch.d];
    for (int s = from; s < to; s++) {
      stats.of(batch, s);
      ridge.solve(stats.sigma, batch.sigma[s] * batch.sigma[s], stats.alpha, w);
      double p = 0.0;
      for (int k = 0; k < batch.d; k++) {
        p += w[k] * batch.xq[s * batch.d + k];
      }
      out[s] = p;
    }
  }
}
