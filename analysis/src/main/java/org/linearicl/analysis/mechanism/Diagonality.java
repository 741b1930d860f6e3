package org.linearicl.analysis.mechanism;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;

/**
 * How far a FULL model is from the DIAG structure {@code P = diag(p_x I, p_y)}, {@code Q =
 * diag(q_x I, q_y)}. The projection keeps, per head, {@code p_x = tr(P_xx) / d}, {@code p_y =
 * P_yy} (and likewise for Q): the nearest matrix of that structure in the Frobenius norm. What is
 * left is split into the blocks of a token (x, y): the off-identity part of the xx block, and the
 * xy and yx blocks (the yy block is kept whole).
 */
public final class Diagonality {
  /**
   * One layer's P or Q, summed over heads: the share of the squared Frobenius mass off the DIAG
   * structure ({@code offShare}, 0 for an embedded DIAG model), that residual's split over the xx,
   * xy and yx blocks (fractions of the residual), and the share of the xx residual's mass in its
   * largest singular value (1 for a rank-one residual).
   */
  public record Layer(int layer, String matrix, double mass, double offShare, double xxShare,
      double xyShare, double yxShare, double xxTopRankShare) {}

  private Diagonality() {}

  /** The per-layer P and Q entries of a FULL model (P then Q for each layer, 1-based layers). */
  public static Layer[] measure(ModelShape shape, double[] params) {
    requireFull(shape);
    int dim = shape.tokenDim();
    Layer[] out = new Layer[2 * shape.layers()];
    for (int l = 0; l < shape.layers(); l++) {
      for (int which = 0; which < 2; which++) {
        double mass = 0;
        double xx = 0;
        double xy = 0;
        double yx = 0;
        double topRank = 0;
        double xxResidual = 0;
        for (int k = 0; k < shape.heads(); k++) {
          int o = shape.offset(l, k) + which * dim * dim;
          double[][] residual = residual(params, o, shape.d());
          for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
              double v = params[o + r * dim + c];
              mass += v * v;
              double e = residual[r][c];
              if (r < shape.d() && c < shape.d()) {
                xx += e * e;
              } else if (r < shape.d() && c == shape.d()) {
                xy += e * e;
              } else if (r == shape.d() && c < shape.d()) {
                yx += e * e;
              }
            }
          }
          double[][] block = new double[shape.d()][shape.d()];
          for (int r = 0; r < shape.d(); r++) {
            System.arraycopy(residual[r], 0, block[r], 0, shape.d());
          }
          double top = 0;
          double all = 0;
          for (double sv : SingularOps_DDRM.singularValues(new DMatrixRMaj(block))) {
            top = Math.max(top, sv);
            all += sv * sv;
          }
          topRank += top * top;
          xxResidual += all;
        }
        double off = xx + xy + yx;
        out[2 * l + which] = new Layer(l + 1, which == 0 ? "P" : "Q", mass,
            mass == 0 ? 0 : off / mass, off == 0 ? 0 : xx / off, off == 0 ? 0 : xy / off,
            off == 0 ? 0 : yx / off, xxResidual == 0 ? Double.NaN : topRank / xxResidual);
      }
    }
    return out;
  }

  /** The DIAG model nearest to a FULL one, head by head (no retraining). */
  public static double[] projectToDiag(ModelShape shape, double[] params) {
    requireFull(shape);
    int d = shape.d();
    int dim = shape.tokenDim();
    ModelShape diag = new ModelShape(Variant.DIAG, shape.layers(), shape.heads(), d);
    double[] out = new double[diag.size()];
    for (int l = 0; l < shape.layers(); l++) {
      for (int k = 0; k < shape.heads(); k++) {
        int o = shape.offset(l, k);
        int t = diag.offset(l, k);
        out[t] = identityPart(params, o, d);
        out[t + 1] = params[o + d * dim + d];
        out[t + 2] = identityPart(params, o + dim * dim, d);
        out[t + 3] = params[o + dim * dim + d * dim + d];
      }
    }
    return out;
  }

  /** The DIAG shape of a FULL model's projection. */
  public static ModelShape diagShape(ModelShape full) {
    return new ModelShape(Variant.DIAG, full.layers(), full.heads(), full.d());
  }

  /**
   * The mean of the x-block's diagonal, as the first entry plus the mean deviation from it, so
   * that it is exactly {@code a} when every entry is {@code a} (an embedded DIAG model).
   */
  private static double identityPart(double[] m, int o, int d) {
    int dim = d + 1;
    double first = m[o];
    double deviation = 0;
    for (int i = 1; i < d; i++) {
      deviation += m[o + i * dim + i] - first;
    }
    return first + deviation / d;
  }

  private static double[][] residual(double[] m, int o, int d) {
    int dim = d + 1;
    double c = identityPart(m, o, d);
    double[][] out = new double[dim][dim];
    for (int r = 0; r < dim; r++) {
      for (int k = 0; k < dim; k++) {
        double v = m[o + r * dim + k];
        out[r][k] = r == k && r < d ? v - c : (r == d && k == d ? 0 : v);
      }
    }
    return out;
  }

  private static void requireFull(ModelShape shape) {
    if (shape.variant() != Variant.FULL) {
      throw new IllegalArgumentException("expected a FULL model, got " + shape.variant());
    }
  }
}
