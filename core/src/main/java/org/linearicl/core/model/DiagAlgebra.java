package org.linearicl.core.model;

import java.util.Arrays;

/**
 * {@link LayerAlgebra} of DIAG and GD++: {@code M_l = I + (1/n) S_l ∘ W_l} with the D x D block
 * matrix W_l of {@link ModelShape#omegas} (four values per layer, GD++ has {@code q_y = 0}). The
 * backward pass computes
 * <pre>
 *   H  += (1/n) (G_M ∘ W + (G_M ∘ W)^T)
 *   dW  = (1/n) G_M ∘ S, summed over the four blocks of W
 * </pre>
 * and the heads' {@code p_x, p_y, q_x, q_y} follow from {@code omega_xx = sum_k p_x q_x} etc. by
 * the chain rule. The last layer forms only row d of M.
 */
final class DiagAlgebra extends LayerAlgebra {
  private final boolean diag; // else GD++
  private final double[] wMat; // W_l per layer, D x D (not per lane)
  private final double[] dOmega; // dLoss/dW block sums, 4 per layer

  DiagAlgebra(ModelShape shape, int n, LaneOps ops, LaneBlock st) {
    super(shape, n, ops, st, shape.layers() * 4);
    this.diag = shape.variant() == Variant.DIAG;
    this.wMat = new double[layers * dd];
    this.dOmega = new double[layers * 4];
  }

