package org.linearicl.core.model;

import java.util.Arrays;

/**
 * {@link LayerAlgebra} of FULL: dense P_k and Q_k per head. A middle layer keeps
 * {@code T_k = S Q_k} from the forward pass for the backward one, which computes
 * <pre>
 *   H   += (1/n) sum_k (P_k^T G_M Q_k^T + Q_k G_M^T P_k)
 *   dP_k = (1/n) G_M T_k^T,  dQ_k = (1/n) S P_k^T G_M
 * </pre>
 * The last layer works with the query's y-slot alone: per head {@code z_k = Q_k q},
 * {@code v_k = S z_k} and {@code r_k = S P_k[d,:]^T}.
 */
final class FullAlgebra extends LayerAlgebra {
  private final double[] tq; // T_k = S_l Q_k per layer and head
  private final double[] u; // P_k^T G_M
  private final double[] tmp; // sum_k P_k T_k (forward), U Q_k^T (backward)
  private final double[] lastZ;
  private final double[] lastV;
  private final double[] lastR;

  FullAlgebra(ModelShape shape, int n, LaneOps ops, LaneBlock st) {
    super(shape, n, ops, st, shape.size());
    int blk = dd * LANES;
    this.tq = new double[layers * heads * blk];
    this.u = new double[blk];
    this.tmp = new double[blk];
    int hv = heads * dim * LANES;
    this.lastZ = new double[hv];
    this.lastV = new double[hv];
    this.lastR = new double[hv];
  }

  @Override
  void prepare(double[] params) {
    // the products read P_k and Q_k from params directly
  }

  @Override
  void attention(double[] params, int l) {
    int blk = dd * LANES;
    int so = st.matrix(l);
    Arrays.fill(tmp, 0.0);
    for (int k = 0; k < heads; k++) {
      int po = shape.offset(l, k);
      int qo = po + dd;
      int to = (l * heads + k) * blk;
      ops.multParamB(dim, st.sIn, so, params, qo, tq, to); // T_k = S Q_k
      ops.multAddParamA(dim, params, po, tq, to, tmp, 0); // tmp += P_k T_k
    }
    ops.scale(st.ms, so, invN, tmp, 0, blk);
  }

  /** {@code q_L[d] += (1/n) sum_k P_k[d,:] S Q_k q}. */
  @Override
  void forwardLastLayer(double[] params) {
    int l = layers - 1;
    double[] qs = st.qs;
    double[] sIn = st.sIn;
    int so = st.matrix(l);
    int qi = st.vector(l);
    int out = st.vector(layers) + d * LANES;
    Arrays.fill(tmp, 0, LANES, 0.0);
    for (int k = 0; k < heads; k++) {
      int po = shape.offset(l, k);
      int qo = po + dd;
      int hk = k * dim * LANES;
      Arrays.fill(lastZ, hk, hk + dim * LANES, 0.0);
      Arrays.fill(lastV, hk, hk + dim * LANES, 0.0);
      Arrays.fill(lastR, hk, hk + dim * LANES, 0.0);
      for (int a = 0; a < dim; a++) {
        int za = hk + a * LANES;
        for (int b = 0; b < dim; b++) {
          double qab = params[qo + a * dim + b];
          double pdb = params[po + d * dim + b];
          int qb = qi + b * LANES;
          int sab = so + (a * dim + b) * LANES;
          for (int j = 0; j < LANES; j++) {
            lastZ[za + j] += qab * qs[qb + j]; // z = Q q
            lastR[za + j] += pdb * sIn[sab + j]; // r = S p, p = P[d,:]^T (S symmetric)
          }
        }
      }
      for (int a = 0; a < dim; a++) {
        int va = hk + a * LANES;
        for (int b = 0; b < dim; b++) {
          int sab = so + (a * dim + b) * LANES;
          int zb = hk + b * LANES;
          for (int j = 0; j < LANES; j++) {
            lastV[va + j] += sIn[sab + j] * lastZ[zb + j]; // v = S z
          }
        }
        double pda = params[po + d * dim + a];
        for (int j = 0; j < LANES; j++) {
          tmp[j] += pda * lastV[va + j]; // <p, S Q q>
        }
      }
    }
    for (int j = 0; j < LANES; j++) {
      qs[out + j] += invN * tmp[j];
    }
  }

