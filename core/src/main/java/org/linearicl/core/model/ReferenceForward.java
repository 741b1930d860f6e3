package org.linearicl.core.model;

import java.util.Objects;
import org.linearicl.core.task.Batch;

/**
 * The slow, obviously correct forward pass of the linear transformer, one sequence and one token
 * at a time: the reference every fast path ({@link GradientKernel}'s covariance form, the
 * implicit-regression read-out, {@link SpectralGdpp}) is tested against, as EJML keeps a simple
 * reference beside each fast variant. It shares no code with those paths: it materialises P_k
 * and Q_k as dense (d+1) x (d+1) matrices for every variant, forms the layer's matrix
 * {@code M = I + (1/n) sum_k P_k S Q_k} with {@code S = sum_{j<n} e_j e_j^T} over the layer's
 * input context tokens, and maps every token, the context and the query alike, to {@code M e}
 * (docs/method.md, the model). The theory stage runs it on trained models to check Theorem 4.1.
 */
public final class ReferenceForward {
  private ReferenceForward() {}

  /**
   * The tokens of sequence {@code s} after every layer: {@code out[l][i]} is token i (0..n-1 the
   * context, n the query, whose y-slot starts at 0) after l layers, l = 0..L.
   *
   * @throws IllegalArgumentException if the parameters do not fit the shape, the batch has
   *     another d, or {@code s} is out of range
   */
  public static double[][][] tokens(ModelShape shape, double[] params, Batch b, int s) {
    check(shape, params, b);
    Objects.checkIndex(s, b.size);
    int d = shape.d();
    int dim = d + 1;
    int n = b.n;
    double[][][] out = new double[shape.layers() + 1][n + 1][dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(b.x, (s * n + i) * d, out[0][i], 0, d);
      out[0][i][d] = b.y[s * n + i];
    }
    System.arraycopy(b.xq, s * d, out[0][n], 0, d);
    for (int l = 0; l < shape.layers(); l++) {
      double[][] m = layerMatrix(shape, params, l, out[l], n);
      for (int i = 0; i <= n; i++) {
        out[l + 1][i] = times(m, out[l][i]);
      }
    }
    return out;
  }

  /**
   * The prediction read out after every layer: {@code out[l][s] = -(y-slot of the query of
   * sequence s after layer l + 1)}, l = 0..L-1.
   *
   * @throws IllegalArgumentException if the parameters do not fit the shape or the batch has
   *     another d
   */
  public static double[][] predictions(ModelShape shape, double[] params, Batch b) {
    check(shape, params, b);
    double[][] out = new double[shape.layers()][b.size];
    for (int s = 0; s < b.size; s++) {
      double[][][] t = tokens(shape, params, b, s);
      for (int l = 0; l < shape.layers(); l++) {
        out[l][s] = -t[l + 1][b.n][shape.d()];
      }
    }
    return out;
  }

  private static void check(ModelShape shape, double[] params, Batch b) {
    Objects.requireNonNull(shape, "shape");
    shape.checkParams(params);
    Objects.requireNonNull(b, "batch");
    if (b.d != shape.d()) {
      throw new IllegalArgumentException("batch has d = " + b.d + ", the model d = "
          + shape.d());
    }
  }

  /** {@code M = I + (1/n) sum_k P_k (S Q_k)} of layer l, S from the first n of {@code in}. */
  private static double[][] layerMatrix(ModelShape shape, double[] params, int l, double[][] in,
      int n) {
    int dim = shape.tokenDim();
    double[][] sm = new double[dim][dim];
    for (int j = 0; j < n; j++) {
      for (int r = 0; r < dim; r++) {
        for (int c = 0; c < dim; c++) {
          sm[r][c] += in[j][r] * in[j][c];
        }
      }
    }
    double[][] m = new double[dim][dim];
    for (int r = 0; r < dim; r++) {
      m[r][r] = 1;
    }
    for (int k = 0; k < shape.heads(); k++) {
      double[][] sq = product(sm, factor(shape, params, l, k, false));
      double[][] p = factor(shape, params, l, k, true);
      for (int r = 0; r < dim; r++) {
        for (int c = 0; c < dim; c++) {
          double acc = 0;
          for (int t = 0; t < dim; t++) {
            acc += p[r][t] * sq[t][c];
          }
          m[r][c] += acc / n;
        }
      }
    }
    return m;
  }

  /** P_k (or Q_k) of layer l as a dense matrix [row][col], whatever the variant's layout. */
  private static double[][] factor(ModelShape shape, double[] params, int l, int k, boolean p) {
    int dim = shape.tokenDim();
    int d = shape.d();
    int o = shape.offset(l, k);
    double[][] m = new double[dim][dim];
    switch (shape.variant()) {
      case FULL -> {
        int base = p ? o : o + dim * dim;
        for (int r = 0; r < dim; r++) {
          System.arraycopy(params, base + r * dim, m[r], 0, dim);
        }
      }
      case DIAG, GDPP -> {
        double xs = p ? params[o] : params[o + 2];
        double ys = p ? params[o + 1] : shape.variant() == Variant.DIAG ? params[o + 3] : 0.0;
        for (int r = 0; r < d; r++) {
          m[r][r] = xs;
        }
        m[d][d] = ys;
      }
      default -> throw new AssertionError(shape.variant());
    }
    return m;
  }

  private static double[][] product(double[][] a, double[][] b) {
    int dim = a.length;
    double[][] out = new double[dim][dim];
    for (int r = 0; r < dim; r++) {
      for (int c = 0; c < dim; c++) {
        double acc = 0;
        for (int t = 0; t < dim; t++) {
          acc += a[r][t] * b[t][c];
        }
        out[r][c] = acc;
      }
    }
    return out;
  }

  private static double[] times(double[][] m, double[] v) {
    double[] out = new double[m.length];
    for (int r = 0; r < m.length; r++) {
      double acc = 0;
      for (int c = 0; c < v.length; c++) {
        acc += m[r][c] * v[c];
      }
      out[r] = acc;
    }
    return out;
  }
}
