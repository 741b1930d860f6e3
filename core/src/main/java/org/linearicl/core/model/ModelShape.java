package org.linearicl.core.model;

import java.util.Objects;

/**
 * The architecture of a linear transformer: variant, layers, heads, and feature dimension d
 * (tokens have d + 1 coordinates). Fixes the layout of the flat parameter array: layer l, head k
 * starts at {@link #offset(int, int)} and holds {@link Variant#paramsPerHead(int)} numbers.
 *
 * <p>Convention (the paper leaves it open; docs/method.md): the attention sum carries a 1/n factor,
 * so a layer maps every token e to {@code M e} with {@code M = I + (1/n) sum_k P_k S Q_k} and
 * {@code S = sum_{j<=n} e_j e_j^T}. Checkpoints, plots and the read-out all use it.
 */
public record ModelShape(Variant variant, int layers, int heads, int d) {
  public ModelShape {
    Objects.requireNonNull(variant, "variant");
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    }
    if (heads < 1) {
      throw new IllegalArgumentException("heads must be >= 1, got " + heads);
    }
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
  }

  /** Token dimension d + 1. */
  public int tokenDim() {
    return d + 1;
  }

  public int paramsPerHead() {
    return variant.paramsPerHead(d);
  }

  public int paramsPerLayer() {
    return heads * paramsPerHead();
  }

  /** Length of the flat parameter array. */
  public int size() {
    return layers * paramsPerLayer();
  }

  /** Index of the first parameter of head {@code head} in layer {@code layer} (both 0-based). */
  public int offset(int layer, int head) {
    Objects.checkIndex(layer, layers);
    Objects.checkIndex(head, heads);
    return (layer * heads + head) * paramsPerHead();
  }

  /**
   * Checks that {@code params} fit this shape: length {@link #size()} and every value finite.
   *
   * @throws IllegalArgumentException naming the expected length or the first bad entry
   */
  public void checkParams(double[] params) {
    Objects.requireNonNull(params, "params");
    if (params.length != size()) {
      throw new IllegalArgumentException("params must have shape.size() = " + size()
          + " entries for " + this + ", got " + params.length);
    }
    for (int i = 0; i < params.length; i++) {
      if (!Double.isFinite(params[i])) {
        throw new IllegalArgumentException("params must be finite; params[" + i + "] = "
            + params[i]);
      }
    }
  }

  /** The same architecture with another number of layers (for curricula over depth). */
  public ModelShape withLayers(int newLayers) {
    return new ModelShape(variant, newLayers, heads, d);
  }

  /**
   * The reparametrised DIAG weights of one layer (docs/method.md, the model): {@code {omega_xx,
   * omega_xy, omega_yx, omega_yy}} = sums over heads of {@code p_x q_x, p_x q_y, p_y q_x, p_y q_y}.
   * For GD++ the two q_y terms are 0. With the 1/n convention, a layer computes {@code x_i +=
   * omega_xx (Sigma/n) x_i + omega_xy y_i (alpha/n)} and {@code y_i += omega_yx <alpha/n, x_i> +
   * omega_yy (lambda/n) y_i}.
   *
   * @throws IllegalStateException for FULL models, which have no such reparametrisation
   */
  public double[] omegas(double[] params, int layer) {
    if (variant == Variant.FULL) {
      throw new IllegalStateException("omegas are defined for DIAG and GD++ models, not FULL");
    }
    double[] omega = new double[4];
    for (int k = 0; k < heads; k++) {
      int o = offset(layer, k);
      double px = params[o];
      double py = params[o + 1];
      double qx = params[o + 2];
      double qy = variant == Variant.DIAG ? params[o + 3] : 0.0;
      omega[0] += px * qx;
      omega[1] += px * qy;
      omega[2] += py * qx;
      omega[3] += py * qy;
    }
    return omega;
  }
}
