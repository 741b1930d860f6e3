package org.linearicl.core.model;

import java.util.Objects;

/**
 * Parameters of one shape that compute the same function as a model of a simpler shape: the
 * warm starts that make the nesting of the paper's models hold by construction. GD++ is DIAG
 * with q_y = 0, DIAG is FULL with P = diag(p_x I, p_y) and Q = diag(q_x I, q_y), and a layer with
 * P = 0 is the identity, so an L-layer model contains the (L-1)-layer one.
 *
 * <p>The added identity layers come first and have P = 0 but Q = {@code identityQ} I (DIAG:
 * q_x = q_y, GD++: q_x). With P = Q = 0 a layer sits on a saddle where the gradient vanishes in
 * every direction (every omega is a product p q); with Q != 0 the loss has a gradient in P. And a
 * new first layer has a gradient where a new last one may not: appended after a trained GD++
 * model, a last layer could only add to the model's final gradient step, whose size is already
 * optimal, while a first layer preconditions what every trained layer sees.
 */
public final class Embedding {
  private Embedding() {}

  /**
   * The parameters of {@code to} that compute what {@code (from, params)} computes: the variant
   * widened (GD++ to DIAG or FULL, DIAG to FULL), then identity layers (P = 0, Q =
   * {@code identityQ} I) put in front of the model's own, so its layers become the last ones.
   *
   * @throws IllegalArgumentException if heads or d differ, {@code to} has fewer layers, or its
   *     variant does not contain {@code from}'s
   */
  public static double[] embed(ModelShape from, double[] params, ModelShape to,
      double identityQ) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    from.checkParams(params);
    if (from.heads() != to.heads() || from.d() != to.d() || from.layers() > to.layers()
        || !contains(to.variant(), from.variant())) {
      throw new IllegalArgumentException("cannot embed a " + describe(from) + " in a "
          + describe(to) + ": heads and d must agree, the target may not have fewer layers, and"
          + " its variant must contain the source's (GD++ in DIAG in FULL)");
    }
    double[] out = new double[to.size()];
    int dim = to.tokenDim();
    int d = to.d();
    int added = to.layers() - from.layers();
    for (int l = 0; l < to.layers(); l++) {
      int fl = l - added; // the source's layer, or < 0 for an identity layer
      for (int k = 0; k < to.heads(); k++) {
        int o = to.offset(l, k);
        double px;
        double py;
        double qx;
        double qy;
        if (fl < 0) {
          px = 0.0;
          py = 0.0;
          qx = identityQ;
          qy = to.variant() == Variant.GDPP ? 0.0 : identityQ;
        } else if (from.variant() == Variant.FULL) {
          int fo = from.offset(fl, k);
          System.arraycopy(params, fo, out, o, from.paramsPerHead());
          continue;
        } else {
          int fo = from.offset(fl, k);
          px = params[fo];
          py = params[fo + 1];
          qx = params[fo + 2];
          qy = from.variant() == Variant.DIAG ? params[fo + 3] : 0.0;
        }
        switch (to.variant()) {
          case GDPP -> {
            out[o] = px;
            out[o + 1] = py;
            out[o + 2] = qx;
          }
          case DIAG -> {
            out[o] = px;
            out[o + 1] = py;
            out[o + 2] = qx;
            out[o + 3] = qy;
          }
          case FULL -> {
            int q = o + dim * dim;
            for (int i = 0; i < d; i++) {
              out[o + i * dim + i] = px;
              out[q + i * dim + i] = qx;
            }
            out[o + d * dim + d] = py;
            out[q + d * dim + d] = qy;
          }
          default -> throw new IllegalStateException("unknown variant " + to.variant());
        }
      }
    }
    return out;
  }

  /**
   * The model one layer deeper whose layers {@code layer} and {@code layer + 1} are two half
   * steps of {@code (shape, params)}'s layer {@code layer}: both copy its heads with P halved and
   * Q kept. A layer maps every token by {@code M = I + A} with A linear in P, and two half steps
   * compose to {@code (I + A/2)(I + A'/2) = I + A + O(A^2)} (A' is A on the tokens the first half
   * step moved), so the deeper model computes the same function up to second order in the
   * layer's update. Unlike an identity layer added to a trained model, each half keeps a share of
   * the layer's work, so no layer of the deeper model starts idle (docs/recipes.md).
   *
   * @throws IndexOutOfBoundsException if {@code layer} is not a layer of {@code shape}
   */
  public static double[] split(ModelShape shape, double[] params, int layer) {
    Objects.requireNonNull(shape, "shape");
    shape.checkParams(params);
    Objects.checkIndex(layer, shape.layers());
    ModelShape deeper = shape.withLayers(shape.layers() + 1);
    double[] out = new double[deeper.size()];
    int perLayer = shape.paramsPerLayer();
    int before = (layer + 1) * perLayer; // layers 0..layer, the split one as the first half
    System.arraycopy(params, 0, out, 0, before);
    System.arraycopy(params, layer * perLayer, out, before, perLayer); // the second half
    System.arraycopy(params, before, out, before + perLayer, params.length - before);
    int pCount = shape.variant().pCount(shape.d());
    for (int half = layer; half <= layer + 1; half++) {
      for (int k = 0; k < shape.heads(); k++) {
        int o = deeper.offset(half, k);
        for (int i = 0; i < pCount; i++) {
          out[o + i] *= 0.5;
        }
      }
    }
    return out;
  }

  /**
   * The same GD++ model with every head's q_x equal to 1: a head computes only the products
   * {@code p_x q_x} and {@code p_y q_x}, so {@code (p_x q_x, p_y q_x, 1)} is the same head (a head
   * with q_x = 0 contributes nothing and becomes (0, 0, 1)). In these coordinates the omegas
   * are the parameters themselves, so a Gauss-Newton method meets no saddle at p_y = q_x = 0,
   * where the sign of the step size would otherwise have to cross zero.
   *
   * @throws IllegalArgumentException if the shape is not GD++
   */
  public static double[] unitQ(ModelShape shape, double[] params) {
    if (shape.variant() != Variant.GDPP) {
      throw new IllegalArgumentException("unitQ is defined for GD++ models, not "
          + shape.variant().paperName());
    }
    shape.checkParams(params);
    double[] out = params.clone();
    for (int l = 0; l < shape.layers(); l++) {
      for (int k = 0; k < shape.heads(); k++) {
        int o = shape.offset(l, k);
        double q = params[o + 2];
        out[o] = params[o] * q;
        out[o + 1] = params[o + 1] * q;
        out[o + 2] = 1.0;
      }
    }
    return out;
  }

  /** Whether every {@code inner} model is also an {@code outer} model. */
  public static boolean contains(Variant outer, Variant inner) {
    return outer == inner || outer == Variant.FULL || (outer == Variant.DIAG
        && inner == Variant.GDPP);
  }

  private static String describe(ModelShape s) {
    return s.layers() + "-layer " + s.variant().paperName() + " model with " + s.heads()
        + " head(s) and d = " + s.d();
  }
}
