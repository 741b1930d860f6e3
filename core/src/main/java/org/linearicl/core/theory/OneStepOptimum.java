package org.linearicl.core.theory;

import org.linearicl.core.task.TaskSpec;

/**
 * The best one-layer linear transformer in closed form, for the isotropic Gaussian task.
 *
 * <p>A one-layer model predicts {@code yhat = <alpha, G x_t>/n + h}, where h collects terms
 * (in Sigma and lambda) that are uncorrelated with y_t and with the first term, so the optimum has
 * h = 0; by rotation invariance the optimal G is {@code eta I}: one gradient-descent step from
 * w = 0 with step eta, {@code yhat = eta <alpha, x_t> / n}. With
 * {@code alpha = X^T X w + X^T xi}, {@code E[w w^T] = I}, {@code E[X^T X] = n I} and the Wishart
 * moment {@code E[(X^T X)^2] = n (n + d + 1) I}:
 * <pre>
 *   E|eta alpha/n - w|^2 = d [eta^2 (n + d + 1 + E sigma^2) / n - 2 eta + 1]
 *   eta*  = n / (n + d + 1 + E sigma^2)
 *   loss* = (1/2) E|eta* alpha/n - w|^2 = (d/2) (d + 1 + E sigma^2) / (n + d + 1 + E sigma^2)
 * </pre>
 * (the query is independent of w and isotropic, so {@code E[(v^T x_t)^2] = E|v|^2}). For d = 10,
 * n = 20: noiseless 55/31 = 1.774 (the paper's Table 1: 1.768), U(0, 5) 2.4576.
 */
public final class OneStepOptimum {
  private OneStepOptimum() {}

  /** The optimal step eta* = n / (n + d + 1 + E sigma^2). */
  public static double stepSize(TaskSpec task) {
    return task.n() / (task.n() + task.d() + 1.0 + task.noise().secondMoment());
  }

  /**
   * The loss of the one-step model with step {@code eta} on sequences of {@code task}'s d and n
   * whose noise has the fixed level {@code sigma}: the derivation above with E sigma^2 replaced by
   * sigma^2, (d/2) [eta^2 (n + d + 1 + sigma^2) / n - 2 eta + 1].
   */
  public static double lossAt(TaskSpec task, double eta, double sigma) {
    double n = task.n();
    return 0.5 * task.d() * (eta * eta * (n + task.d() + 1.0 + sigma * sigma) / n - 2 * eta + 1);
  }

  /** The optimal loss (d/2) (d + 1 + E sigma^2) / (n + d + 1 + E sigma^2). */
  public static double loss(TaskSpec task) {
    double s2 = task.noise().secondMoment();
    return 0.5 * task.d() * (task.d() + 1.0 + s2) / (task.n() + task.d() + 1.0 + s2);
  }
}
