package org.linearicl.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.task.Batch;

/**
 * Thread-confined workspace for the batched forward and analytic backward pass of a
 * {@link ModelShape} in covariance form (DESIGN.md, "The model, computed well"). One instance per
 * thread; after construction it allocates nothing.
 *
 * <p><b>Forward.</b> With D = d + 1, a sequence enters as {@code S_0 = sum_{j<=n} e_j e_j^T} (the
 * D x D second-moment matrix of its context tokens {@code e_j = (x_j, y_j)}) and the query token
 * {@code q_0 = (x_t, 0)}. Layer l computes {@code M_l = I + (1/n) sum_k P_k S_l Q_k} (for DIAG and
 * GD++ equivalently {@code M_l = I + (1/n) S_l ∘ W_l} with the block matrix W_l of
 * {@link ModelShape#omegas}) and maps {@code S_{l+1} = M_l S_l M_l^T}, {@code q_{l+1} = M_l q_l}.
 * The prediction after layer l is {@code yhat = -q_l[d]}. Cost per sequence: O(n D^2) for S_0, then
 * O(H D^3) per layer, independent of n.
 *
 * <p><b>Backward.</b> With {@code g_q} the gradient of the loss w.r.t. the query token and
 * {@code H = G_S + G_S^T} the symmetrised gradient w.r.t. S (every S_l and every perturbation of it
 * is symmetric, so only the symmetric part of G_S matters), one layer propagates
 * <pre>
 *   G_M = g_q' q^T + H' M S
 *   g_q = M^T g_q'
 *   H   = M^T H' M + (1/n) sum_k (P_k^T G_M Q_k^T + Q_k G_M^T P_k)       (FULL)
 *   H   = M^T H' M + (1/n) (G_M ∘ W + (G_M ∘ W)^T)                        (DIAG, GD++)
 *   dP_k = (1/n) G_M (S Q_k)^T,  dQ_k = (1/n) S P_k^T G_M                 (FULL)
 *   dW   = (1/n) G_M ∘ S, summed over the four blocks of W               (DIAG, GD++)
 * </pre>
 * and the DIAG/GD++ parameters follow from {@code omega_xx = sum_k p_x q_x} etc. by the chain
 * rule. S_0 needs no gradient.
 */
public final class GradientKernel {
  private final ModelShape shape;
  private final Variant variant;
  private final int n;
  private final int d;
  private final int dim;
  private final int dd;
  private final int layers;
  private final int heads;
  private final double invN;

  // Forward state of the current sequence.
  private final double[] sIn; // S_l, l = 0..layers (S_layers only computed on request)
  private final double[] qs; // q_l, l = 0..layers
  private final double[] ms; // M_l, l = 0..layers-1
  private final double[] msProd; // M_l S_l
  private final double[] tq; // FULL: S_l Q_k, per layer and head
  private final double[] omega; // DIAG/GD++: 4 omegas per layer, for the current params
  private final double[] wMat; // DIAG/GD++: the D x D block matrix W_l per layer

  // Backward scratch.
  private final double[] h;
  private final double[] hNext;
  private final double[] gq;
  private final double[] gqNext;
  private final double[] gm;
  private final double[] hm;
  private final double[] u;
  private final double[] tmp;
  private final double[] tmp2;
  private final double[] dOmega; // DIAG/GD++: dLoss/dW block sums, 4 per layer