  /**
   * {@code n dP_k[d,:] += g v_k^T}, {@code n dQ_k += g r_k q^T},
   * {@code H = (g/n) sum_k (p_k z_k^T + z_k p_k^T)} with {@code p_k = P_k[d,:]^T}, and
   * {@code g_q = g M[d,:]^T}.
   */
  @Override
  void backwardLastLayer(double[] params, boolean needInput) {
    int l = layers - 1;
    double[] qs = st.qs;
    double[] gq = st.gq;
    double[] h = st.h;
    double[] gqNext = st.gqNext;
    int qi = st.vector(l);
    int gd = d * LANES;
    for (int k = 0; k < heads; k++) {
      int po = shape.offset(l, k);
      int qo = po + dd;
      int hk = k * dim * LANES;
      int dRow = (po + d * dim) * LANES;
      for (int b = 0; b < dim; b++) {
        int vb = hk + b * LANES;
        for (int j = 0; j < LANES; j++) {
          gradLanes[dRow + b * LANES + j] += gq[gd + j] * lastV[vb + j];
        }
      }
      for (int a = 0; a < dim; a++) {
        int ra = hk + a * LANES;
        for (int b = 0; b < dim; b++) {
          int gi = (qo + a * dim + b) * LANES;
          int qb = qi + b * LANES;
          for (int j = 0; j < LANES; j++) {
            gradLanes[gi + j] += gq[gd + j] * lastR[ra + j] * qs[qb + j];
          }
        }
      }
      if (needInput) {
        for (int a = 0; a < dim; a++) {
          double pa = params[po + d * dim + a];
          int za = hk + a * LANES;
          for (int b = 0; b < dim; b++) {
            double pb = params[po + d * dim + b];
            int zb = hk + b * LANES;
            int hab = (a * dim + b) * LANES;
            for (int j = 0; j < LANES; j++) {
              h[hab + j] += invN * gq[gd + j] * (pa * lastZ[zb + j] + lastZ[za + j] * pb);
            }
          }
          // M[d][b] = delta_db + (1/n) sum_k sum_a Q_k[a][b] r_k[a]; g_q = g M[d,:]^T
          for (int b = 0; b < dim; b++) {
            double qab = params[qo + a * dim + b];
            int out = b * LANES;
            for (int j = 0; j < LANES; j++) {
              gqNext[out + j] += invN * qab * lastR[za + j] * gq[gd + j];
            }
          }
        }
      }
    }
    if (needInput) {
      for (int j = 0; j < LANES; j++) {
        gqNext[gd + j] += gq[gd + j];
      }
    }
  }

  @Override
  void backwardLayer(double[] params, int l, boolean needInput) {
    int blk = dd * LANES;
    int so = st.matrix(l);
    double[] gm = st.gm;
    double[] hNext = st.hNext;
    for (int k = 0; k < heads; k++) {
      int po = shape.offset(l, k);
      int qo = po + dd;
      int to = (l * heads + k) * blk;
      // n dP_k += G_M T_k^T
      ops.multAddTransB(dim, gm, 0, tq, to, gradLanes, po * LANES);
      // U = P_k^T G_M ; n dQ_k += S U
      Arrays.fill(u, 0.0);
      ops.multAddTransParamA(dim, params, po, gm, 0, u, 0);
      ops.multAdd(dim, st.sIn, so, u, 0, gradLanes, qo * LANES);
      if (needInput) {
        // H += (1/n) (U Q_k^T + Q_k U^T)
        ops.multTransParamB(dim, u, 0, params, qo, tmp, 0);
        for (int a = 0; a < dim; a++) {
          for (int b = 0; b < dim; b++) {
            int ab = (a * dim + b) * LANES;
            ops.addScaledSum(hNext, ab, invN, tmp, ab, tmp, (b * dim + a) * LANES, LANES);
          }
        }
      }
    }
  }

  @Override
  void addLaneSums(double[] params, double[] grad) {
    for (int i = 0; i < grad.length; i++) {
      grad[i] += invN * laneSum(gradLanes, i);
    }
  }

  @Override
  void writeLane(double[] params, int lane, double[] out, int row) {
    int size = shape.size();
    for (int i = 0; i < size; i++) {
      out[row + i] = invN * gradLanes[i * LANES + lane];
    }
  }
}
