package org.linearicl.core.task;

/**
 * Sufficient statistics of one sequence's context (the notation of docs/method.md, no 1/n):
 * {@code Sigma = sum_j x_j x_j^T} (d x d, row-major), {@code alpha = sum_j y_j x_j},
 * {@code lambda = sum_j y_j^2}. Every ridge-type predictor and the Bayes posterior are functions
 * of these and the query alone.
 */
public final class ContextStats {
  public final int d;
  public final int n;
  public final double[] sigma;
  public final double[] alpha;
  public double lambda;

  public ContextStats(int d, int n) {
    this.d = d;
    this.n = n;
    this.sigma = new double[d * d];
    this.alpha = new double[d];
  }

  /** Recomputes the statistics for sequence {@code s} of {@code batch}, reusing this object. */
  public ContextStats of(Batch batch, int s) {
    if (batch.d != d || batch.n != n) {
      throw new IllegalArgumentException("stats for d=" + d + ", n=" + n + " given a batch with d="
          + batch.d + ", n=" + batch.n);
    }
    java.util.Arrays.fill(sigma, 0.0);
    java.util.Arrays.fill(alpha, 0.0);
    double yy = 0.0;
    for (int i = 0; i < n; i++) {
      int off = (s * n + i) * d;
      double yi = batch.y[s * n + i];
      yy += yi * yi;
      for (int a = 0; a < d; a++) {
        double xa = batch.x[off + a];
        alpha[a] += yi * xa;
        for (int b = 0; b <= a; b++) {
          sigma[a * d + b] += xa * batch.x[off + b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < a; b++) {
        sigma[b * d + a] = sigma[a * d + b];
      }
    }
    lambda = yy;
    return this;
  }
}