  /** The W matrices. */
  @Override
  void prepare(double[] params) {
    for (int l = 0; l < layers; l++) {
      double wxx = 0;
      double wxy = 0;
      double wyx = 0;
      double wyy = 0;
      for (int k = 0; k < heads; k++) {
        int o = shape.offset(l, k);
        double px = params[o];
        double py = params[o + 1];
        double qx = params[o + 2];
        double qy = diag ? params[o + 3] : 0.0;
        wxx += px * qx;
        wxy += px * qy;
        wyx += py * qx;
        wyy += py * qy;
      }
      int wo = l * dd;
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          double w;
          if (a < d) {
            w = b < d ? wxx : wxy;
          } else {
            w = b < d ? wyx : wyy;
          }
          wMat[wo + a * dim + b] = w;
        }
      }
    }
  }

  @Override
  void attention(double[] params, int l) {
    int so = st.matrix(l);
    int wo = l * dd;
    for (int i = 0; i < dd; i++) {
      int base = i * LANES;
      ops.scale(st.ms, so + base, invN * wMat[wo + i], st.sIn, so + base, LANES);
    }
  }

  /** {@code q_L[d] = sum_b (delta_db + (1/n) W[d][b] S[d][b]) q[b]}, keeping row d of M. */
  @Override
  void forwardLastLayer(double[] params) {
    int l = layers - 1;
    double[] qs = st.qs;
    double[] sIn = st.sIn;
    double[] ms = st.ms;
    int so = st.matrix(l);
    int mo = so;
    int qi = st.vector(l);
    int out = st.vector(layers) + d * LANES;
    int wo = l * dd + d * dim;
    int row = (d * dim) * LANES;
    for (int b = 0; b < dim; b++) {
      double w = invN * wMat[wo + b];
      int i = row + b * LANES;
      int qb = qi + b * LANES;
      for (int j = 0; j < LANES; j++) {
        double mdb = w * sIn[so + i + j] + (b == d ? 1.0 : 0.0);
        ms[mo + i + j] = mdb; // row d of M only
        if (b < d) {
          qs[out + j] += mdb * qs[qb + j];
        } else {
          qs[out + j] += (mdb - 1.0) * qs[qb + j]; // q[d] is already in
        }
      }
    }
  }

  /**
   * {@code n dW_yx += g sum_{b<d} q[b] S[d][b]}, {@code n dW_yy += g q[d] S[d][d]},
   * {@code H = (1/n)(X + X^T)} with X the row {@code X[d][b] = g q[b] W[d][b]}, and
   * {@code g_q = g M[d,:]^T}.
   */
  @Override
  void backwardLastLayer(double[] params, boolean needInput) {
    int l = layers - 1;
    double[] qs = st.qs;
    double[] sIn = st.sIn;
    double[] ms = st.ms;
    double[] gq = st.gq;
    double[] h = st.h;
    double[] gqNext = st.gqNext;
    int so = st.matrix(l);
    int mo = so;
    int qi = st.vector(l);
    int gd = d * LANES;
    int base = 4 * l * LANES;
    int row = d * dim * LANES;
    for (int b = 0; b < dim; b++) {
      int out = base + (b < d ? 2 : 3) * LANES;
      int i = so + row + b * LANES;
      int qb = qi + b * LANES;
      for (int j = 0; j < LANES; j++) {
        gradLanes[out + j] += gq[gd + j] * qs[qb + j] * sIn[i + j];
      }
    }
    if (needInput) {
      int wo = l * dd + d * dim;
      for (int b = 0; b < dim; b++) {
        double w = invN * wMat[wo + b];
        int qb = qi + b * LANES;
        int hdb = (d * dim + b) * LANES;
        int hbd = (b * dim + d) * LANES;
        int mdb = mo + row + b * LANES;
        for (int j = 0; j < LANES; j++) {
          double x = w * gq[gd + j] * qs[qb + j];
          h[hdb + j] += x;
          h[hbd + j] += x;
          gqNext[b * LANES + j] += gq[gd + j] * ms[mdb + j];
        }
      }
    }
  }

  @Override
  void backwardLayer(double[] params, int l, boolean needInput) {
    int so = st.matrix(l);
    double[] gm = st.gm;
    // n dW block sums: G_M o S over the blocks xx, xy, yx, yy
    int base = 4 * l * LANES;
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < dim; b++) {
        int blockIdx = (a < d ? 0 : 2) + (b < d ? 0 : 1);
        int i = (a * dim + b) * LANES;
        ops.elementMultAdd(gradLanes, base + blockIdx * LANES, gm, i, st.sIn, so + i, LANES);
      }
    }
    if (needInput) {
      // H += (1/n) (G_M o W + (G_M o W)^T)
      int wo = l * dd;
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          double w1 = invN * wMat[wo + a * dim + b];
          double w2 = invN * wMat[wo + b * dim + a];
          int ab = (a * dim + b) * LANES;
          ops.addLinear(st.hNext, ab, w1, gm, ab, w2, gm, (b * dim + a) * LANES, LANES);
        }
      }
    }
  }

  @Override
  void addLaneSums(double[] params, double[] grad) {
    for (int i = 0; i < dOmega.length; i++) {
      dOmega[i] = invN * laneSum(gradLanes, i);
    }
    chainOmegas(params, grad, 0);
  }

  @Override
  void writeLane(double[] params, int lane, double[] out, int row) {
    for (int i = 0; i < dOmega.length; i++) {
      dOmega[i] = invN * gradLanes[i * LANES + lane];
    }
    Arrays.fill(out, row, row + shape.size(), 0.0);
    chainOmegas(params, out, row);
  }

  /**
   * Chain rule from the dW block sums in {@link #dOmega} to the factorised p, q of every head,
   * added to {@code grad[offset ..]}.
   */
  private void chainOmegas(double[] params, double[] grad, int offset) {
    for (int l = 0; l < layers; l++) {
      double gxx = dOmega[4 * l];
      double gxy = dOmega[4 * l + 1];
      double gyx = dOmega[4 * l + 2];
      double gyy = dOmega[4 * l + 3];
      for (int k = 0; k < heads; k++) {
        int o = shape.offset(l, k);
        int go = offset + o;
        double px = params[o];
        double py = params[o + 1];
        double qx = params[o + 2];
        if (diag) {
          double qy = params[o + 3];
          grad[go] += gxx * qx + gxy * qy;
          grad[go + 1] += gyx * qx + gyy * qy;
          grad[go + 2] += gxx * px + gyx * py;
          grad[go + 3] += gxy * px + gyy * py;
        } else {
          grad[go] += gxx * qx;
          grad[go + 1] += gyx * qx;
          grad[go + 2] += gxx * px + gyx * py;
        }
      }
    }
  }
}
