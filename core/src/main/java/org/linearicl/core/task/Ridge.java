package org.linearicl.core.task;

/**
 * Ridge regression on sufficient statistics: {@code w = (Sigma + lambda I)^(-1) alpha}, solved by
 * an in-place Cholesky factorisation (the system is symmetric positive definite whenever
 * {@code lambda > 0}, or {@code lambda = 0} with n >= d points in general position).
 *
 * <p>A small hand-written factorisation rather than EJML's: it is called once per sequence on
 * 10 x 10 systems, allocates nothing, and its summation order is fixed. The tests check it against
 * EJML's solver.
 */
public final class Ridge {
  private final int d;
  private final double[] l;
  private final double[] z;

  /** A solver for d x d systems; not thread-safe (one per thread). */
  public Ridge(int d) {
    this.d = d;
    this.l = new double[d * d];
    this.z = new double[d];
  }

  /**
   * Solves {@code (sigma + lambda I) w = rhs}.
   *
   * @param sigma d x d symmetric matrix, row-major; not modified
   * @param lambda the ridge, >= 0
   * @param rhs the right-hand side; not modified
   * @param w the solution, written
   * @throws ArithmeticException if the system is not positive definite
   */
  public void solve(double[] sigma, double lambda, double[] rhs, double[] w) {
    // no log-determinant: d logarithms per solve would cost the oracle about a fifth of its time
    factor(sigma, lambda, false);
    substitute(rhs, w);
  }

  /**
   * Factors {@code sigma + lambda I = L L^T} into the solver's buffer.
   *
   * @return {@code log det(sigma + lambda I)}, needed by the Bayes marginal likelihood
   * @throws ArithmeticException if the system is not positive definite
   */
  public double factor(double[] sigma, double lambda) {
    return factor(sigma, lambda, true);
  }

  /**
   * The factorisation, with the log-determinant when {@code logDet} is set (else 0); the factor
   * is the same bits either way.
   */
  private double factor(double[] sigma, double lambda, boolean withLogDet) {
    double logDet = 0.0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = sigma[i * d + j] + (i == j ? lambda : 0.0);
        for (int k = 0; k < j; k++) {
          sum -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(sum > 0.0)) {
            throw new ArithmeticException("ridge system (Sigma + " + lambda
                + " I) is not positive definite: pivot " + i + " is " + sum);
          }
          double root = Math.sqrt(sum);
          l[i * d + i] = root;
          if (withLogDet) {
            logDet += 2.0 * StrictMath.log(root);
          }
        } else {
          l[i * d + j] = sum / l[j * d + j];
        }
      }
    }
    return logDet;
  }

  /** Solves with the last factorisation: w = (L L^T)^(-1) rhs. */
  public void substitute(double[] rhs, double[] w) {
    for (int i = 0; i < d; i++) {
      double sum = rhs[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i * d + k] * z[k];
      }
      z[i] = sum / l[i * d + i];
    }
    for (int i = d - 1; i >= 0; i--) {
      double sum = z[i];
      for (int k = i + 1; k < d; k++) {
        sum -= l[k * d + i] * w[k];
      }
      w[i] = sum / l[i * d + i];
    }
  }
}
