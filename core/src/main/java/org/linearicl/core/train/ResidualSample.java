package org.linearicl.core.train;

/**
 * A least-squares objective on a fixed sample of sequences: the weighted mean
 * {@code L(theta) = (1/N) sum_s w_s * 0.5 * r_s(theta)^2} of per-sequence residuals
 * {@code r_s = yhat_s - y_s}, with their gradients for Gauss-Newton methods. The weights are
 * importance weights (1 for a plain sample), so L estimates the population loss without bias.
 */
public interface ResidualSample {
  /** Sequences N. */
  int size();

  /** Length of the parameter vector. */
  int parameters();

  /** The weight of sequence s. */
  double weight(int s);

  /** A new thread-confined workspace; one per worker thread. */
  Workspace workspace();

  /** Evaluates residuals and Jacobian rows of sequence ranges; not thread-safe. */
  interface Workspace {
    /** {@code resid[s - from] = r_s(params)} for s in [from, to). */
    void residuals(double[] params, int from, int to, double[] resid);

    /**
     * Residuals as in {@link #residuals} and their gradients, one row per sequence:
     * {@code jac[(s - from) * parameters() + j] = d r_s / d params_j}.
     */
    void jacobian(double[] params, int from, int to, double[] resid, double[] jac);
  }
}
