package org.linearicl.analysis.mechanism;

import java.util.Locale;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.Batch;

/**
 * The forward pass of a DIAG (or GD++) model written in its four terms per layer (docs/method.md,
 * the DIAG reparametrisation): with the layer input's context statistics {@code Sigma = sum_j x_j
 * x_j^T}, {@code alpha = sum_j y_j x_j}, {@code lambda = sum_j y_j^2}, every token, query
 * included, becomes
 * <pre>
 *   x_i' = x_i + omega_xx Sigma x_i / n + omega_xy y_i alpha / n
 *   y_i' = y_i + omega_yx &lt;alpha, x_i&gt; / n + omega_yy lambda y_i / n
 * </pre>
 * and the prediction read out after a layer is the query's negated y-slot. Because the terms are
 * explicit, any of them can be changed in any layer (the ablation), which the product form
 * {@code omega = p q} of the trained parameters cannot do one term at a time.
 */
public final class OmegaForward {
  /** The four terms, in the order of {@link ModelShape#omegas}. */
  public enum Term {
    XX, XY, YX, YY;

    /** The paper's name, {@code omega_xx} and so on. */
    public String label() {
      return "omega_" + name().toLowerCase(Locale.ROOT);
    }
  }

  private OmegaForward() {}

  /**
   * The terms of every layer of a DIAG or GD++ model, summed over heads: row l is layer l + 1's
   * (omega_xx, omega_xy, omega_yx, omega_yy).
   *
   * @throws IllegalArgumentException for a FULL model
   */
  public static double[][] omegas(ModelShape shape, double[] params) {
    if (shape.variant() == Variant.FULL) {
      throw new IllegalArgumentException("a FULL model has no omega form; project it first");
    }
    double[][] out = new double[shape.layers()][];
    for (int l = 0; l < shape.layers(); l++) {
      out[l] = shape.omegas(params, l);
    }
    return out;
  }

  /** A copy of {@code omegas} with one term of one layer (0-based) set to 0. */
  public static double[][] zeroed(double[][] omegas, int layer, Term term) {
    double[][] out = new double[omegas.length][];
    for (int l = 0; l < omegas.length; l++) {
      out[l] = omegas[l].clone();
    }
    out[layer][term.ordinal()] = 0.0;
    return out;
  }

  /**
   * The prediction after every layer: row l, column s is sequence s's prediction read out after
   * layer l + 1 (the query's negated y-slot).
   */
  public static double[][] predictAfterEachLayer(double[][] omegas, Batch b) {
    double[][] out = new double[omegas.length][b.size];
    Tokens t = new Tokens(b.d, b.n);
    for (int s = 0; s < b.size; s++) {
      t.load(b, s);
      for (int l = 0; l < omegas.length; l++) {
        t.apply(omegas[l]);
        out[l][s] = t.prediction();
      }
    }
    return out;
  }

  /** The tokens of one sequence (context then query) as a layer sees them, with scratch space. */
  static final class Tokens {
    final int d;
    final int n;
    final double[] x;
    final double[] y;
    private final double[] nx;
    private final double[] ny;
    private final double[] sigma;
    private final double[] alpha;

    Tokens(int d, int n) {
      this.d = d;
      this.n = n;
      x = new double[(n + 1) * d];
      y = new double[n + 1];
      nx = new double[x.length];
      ny = new double[y.length];
      sigma = new double[d * d];
      alpha = new double[d];
    }

    /** The input tokens of sequence s; the query's y-slot is 0. */
    void load(Batch b, int s) {
      System.arraycopy(b.x, s * n * d, x, 0, n * d);
      System.arraycopy(b.xq, s * d, x, n * d, d);
      System.arraycopy(b.y, s * n, y, 0, n);
      y[n] = 0.0;
    }

    void copyFrom(Tokens o) {
      System.arraycopy(o.x, 0, x, 0, x.length);
      System.arraycopy(o.y, 0, y, 0, y.length);
    }

    double prediction() {
      return -y[n];
    }

    /** One layer with terms w = (omega_xx, omega_xy, omega_yx, omega_yy), in place. */
    void apply(double[] w) {
      java.util.Arrays.fill(sigma, 0.0);
      java.util.Arrays.fill(alpha, 0.0);
      double lambda = 0.0;
      for (int j = 0; j < n; j++) {
        int o = j * d;
        for (int r = 0; r < d; r++) {
          double xr = x[o + r];
          alpha[r] += y[j] * xr;
          for (int c = 0; c < d; c++) {
            sigma[r * d + c] += xr * x[o + c];
          }
        }
        lambda += y[j] * y[j];
      }
      for (int i = 0; i <= n; i++) {
        int o = i * d;
        double ax = 0.0;
        for (int r = 0; r < d; r++) {
          double sx = 0.0;
          for (int c = 0; c < d; c++) {
            sx += sigma[r * d + c] * x[o + c];
          }
          nx[o + r] = x[o + r] + (w[0] * sx + w[1] * y[i] * alpha[r]) / n;
          ax += alpha[r] * x[o + r];
        }
        ny[i] = y[i] + (w[2] * ax + w[3] * lambda * y[i]) / n;
      }
      System.arraycopy(nx, 0, x, 0, x.length);
      System.arraycopy(ny, 0, y, 0, y.length);
    }
  }
}