  /**
   * A workspace for models of shape {@code shape} on sequences with {@code n} context examples.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public GradientKernel(ModelShape shape, int n) {
    this.shape = Objects.requireNonNull(shape, "shape");
    if (n < 1) {
      throw new IllegalArgumentException("n (context examples) must be >= 1, got " + n);
    }
    this.variant = shape.variant();
    this.n = n;
    this.d = shape.d();
    this.dim = shape.tokenDim();
    this.dd = dim * dim;
    this.layers = shape.layers();
    this.heads = shape.heads();
    this.invN = 1.0 / n;
    this.sIn = new double[(layers + 1) * dd];
    this.qs = new double[(layers + 1) * dim];
    this.ms = new double[layers * dd];
    this.msProd = new double[layers * dd];
    this.tq = variant == Variant.FULL ? new double[layers * heads * dd] : new double[0];
    this.omega = new double[layers * 4];
    this.wMat = variant == Variant.FULL ? new double[0] : new double[layers * dd];
    this.h = new double[dd];
    this.hNext = new double[dd];
    this.gq = new double[dim];
    this.gqNext = new double[dim];
    this.gm = new double[dd];
    this.hm = new double[dd];
    this.u = new double[dd];
    this.tmp = new double[dd];
    this.tmp2 = new double[dd];
    this.dOmega = new double[layers * 4];
  }

  /** The shape this workspace was built for. */
  public ModelShape shape() {
    return shape;
  }

  /** The number of context examples this workspace was built for. */
  public int n() {
    return n;
  }

  /**
   * Adds to {@code grad} the gradient w.r.t. {@code params} of
   * {@code sum_{s in [from, to)} 0.5 * (yhat_s - batch.yq[s])^2} and returns that sum (not
   * averaged). {@code yhat_s} is the final-layer prediction of sequence s. The result depends only
   * on the inputs: two calls with equal inputs give identical bits.
   *
   * @throws IllegalArgumentException if params or grad do not have {@code shape.size()} entries,
   *     params are not finite, the batch has another d or n, or [from, to) is not within the batch
   */
  public double accumulate(double[] params, Batch batch, int from, int to, double[] grad) {
    checkInputs(params, batch, from, to);
    Objects.requireNonNull(grad, "grad");
    if (grad.length != shape.size()) {
      throw new IllegalArgumentException("grad must have shape.size() = " + shape.size()
          + " entries, got " + grad.length);
    }
    prepare(params);
    Arrays.fill(dOmega, 0.0);
    double loss = 0.0;
    for (int s = from; s < to; s++) {
      forward(params, batch, s, false);
      double r = -qs[layers * dim + d] - batch.yq[s];
      loss += 0.5 * r * r;
      backward(params, r, grad);
    }
    if (variant != Variant.FULL) {
      chainOmegas(params, grad);
    }
    return loss;
  }

  /**
   * Predictions for sequences [from, to): {@code finalOut[s] = -q_L[d]}, the final-layer
   * prediction; if {@code perLayerOut != null}, {@code perLayerOut[l][s] = -q_{l+1}[d]}, the
   * prediction read out after layer l + 1 (0-based l), so row {@code layers - 1} equals finalOut.
   * Indices s are positions in the batch, so the output arrays need at least {@code to} entries.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or output arrays of
   *     the wrong size
   */
  public void predict(double[] params, Batch batch, int from, int to, double[][] perLayerOut,
      double[] finalOut) {
    checkInputs(params, batch, from, to);
    Objects.requireNonNull(finalOut, "finalOut");
    if (finalOut.length < to) {
      throw new IllegalArgumentException("finalOut needs at least " + to + " entries, got "
          + finalOut.length);
    }
    if (perLayerOut != null) {
      if (perLayerOut.length != layers) {
        throw new IllegalArgumentException("perLayerOut needs " + layers + " rows (one per layer),"
            + " got " + perLayerOut.length);
      }
      for (int l = 0; l < layers; l++) {
        if (perLayerOut[l] == null || perLayerOut[l].length < to) {
          throw new IllegalArgumentException("perLayerOut[" + l + "] needs at least " + to
              + " entries");
        }
      }
    }
    prepare(params);
    for (int s = from; s < to; s++) {
      forward(params, batch, s, false);
      if (perLayerOut != null) {
        for (int l = 0; l < layers; l++) {
          perLayerOut[l][s] = -qs[(l + 1) * dim + d];
        }
      }
      finalOut[s] = -qs[layers * dim + d];
    }
  }

