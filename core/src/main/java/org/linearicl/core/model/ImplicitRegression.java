package org.linearicl.core.model;

import java.util.Objects;

/**
 * The implicit linear regression a linear transformer has computed after {@code layer} layers
 * (Theorem 4.1 of Vladymyrov et al. 2024, arXiv 2402.14180): for every token (x_i, y_i) of the
 * input sequence, context and query alike, the token after the layer is
 * <pre>
 *   x_i^l = M x_i + y_i u,        y_i^l = a y_i - &lt;w, x_i&gt;,
 * </pre>
 * so the query (x_t, 0) ends in y-slot {@code -<w, x_t>} and the prediction is
 * {@code yhat = <w, x_t>} ({@link #prediction}). Layer 0 is the identity state
 * {@code M = I, u = 0, w = 0, a = 1}. The arrays are copied on the way in and out.
 *
 * @param layer the number of layers applied (0 = the input)
 * @param m the d x d matrix M, row-major
 * @param u the vector u (length d)
 * @param w the implicit regression weights w (length d)
 * @param a the scalar a
 */
public record ImplicitRegression(int layer, double[] m, double[] u, double[] w, double a) {
  /** Validates dimensions (m is d x d with d = u.length = w.length) and copies the arrays. */
  public ImplicitRegression {
    if (layer < 0) {
      throw new IllegalArgumentException("layer must be >= 0, got " + layer);
    }
    Objects.requireNonNull(m, "m");
    Objects.requireNonNull(u, "u");
    Objects.requireNonNull(w, "w");
    int d = w.length;
    if (u.length != d || m.length != d * d) {
      throw new IllegalArgumentException("expected m of length d*d = " + (d * d)
          + " and u of length d = " + d + " (d = w.length); got m " + m.length + ", u "
          + u.length);
    }
    m = m.clone();
    u = u.clone();
    w = w.clone();
  }

  /** The identity state before any layer: M = I_d, u = 0, w = 0, a = 1. */
  public static ImplicitRegression identity(int d) {
    double[] m = new double[d * d];
    for (int i = 0; i < d; i++) {
      m[i * d + i] = 1.0;
    }
    return new ImplicitRegression(0, m, new double[d], new double[d], 1.0);
  }

  /** The feature dimension d. */
  public int d() {
    return w.length;
  }

  /** A copy of M (d x d, row-major). */
  @Override
  public double[] m() {
    return m.clone();
  }

  /** A copy of u. */
  @Override
  public double[] u() {
    return u.clone();
  }

  /** A copy of the implicit regression weights w. */
  @Override
  public double[] w() {
    return w.clone();
  }

  /** The query prediction {@code <w, x_t>} for the query input {@code xt} (length d). */
  public double prediction(double[] xt) {
    if (xt.length != w.length) {
      throw new IllegalArgumentException("x_t must have d = " + w.length + " entries, got "
          + xt.length);
    }
    double acc = 0.0;
    for (int k = 0; k < w.length; k++) {
      acc += w[k] * xt[k];
    }
    return acc;
  }

  /** Components equal element by element (records compare arrays by identity otherwise). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ImplicitRegression r && layer == r.layer
        && java.util.Arrays.equals(m, r.m) && java.util.Arrays.equals(u, r.u)
        && java.util.Arrays.equals(w, r.w) && Double.compare(a, r.a) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, java.util.Arrays.hashCode(m), java.util.Arrays.hashCode(u),
        java.util.Arrays.hashCode(w), a);
  }

  @Override
  public String toString() {
    return "ImplicitRegression[layer=" + layer + ", m=" + java.util.Arrays.toString(m) + ", u="
        + java.util.Arrays.toString(u) + ", w=" + java.util.Arrays.toString(w) + ", a=" + a + "]";
  }
}
