package org.linearicl.core.model;

import java.util.Objects;
import org.linearicl.core.task.Batch;

/**
 * An immutable linear transformer: a {@link ModelShape} and its flat parameter array (layout in
 * {@link Variant}). Layer l maps every token e, context and query, to {@code M_l e} with
 * {@code M_l = I + (1/n) sum_k P_k S_l Q_k} and {@code S_l = sum_{j<=n} e_j e_j^T} over the
 * layer's input context tokens; the prediction is {@code yhat = -(y-slot of the query token)}.
 * Thread-safe: each call uses its own {@link GradientKernel}.
 */
public final class LinearTransformer {
  private final ModelShape shape;
  private final double[] params;

  /**
   * A model with a copy of {@code params}.
   *
   * @throws IllegalArgumentException if {@code params.length != shape.size()} or a parameter is
   *     NaN or infinite
   */
  public LinearTransformer(ModelShape shape, double[] params) {
    this.shape = Objects.requireNonNull(shape, "shape");
    shape.checkParams(params);
    this.params = params.clone();
  }

  /** The architecture. */
  public ModelShape shape() {
    return shape;
  }

  /** A copy of the flat parameter array. */
  public double[] params() {
    return params.clone();
  }

  /** The final-layer prediction {@code yhat_s = -q_L[d]} of every sequence s of the batch. */
  public double[] predict(Batch batch) {
    Objects.requireNonNull(batch, "batch");
    double[] out = new double[batch.size];
    new GradientKernel(shape, batch.n).predict(params, batch, 0, batch.size, null, out);
    return out;
  }

  /**
   * The prediction read out after every layer: row l, column s is {@code -q_{l+1}[d]} of sequence
   * s, the query's negated y-slot after layer l + 1; row {@code layers - 1} equals
   * {@link #predict}.
   */
  public double[][] predictAfterEachLayer(Batch batch) {
    Objects.requireNonNull(batch, "batch");
    double[][] out = new double[shape.layers()][batch.size];
    double[] fin = new double[batch.size];
    new GradientKernel(shape, batch.n).predict(params, batch, 0, batch.size, out, fin);
    return out;
  }

  /**
   * The implicit regressions of Theorem 4.1 for one sequence, after 0, 1, ..., L layers (length
   * L + 1; element 0 is {@link ImplicitRegression#identity}).
   *
   * <p>Every layer applies the same matrix M_l to all tokens, so after l layers a token is
   * {@code T^l e} with the cumulative map {@code T^l = M_{l-1} ... M_0}, written in blocks as
   * {@code T^l = [[M^l, u^l], [-w^l^T, a^l]]}. With {@code M_l = [[A, b], [c^T, e]]} (A d x d,
   * b, c in R^d, e scalar) the recursion {@code T^{l+1} = M_l T^l} reads
   * <pre>
   *   M^{l+1} = A M^l - b w^l^T        u^{l+1} = A u^l + a^l b
   *   w^{l+1} = e w^l - M^l^T c        a^{l+1} = e a^l + &lt;c, u^l&gt;
   * </pre>
   * from {@code M^0 = I, u^0 = 0, w^0 = 0, a^0 = 1}: the block form of Lemma 4.3 of
   * <a href="https://arxiv.org/abs/2402.14180">arXiv 2402.14180</a>. For DIAG,
   * {@code A = I + omega_xx Sigma/n}, {@code b = omega_xy alpha/n}, {@code c = omega_yx alpha/n},
   * {@code e = 1 + omega_yy lambda/n}, with Sigma, alpha, lambda of the layer's input.
   *
   * @throws IllegalArgumentException if the batch has another d or the sequence is out of range
   */
  public ImplicitRegression[] readOut(Batch batch, int sequence) {
    Objects.requireNonNull(batch, "batch");
    int d = shape.d();
    int dim = d + 1;
    int dd = dim * dim;
    int layers = shape.layers();
    if (sequence < 0 || sequence >= batch.size) {
      throw new IllegalArgumentException("sequence must be in [0, " + batch.size + "), got "
          + sequence);
    }
    double[] maps = new double[layers * dd];
    new GradientKernel(shape, batch.n).layerMaps(params, batch, sequence, maps);
    ImplicitRegression[] out = new ImplicitRegression[layers + 1];
    // Cumulative map T (dim x dim), starts at the identity.
    double[] t = new double[dd];
    for (int i = 0; i < dim; i++) {
      t[i * dim + i] = 1.0;
    }
    out[0] = fromCumulative(0, t, d);
    double[] next = new double[dd];
    for (int l = 0; l < layers; l++) {
      GradientKernel.mul(maps, l * dd, t, 0, next, 0, dim);
      double[] swap = t;
      t = next;
      next = swap;
      out[l + 1] = fromCumulative(l + 1, t, d);
    }
    return out;
  }

  /** Reads (M, u, w, a) out of the blocks of T = [[M, u], [-w^T, a]]. */
  private static ImplicitRegression fromCumulative(int layer, double[] t, int d) {
    int dim = d + 1;
    double[] m = new double[d * d];
    double[] u = new double[d];
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(t, i * dim, m, i * d, d);
      u[i] = t[i * dim + d];
      w[i] = 0.0 - t[d * dim + i]; // 0.0 - x, not -x: no negative zeros in w^0
    }
    return new ImplicitRegression(layer, m, u, w, t[d * dim + d]);
  }
}
