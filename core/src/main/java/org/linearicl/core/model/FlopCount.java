package org.linearicl.core.model;

import java.util.Objects;

/**
 * Multiply-adds per sequence of {@link GradientKernel}'s forward and backward pass, counted
 * analytically from its loops (one multiply-add = one product accumulated into a sum; a lone
 * scaling counts as one). A floating-point operation count is twice this. With D = d + 1 and
 * H heads, a middle layer costs about {@code 1.5 D^3} forward and {@code 2.5 D^3} backward
 * (DIAG, GD++), plus {@code 2 H D^3} forward and {@code 4 H D^3} backward (FULL); the last layer
 * is O(H D^2) and the context statistics are {@code n D (D + 1) / 2}: flat in n once
 * {@code n << L D}.
 */
public final class FlopCount {
  private FlopCount() {}

  /** S_0 = sum_j e_j e_j^T, upper triangle: {@code n D (D + 1) / 2}. */
  public static long statistics(int d, int n) {
    long dim = d + 1L;
    return n * dim * (dim + 1) / 2;
  }

  /** The forward pass per sequence, statistics included, last layer only to the y-slot. */
  public static long forward(ModelShape shape, int n) {
    Objects.requireNonNull(shape, "shape");
    long dim = shape.tokenDim();
    long d2 = dim * dim;
    long d3 = d2 * dim;
    long h = shape.heads();
    boolean full = shape.variant() == Variant.FULL;
    long middle = d2 /* q <- M q */ + d3 /* M S */ + d2 * (dim + 1) / 2 /* (M S) M^T, half */
        + (full ? h * 2 * d3 + d2 /* S Q_k, P_k (S Q_k), scaled by 1/n */ : d2 /* W o S */);
    long last = full ? h * (3 * d2 + dim) + 1 : 2 * dim;
    return statistics(shape.d(), n) + (shape.layers() - 1) * middle + last;
  }

  /** The backward pass per sequence (the last layer's O(H D^2) and L - 1 full layers). */
  public static long backward(ModelShape shape) {
    Objects.requireNonNull(shape, "shape");
    long dim = shape.tokenDim();
    long d2 = dim * dim;
    long d3 = d2 * dim;
    long h = shape.heads();
    int layers = shape.layers();
    boolean full = shape.variant() == Variant.FULL;
    boolean deep = layers > 1;
    long last = full
        ? h * (dim + d2 + (deep ? 2 * d2 : 0)) + (deep ? dim : 0)
        : dim + (deep ? 2 * dim : 0);
    long total = last;
    for (int l = layers - 2; l >= 0; l--) {
      boolean needInput = l > 0;
      long c = 2 * d3 + d2; // H' M, (H' M) S, + g_q q^T
      if (needInput) {
        c += d2 + d2 * (dim + 1) / 2; // M^T g_q, M^T (H' M) half
      }
      if (full) {
        c += h * (3 * d3 + (needInput ? d3 + d2 : 0)); // G_M T^T, P^T G_M, S U; U Q^T
      } else {
        c += d2 + (needInput ? 2 * d2 : 0); // dW = G_M o S; G_M o W and its transpose
      }
      total += c;
    }
    return total;
  }

  /** Forward plus backward per sequence. */
  public static long perSequence(ModelShape shape, int n) {
    return forward(shape, n) + backward(shape);
  }

  /** Floating-point operations (2 per multiply-add) of one training step's gradient. */
  public static double flopsPerStep(ModelShape shape, int n, int batch) {
    return 2.0 * perSequence(shape, n) * batch;
  }
}
