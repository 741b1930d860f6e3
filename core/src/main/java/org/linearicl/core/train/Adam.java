package org.linearicl.core.train;

/**
 * Adam (Kingma and Ba 2015) with bias correction, in place on a flat parameter array:
 * <pre>
 *   m_t = beta1 m_{t-1} + (1 - beta1) g_t
 *   v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
 *   theta_t = theta_{t-1} - lr_t * (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + eps)
 * </pre>
 * Every operation is an IEEE-exact one (or {@link StrictMath#pow}), so the update is the same bits
 * on every platform.
 */
public final class Adam {
  private final AdamConfig config;
  private final double[] m;
  private final double[] v;
  private long t;

  public Adam(AdamConfig config, int size) {
    this.config = config;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** Applies one step with learning rate {@code lr} and gradient {@code grad} to {@code params}. */
  public void step(double[] params, double[] grad, double lr) {
    t++;
    double b1 = config.beta1();
    double b2 = config.beta2();
    double c1 = 1.0 - StrictMath.pow(b1, t);
    double c2 = 1.0 - StrictMath.pow(b2, t);
    double eps = config.eps();
    for (int i = 0; i < params.length; i++) {
      double g = grad[i];
      m[i] = b1 * m[i] + (1.0 - b1) * g;
      v[i] = b2 * v[i] + (1.0 - b2) * g * g;
      params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  }

  /** Copies the moments and the step count into {@code into} (same size). */
  public void saveTo(Adam into) {
    System.arraycopy(m, 0, into.m, 0, m.length);
    System.arraycopy(v, 0, into.v, 0, v.length);
    into.t = t;
  }

  /** Steps taken so far. */
  public long steps() {
    return t;
  }
}