  /**
   * Runs the forward pass of one sequence and copies the per-layer token maps M_l (D x D,
   * row-major, l = 0..layers-1) into {@code mOut} (length {@code layers * D * D}). Used by the
   * Theorem 4.1 read-out.
   */
  void layerMaps(double[] params, Batch batch, int sequence, double[] mOut) {
    checkInputs(params, batch, sequence, sequence + 1);
    prepare(params);
    forward(params, batch, sequence, true);
    System.arraycopy(ms, 0, mOut, 0, layers * dd);
  }

  private void checkInputs(double[] params, Batch batch, int from, int to) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(batch, "batch");
    if (params.length != shape.size()) {
      throw new IllegalArgumentException("params must have shape.size() = " + shape.size()
          + " entries for " + shape + ", got " + params.length);
    }
    for (int i = 0; i < params.length; i++) {
      if (!Double.isFinite(params[i])) {
        throw new IllegalArgumentException("params must be finite; params[" + i + "] = "
            + params[i]);
      }
    }
    if (batch.d != d || batch.n != n) {
      throw new IllegalArgumentException("batch must have d = " + d + " and n = " + n
          + " (the model's), got d = " + batch.d + ", n = " + batch.n);
    }
    if (from < 0 || to > batch.size || from > to) {
      throw new IllegalArgumentException("range [from, to) must satisfy 0 <= from <= to <= "
          + batch.size + " (batch size), got [" + from + ", " + to + ")");
    }
  }

  /** Per-call precomputation that does not depend on the sequence: the DIAG/GD++ W matrices. */
  private void prepare(double[] params) {
    if (variant == Variant.FULL) {
      return;
    }
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
        double qy = variant == Variant.DIAG ? params[o + 3] : 0.0;
        wxx += px * qx;
        wxy += px * qy;
        wyx += py * qx;
        wyy += py * qy;
      }
      omega[4 * l] = wxx;
      omega[4 * l + 1] = wxy;
      omega[4 * l + 2] = wyx;
      omega[4 * l + 3] = wyy;
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

  /** S_0 = sum_j e_j e_j^T of sequence s, written at sIn[0..dd); q_0 = (x_t, 0). */
  private void initialState(Batch batch, int s) {
    double[] x = batch.x;
    double[] y = batch.y;
    Arrays.fill(sIn, 0, dd, 0.0);
    for (int j = 0; j < n; j++) {
      int xo = (s * n + j) * d;
      double yj = y[s * n + j];
      // Upper triangle of the x-block and the x-y column.
      for (int a = 0; a < d; a++) {
        double xa = x[xo + a];
        int row = a * dim;
        for (int b = a; b < d; b++) {
          sIn[row + b] += xa * x[xo + b];
        }
        sIn[row + d] += xa * yj;
      }
      sIn[d * dim + d] += yj * yj;
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < a; b++) {
        sIn[a * dim + b] = sIn[b * dim + a];
      }
    }
    System.arraycopy(batch.xq, s * d, qs, 0, d);
    qs[d] = 0.0;
  }

  /**
   * Forward pass of sequence s. Stores S_l, q_l, M_l, M_l S_l (and for FULL, S_l Q_k). S_L (the
   * context after the last layer) is computed only if {@code full}; nothing downstream needs it.
   */
  private void forward(double[] params, Batch batch, int s, boolean full) {
    initialState(batch, s);
    for (int l = 0; l < layers; l++) {
      int so = l * dd;
      int mo = l * dd;
      if (variant == Variant.FULL) {
        Arrays.fill(tmp, 0.0);
        for (int k = 0; k < heads; k++) {
          int po = shape.offset(l, k);
          int qo = po + dd;
          int to = (l * heads + k) * dd;
          mul(sIn, so, params, qo, tq, to, dim); // T_k = S Q_k
          mulAdd(params, po, tq, to, tmp, 0, dim); // tmp += P_k T_k
        }
        for (int i = 0; i < dd; i++) {
          ms[mo + i] = invN * tmp[i];
        }
      } else {
        for (int i = 0; i < dd; i++) {
          ms[mo + i] = invN * (sIn[so + i] * wMat[mo + i]);
        }
      }
      for (int a = 0; a < dim; a++) {
        ms[mo + a * dim + a] += 1.0;
      }
      // q_{l+1} = M q_l
      int qi = l * dim;
      int qn = qi + dim;
      for (int a = 0; a < dim; a++) {
        double acc = 0.0;
        int row = mo + a * dim;
        for (int b = 0; b < dim; b++) {
          acc += ms[row + b] * qs[qi + b];
        }
        qs[qn + a] = acc;
      }
      if (l < layers - 1 || full) {
        // M S, then S_{l+1} = (M S) M^T, symmetric: upper triangle, mirrored.
        mul(ms, mo, sIn, so, msProd, mo, dim);
        int sn = so + dd;
        for (int a = 0; a < dim; a++) {
          int ra = mo + a * dim;
          for (int b = a; b < dim; b++) {
            int rb = mo + b * dim;
            double acc = 0.0;
            for (int c = 0; c < dim; c++) {
              acc += msProd[ra + c] * ms[rb + c];
            }
            sIn[sn + a * dim + b] = acc;
            sIn[sn + b * dim + a] = acc;
          }
        }
      }
    }
  }

  /** Backward pass of the current sequence, with residual r = yhat - yq. */
  private void backward(double[] params, double r, double[] grad) {
    Arrays.fill(gq, 0.0);
    gq[d] = -r; // yhat = -q_L[d]
    boolean hZero = true; // the loss does not read S_L
    for (int l = layers - 1; l >= 0; l--) {
      int so = l * dd;
      int mo = l * dd;
      int qi = l * dim;
      // G_M = g_q' q^T + H' M S
      if (hZero) {
        Arrays.fill(gm, 0.0);
      } else {
        mul(h, 0, ms, mo, hm, 0, dim); // H' M
        mul(hm, 0, sIn, so, gm, 0, dim); // H' M S
      }
      for (int a = 0; a < dim; a++) {
        double ga = gq[a];
        if (ga != 0.0) {
          int row = a * dim;
          for (int b = 0; b < dim; b++) {
            gm[row + b] += ga * qs[qi + b];
          }
        }
      }
      boolean needInput = l > 0;
      if (needInput) {
        // g_q = M^T g_q'
        Arrays.fill(gqNext, 0.0);
        for (int a = 0; a < dim; a++) {
          double ga = gq[a];
          int row = mo + a * dim;
          for (int b = 0; b < dim; b++) {
            gqNext[b] += ga * ms[row + b];
          }
        }
        // H = M^T H' M + ...
        if (hZero) {
          Arrays.fill(hNext, 0.0);
        } else {
          mulTransA(ms, mo, hm, 0, hNext, 0, dim);
        }
      }
      if (variant == Variant.FULL) {
        for (int k = 0; k < heads; k++) {
          int po = shape.offset(l, k);
          int qo = po + dd;
          int to = (l * heads + k) * dd;
          // dP_k += (1/n) G_M T_k^T
          mulTransB(gm, 0, tq, to, tmp, 0, dim);
          for (int i = 0; i < dd; i++) {
            grad[po + i] += invN * tmp[i];
          }
          // U = P_k^T G_M ; dQ_k += (1/n) S U
          mulTransA(params, po, gm, 0, u, 0, dim);
          mul(sIn, so, u, 0, tmp, 0, dim);
          for (int i = 0; i < dd; i++) {
            grad[qo + i] += invN * tmp[i];
          }
          if (needInput) {
            // H += (1/n) (U Q_k^T + Q_k U^T)
            mulTransB(u, 0, params, qo, tmp, 0, dim);
            for (int a = 0; a < dim; a++) {
              for (int b = 0; b < dim; b++) {
                hNext[a * dim + b] += invN * (tmp[a * dim + b] + tmp[b * dim + a]);
              }
            }
          }
        }
      } else {
        double sxx = 0;
        double sxy = 0;
        double syx = 0;
        double syy = 0;
        for (int a = 0; a < d; a++) {
          int row = a * dim;
          for (int b = 0; b < d; b++) {
            sxx += gm[row + b] * sIn[so + row + b];
          }
          sxy += gm[row + d] * sIn[so + row + d];
        }
        int rowY = d * dim;
        for (int b = 0; b < d; b++) {
          syx += gm[rowY + b] * sIn[so + rowY + b];
        }
        syy += gm[rowY + d] * sIn[so + rowY + d];
        dOmega[4 * l] += invN * sxx;
        dOmega[4 * l + 1] += invN * sxy;
        dOmega[4 * l + 2] += invN * syx;
        dOmega[4 * l + 3] += invN * syy;
        if (needInput) {
          // H += (1/n) (G_M ∘ W + (G_M ∘ W)^T)
          for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
              hNext[a * dim + b] += invN
                  * (gm[a * dim + b] * wMat[mo + a * dim + b]
                      + gm[b * dim + a] * wMat[mo + b * dim + a]);
            }
          }
        }
      }
      if (needInput) {
        System.arraycopy(hNext, 0, h, 0, dd);
        System.arraycopy(gqNext, 0, gq, 0, dim);
        hZero = false;
      }
    }
  }

  /** Chain rule from the accumulated dW block sums to the factorised p, q of every head. */
  private void chainOmegas(double[] params, double[] grad) {
    boolean diag = variant == Variant.DIAG;
    for (int l = 0; l < layers; l++) {
      double gxx = dOmega[4 * l];
      double gxy = dOmega[4 * l + 1];
      double gyx = dOmega[4 * l + 2];
      double gyy = dOmega[4 * l + 3];
      for (int k = 0; k < heads; k++) {
        int o = shape.offset(l, k);
        double px = params[o];
        double py = params[o + 1];
        double qx = params[o + 2];
        if (diag) {
          double qy = params[o + 3];
          grad[o] += gxx * qx + gxy * qy;
          grad[o + 1] += gyx * qx + gyy * qy;
          grad[o + 2] += gxx * px + gyx * py;
          grad[o + 3] += gxy * px + gyy * py;
        } else {
          grad[o] += gxx * qx;
          grad[o + 1] += gyx * qx;
          grad[o + 2] += gxx * px + gyx * py;
        }
      }
    }
  }

  // ---- small dense kernels on D x D row-major blocks; i-k-j order so the inner loop is an axpy.

  /** c = a b. */
  static void mul(double[] a, int ao, double[] b, int bo, double[] c, int co, int m) {
    Arrays.fill(c, co, co + m * m, 0.0);
    mulAdd(a, ao, b, bo, c, co, m);
  }

  /** c += a b. */
  static void mulAdd(double[] a, int ao, double[] b, int bo, double[] c, int co, int m) {
    for (int i = 0; i < m; i++) {
      int ci = co + i * m;
      int ai = ao + i * m;
      for (int k = 0; k < m; k++) {
        double aik = a[ai + k];
        int bk = bo + k * m;
        for (int j = 0; j < m; j++) {
          c[ci + j] += aik * b[bk + j];
        }
      }
    }
  }

  /** c = a^T b. */
  static void mulTransA(double[] a, int ao, double[] b, int bo, double[] c, int co, int m) {
    Arrays.fill(c, co, co + m * m, 0.0);
    for (int k = 0; k < m; k++) {
      int ak = ao + k * m;
      int bk = bo + k * m;
      for (int i = 0; i < m; i++) {
        double aki = a[ak + i];
        int ci = co + i * m;
        for (int j = 0; j < m; j++) {
          c[ci + j] += aki * b[bk + j];
        }
      }
    }
  }

  /** c = a b^T. */
  static void mulTransB(double[] a, int ao, double[] b, int bo, double[] c, int co, int m) {
    for (int i = 0; i < m; i++) {
      int ai = ao + i * m;
      for (int j = 0; j < m; j++) {
        int bj = bo + j * m;
        double acc = 0.0;
        for (int k = 0; k < m; k++) {
          acc += a[ai + k] * b[bj + k];
        }
        c[co + i * m + j] = acc;
      }
    }
  }
}
