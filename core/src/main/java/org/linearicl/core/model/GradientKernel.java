package org.linearicl.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.task.Batch;

/**
 * Thread-confined workspace for the batched forward and analytic backward pass of a
 * {@link ModelShape} in covariance form (docs/method.md, the model). One instance per
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
 * rule. S_0 needs no gradient. The last layer only has to produce the query's y-slot, so there
 * {@code G_M = g e_d q^T} has a single nonzero row and the layer costs O(H D^2), forward and back.
 *
 * <p><b>Layout.</b> {@link #LANES} sequences are processed together with every per-sequence
 * number stored lane-interleaved, so each inner loop runs over lanes (contiguous, fixed length).
 * The loss and the gradient are summed per lane and reduced over lanes in a fixed order at the end
 * of a call: equal inputs give identical bits, but a range split in two gives the same sum only to
 * rounding.
 */
public final class GradientKernel {
  /**
   * Sequences processed together. Every per-sequence quantity is stored lane-interleaved,
   * {@code value(index) of lane l} at {@code [index * LANES + l]}, so the innermost loop of every
   * matrix product runs over the lanes: contiguous, fixed trip count, no reduction, one SIMD
   * instruction per 4 (AVX2) lanes in {@link LaneOps}'s vector implementation. A block that is not
   * full is padded with all-zero sequences, which contribute exactly nothing.
   */
  static final int LANES = 32;

  private final LaneOps ops;
  private final ModelShape shape;
  private final Variant variant;
  private final int n;
  private final int d;
  private final int dim;
  private final int dd;
  private final int layers;
  private final int heads;
  private final double invN;

  // Forward state of the current block (lane-interleaved).
  private final double[] sIn; // S_l, l = 0..layers (S_layers only computed on request)
  private final double[] qs; // q_l, l = 0..layers
  private final double[] ms; // M_l, l = 0..layers-1
  private final double[] msProd; // M_l S_l
  private final double[] tq; // FULL: S_l Q_k, per layer and head
  private final double[] omega; // DIAG/GD++: 4 omegas per layer, for the current params
  private final double[] wMat; // DIAG/GD++: the D x D block matrix W_l per layer (not per lane)
  private final double[] tokT; // the context tokens of one sequence, transposed: [c * n + j]

  // Backward scratch (lane-interleaved).
  private final double[] h;
  private final double[] hNext;
  private final double[] gq;
  private final double[] gqNext;
  private final double[] gm;
  private final double[] hm;
  private final double[] u;
  private final double[] tmp;
  private final double[] resid; // yhat - yq per lane (0 on padding lanes)
  private final double[] lossLanes;
  private final double[] gradLanes; // FULL: n * dLoss/dparams per lane; DIAG/GD++: n * dLoss/dW
  private final double[] dOmega; // DIAG/GD++: dLoss/dW block sums, 4 per layer
  // Last layer, which only needs the query's y-slot: per head Q_k q, S Q_k q, S P_k[d,:]^T.
  private final double[] lastZ;
  private final double[] lastV;
  private final double[] lastR;

  /**
   * A workspace for models of shape {@code shape} on sequences with {@code n} context examples.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public GradientKernel(ModelShape shape, int n) {
    this(shape, n, LaneOps.best());
  }

  /** A workspace that computes with the given lane arithmetic (tests compare the two). */
  GradientKernel(ModelShape shape, int n, LaneOps ops) {
    this.ops = Objects.requireNonNull(ops, "ops");
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
    int blk = dd * LANES;
    this.sIn = new double[(layers + 1) * blk];
    this.qs = new double[(layers + 1) * dim * LANES];
    this.ms = new double[layers * blk];
    this.msProd = new double[layers * blk];
    this.tq = variant == Variant.FULL ? new double[layers * heads * blk] : new double[0];
    this.omega = new double[layers * 4];
    this.wMat = variant == Variant.FULL ? new double[0] : new double[layers * dd];
    this.tokT = new double[dim * n];
    this.h = new double[blk];
    this.hNext = new double[blk];
    this.gq = new double[dim * LANES];
    this.gqNext = new double[dim * LANES];
    this.gm = new double[blk];
    this.hm = new double[blk];
    this.u = new double[blk];
    this.tmp = new double[blk];
    this.resid = new double[LANES];
    this.lossLanes = new double[LANES];
    this.gradLanes = new double[(variant == Variant.FULL ? shape.size() : layers * 4) * LANES];
    this.dOmega = new double[layers * 4];
    int hv = variant == Variant.FULL ? heads * dim * LANES : 0;
    this.lastZ = new double[hv];
    this.lastV = new double[hv];
    this.lastR = new double[hv];
  }

  /**
   * The lane arithmetic kernels of this JVM use: {@code simd-N} (N doubles per vector, when java
   * runs with {@code --add-modules jdk.incubator.vector}) or {@code scalar}. Both give the same
   * bits; only the speed differs.
   */
  public static String arithmetic() {
    return LaneOps.best().name();
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
    Arrays.fill(gradLanes, 0.0);
    Arrays.fill(lossLanes, 0.0);
    int yOff = layers * dim * LANES + d * LANES; // q_L[d], lane 0
    for (int s0 = from; s0 < to; s0 += LANES) {
      int nb = Math.min(LANES, to - s0);
      forward(params, batch, s0, nb, false);
      for (int l = 0; l < LANES; l++) {
        double r = l < nb ? -qs[yOff + l] - batch.yq[s0 + l] : 0.0;
        resid[l] = r;
        lossLanes[l] += 0.5 * r * r;
      }
      backward(params);
    }
    double loss = 0.0;
    for (int l = 0; l < LANES; l++) {
      loss += lossLanes[l];
    }
    if (variant == Variant.FULL) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] += invN * laneSum(gradLanes, i);
      }
    } else {
      for (int i = 0; i < dOmega.length; i++) {
        dOmega[i] = invN * laneSum(gradLanes, i);
      }
      chainOmegas(params, grad, 0);
    }
    return loss;
  }

  /**
   * The residuals {@code resid[s - from] = yhat_s - batch.yq[s]} of sequences [from, to): the
   * forward pass only.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or a {@code resid}
   *     with fewer than {@code to - from} entries
   */
  public void residuals(double[] params, Batch batch, int from, int to, double[] resid) {
    checkInputs(params, batch, from, to);
    KernelArgs.length("resid", resid, to - from);
    prepare(params);
    int yOff = layers * dim * LANES + d * LANES;
    for (int s0 = from; s0 < to; s0 += LANES) {
      int nb = Math.min(LANES, to - s0);
      forward(params, batch, s0, nb, false);
      for (int l = 0; l < nb; l++) {
        resid[s0 - from + l] = -qs[yOff + l] - batch.yq[s0 + l];
      }
    }
  }

  /**
   * The residuals of {@link #residuals} and their gradients, one row per sequence:
   * {@code jac[(s - from) * shape.size() + j] = d resid_s / d params_j}. This is the Jacobian a
   * least-squares optimiser needs (the loss is {@code 0.5 * sum_s resid_s^2}); it is the backward
   * pass of {@link #accumulate} seeded with 1 instead of the residual, read per lane instead of
   * summed.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or output arrays that
   *     are too short
   */
  public void jacobian(double[] params, Batch batch, int from, int to, double[] resid,
      double[] jac) {
    checkInputs(params, batch, from, to);
    int size = shape.size();
    KernelArgs.length("resid", resid, to - from);
    KernelArgs.length("jac", jac, (long) (to - from) * size);
    prepare(params);
    int yOff = layers * dim * LANES + d * LANES;
    for (int s0 = from; s0 < to; s0 += LANES) {
      int nb = Math.min(LANES, to - s0);
      forward(params, batch, s0, nb, false);
      for (int l = 0; l < LANES; l++) {
        if (l < nb) {
          resid[s0 - from + l] = -qs[yOff + l] - batch.yq[s0 + l];
        }
        this.resid[l] = l < nb ? 1.0 : 0.0; // seed d resid / d resid = 1
      }
      Arrays.fill(gradLanes, 0.0);
      backward(params);
      for (int l = 0; l < nb; l++) {
        int row = (s0 - from + l) * size;
        if (variant == Variant.FULL) {
          for (int i = 0; i < size; i++) {
            jac[row + i] = invN * gradLanes[i * LANES + l];
          }
        } else {
          for (int i = 0; i < dOmega.length; i++) {
            dOmega[i] = invN * gradLanes[i * LANES + l];
          }
          Arrays.fill(jac, row, row + size, 0.0);
          chainOmegas(params, jac, row);
        }
      }
    }
  }

  /** The sum over lanes of entry {@code index} of a lane-interleaved array, in lane order. */
  private static double laneSum(double[] a, int index) {
    double acc = 0.0;
    int o = index * LANES;
    for (int l = 0; l < LANES; l++) {
      acc += a[o + l];
    }
    return acc;
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
    KernelArgs.predictions(layers, to, perLayerOut, finalOut);
    prepare(params);
    for (int s0 = from; s0 < to; s0 += LANES) {
      int nb = Math.min(LANES, to - s0);
      forward(params, batch, s0, nb, false);
      for (int j = 0; j < nb; j++) {
        if (perLayerOut != null) {
          for (int l = 0; l < layers; l++) {
            perLayerOut[l][s0 + j] = -qs[((l + 1) * dim + d) * LANES + j];
          }
        }
        finalOut[s0 + j] = -qs[(layers * dim + d) * LANES + j];
      }
    }
  }

  /**
   * Computes the context statistics S_0 and the query q_0 of sequences [from, to), block by
   * block, and discards them: the O(n D^2) part of the forward pass alone, for profiling.
   */
  public void contextStatistics(Batch batch, int from, int to) {
    Objects.requireNonNull(batch, "batch");
    if (batch.d != d || batch.n != n || from < 0 || to > batch.size || from > to) {
      throw new IllegalArgumentException("batch must have d = " + d + ", n = " + n
          + " and contain [" + from + ", " + to + ")");
    }
    for (int s0 = from; s0 < to; s0 += LANES) {
      initialState(batch, s0, Math.min(LANES, to - s0));
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
    forward(params, batch, sequence, 1, true);
    for (int i = 0; i < layers * dd; i++) {
      mOut[i] = ms[i * LANES];
    }
  }

  private void checkInputs(double[] params, Batch batch, int from, int to) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(batch, "batch");
    shape.checkParams(params);
    KernelArgs.sameTask(d, n, batch.d, batch.n, "batch");
    KernelArgs.range(from, to, batch.size, "batch");
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

  /**
   * S_0 = sum_j e_j e_j^T and q_0 = (x_t, 0) of sequences s0 .. s0+nb-1 into lanes 0..nb-1;
   * lanes nb..LANES-1 are zero.
   */
  private void initialState(Batch batch, int s0, int nb) {
    double[] x = batch.x;
    double[] y = batch.y;
    Arrays.fill(sIn, 0, dd * LANES, 0.0);
    Arrays.fill(qs, 0, dim * LANES, 0.0);
    for (int lane = 0; lane < nb; lane++) {
      int s = s0 + lane;
      // The tokens transposed, tokT[c * n + j] = e_j[c], so that every entry of S_0 is a dot
      // product of two contiguous rows, summed over j in order in a register (four entries of
      // a row at a time, sharing the loads of row a).
      for (int j = 0; j < n; j++) {
        int xo = (s * n + j) * d;
        for (int c = 0; c < d; c++) {
          tokT[c * n + j] = x[xo + c];
        }
        tokT[d * n + j] = y[s * n + j];
      }
      for (int a = 0; a < dim; a++) {
        int ra = a * n;
        int b = a;
        for (; b + 4 <= dim; b += 4) {
          int r0 = b * n;
          int r1 = r0 + n;
          int r2 = r1 + n;
          int r3 = r2 + n;
          double c0 = 0.0;
          double c1 = 0.0;
          double c2 = 0.0;
          double c3 = 0.0;
          for (int j = 0; j < n; j++) {
            double e = tokT[ra + j];
            c0 += e * tokT[r0 + j];
            c1 += e * tokT[r1 + j];
            c2 += e * tokT[r2 + j];
            c3 += e * tokT[r3 + j];
          }
          putSymmetric(a, b, lane, c0);
          putSymmetric(a, b + 1, lane, c1);
          putSymmetric(a, b + 2, lane, c2);
          putSymmetric(a, b + 3, lane, c3);
        }
        for (; b < dim; b++) {
          int r0 = b * n;
          double c0 = 0.0;
          for (int j = 0; j < n; j++) {
            c0 += tokT[ra + j] * tokT[r0 + j];
          }
          putSymmetric(a, b, lane, c0);
        }
      }
      for (int k = 0; k < d; k++) {
        qs[k * LANES + lane] = batch.xq[s * d + k];
      }
    }
  }

  /** S_0[a][b] = S_0[b][a] = v in lane {@code lane} of block 0. */
  private void putSymmetric(int a, int b, int lane, double v) {
    sIn[(a * dim + b) * LANES + lane] = v;
    sIn[(b * dim + a) * LANES + lane] = v;
  }

  /**
   * Forward pass of a block. Stores S_l, q_l, M_l, M_l S_l (and for FULL, S_l Q_k). S_L (the
   * context after the last layer) is computed only if {@code full}; nothing downstream needs it.
   */
  private void forward(double[] params, Batch batch, int s0, int nb, boolean full) {
    initialState(batch, s0, nb);
    int blk = dd * LANES;
    for (int l = 0; l < layers; l++) {
      if (l == layers - 1 && !full) {
        forwardLastLayer(params);
        return;
      }
      int so = l * blk;
      int mo = l * blk;
      if (variant == Variant.FULL) {
        Arrays.fill(tmp, 0.0);
        for (int k = 0; k < heads; k++) {
          int po = shape.offset(l, k);
          int qo = po + dd;
          int to = (l * heads + k) * blk;
          ops.multParamB(dim, sIn, so, params, qo, tq, to); // T_k = S Q_k
          ops.multAddParamA(dim, params, po, tq, to, tmp, 0); // tmp += P_k T_k
        }
        ops.scale(ms, mo, invN, tmp, 0, blk);
      } else {
        int wo = l * dd;
        for (int i = 0; i < dd; i++) {
          int base = i * LANES;
          ops.scale(ms, mo + base, invN * wMat[wo + i], sIn, so + base, LANES);
        }
      }
      for (int a = 0; a < dim; a++) {
        int base = mo + (a * dim + a) * LANES;
        for (int j = 0; j < LANES; j++) {
          ms[base + j] += 1.0;
        }
      }
      // q_{l+1} = M q_l
      int qi = l * dim * LANES;
      int qn = qi + dim * LANES;
      Arrays.fill(qs, qn, qn + dim * LANES, 0.0);
      for (int a = 0; a < dim; a++) {
        int outBase = qn + a * LANES;
        for (int b = 0; b < dim; b++) {
          ops.elementMultAdd(qs, outBase, ms, mo + (a * dim + b) * LANES, qs, qi + b * LANES, LANES);
        }
      }
      if (l < layers - 1 || full) {
        // M S, then S_{l+1} = (M S) M^T, symmetric: upper triangle, mirrored.
        ops.mult(dim, ms, mo, sIn, so, msProd, mo);
        ops.symmetricABTrans(dim, msProd, mo, ms, mo, sIn, so + blk);
      }
    }
  }

  /** Backward pass of the current block, with the residuals {@code resid} = yhat - yq per lane. */
  private void backward(double[] params) {
    int blk = dd * LANES;
    Arrays.fill(gq, 0.0);
    for (int j = 0; j < LANES; j++) {
      gq[d * LANES + j] = -resid[j]; // yhat = -q_L[d]
    }
    backwardLastLayer(params);
    boolean hZero = layers == 1; // else the last layer has set h and gq
    for (int l = layers - 2; l >= 0; l--) {
      int so = l * blk;
      int mo = l * blk;
      int qi = l * dim * LANES;
      // G_M = g_q' q^T + H' M S
      if (hZero) {
        Arrays.fill(gm, 0.0);
      } else {
        ops.mult(dim, h, 0, ms, mo, hm, 0); // H' M
        ops.mult(dim, hm, 0, sIn, so, gm, 0); // H' M S
      }
      for (int a = 0; a < dim; a++) {
        int ga = a * LANES;
        for (int b = 0; b < dim; b++) {
          ops.elementMultAdd(gm, (a * dim + b) * LANES, gq, ga, qs, qi + b * LANES, LANES);
        }
      }
      boolean needInput = l > 0;
      if (needInput) {
        // g_q = M^T g_q'
        Arrays.fill(gqNext, 0.0);
        for (int a = 0; a < dim; a++) {
          int ga = a * LANES;
          for (int b = 0; b < dim; b++) {
            ops.elementMultAdd(gqNext, b * LANES, gq, ga, ms, mo + (a * dim + b) * LANES, LANES);
          }
        }
        // H = M^T H' M + ...
        if (hZero) {
          Arrays.fill(hNext, 0.0);
        } else {
          ops.symmetricTransAB(dim, ms, mo, hm, 0, hNext, 0); // M^T (H' M), symmetric: half
        }
      }
      if (variant == Variant.FULL) {
        for (int k = 0; k < heads; k++) {
          int po = shape.offset(l, k);
          int qo = po + dd;
          int to = (l * heads + k) * blk;
          // n dP_k += G_M T_k^T
          ops.multAddTransB(dim, gm, 0, tq, to, gradLanes, po * LANES);
          // U = P_k^T G_M ; n dQ_k += S U
          Arrays.fill(u, 0.0);
          ops.multAddTransParamA(dim, params, po, gm, 0, u, 0);
          ops.multAdd(dim, sIn, so, u, 0, gradLanes, qo * LANES);
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
      } else {
        // n dW block sums: G_M o S over the blocks xx, xy, yx, yy
        int base = 4 * l * LANES;
        for (int a = 0; a < dim; a++) {
          for (int b = 0; b < dim; b++) {
            int blockIdx = (a < d ? 0 : 2) + (b < d ? 0 : 1);
            int i = (a * dim + b) * LANES;
            ops.elementMultAdd(gradLanes, base + blockIdx * LANES, gm, i, sIn, so + i, LANES);
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
              ops.addLinear(hNext, ab, w1, gm, ab, w2, gm, (b * dim + a) * LANES, LANES);
            }
          }
        }
      }
      if (needInput) {
        System.arraycopy(hNext, 0, h, 0, blk);
        System.arraycopy(gqNext, 0, gq, 0, dim * LANES);
        hZero = false;
      }
    }
  }

  /**
   * The last layer when only the prediction is needed: the query's y-slot
   * {@code q_L[d] = q[d] + (1/n) sum_k P_k[d,:] S Q_k q} (FULL) or
   * {@code q_L[d] = sum_b (delta_db + (1/n) W[d][b] S[d][b]) q[b]} (DIAG, GD++), in O(H D^2):
   * neither M_{L-1} beyond its last row nor S_L is formed.
   */
  private void forwardLastLayer(double[] params) {
    int l = layers - 1;
    int so = l * dd * LANES;
    int mo = so;
    int qi = l * dim * LANES;
    int out = (layers * dim + d) * LANES;
    System.arraycopy(qs, qi + d * LANES, qs, out, LANES); // q[d]
    if (variant == Variant.FULL) {
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
    } else {
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
  }

  /**
   * Backward through the last layer, where {@code G_M = g e_d q^T} (g = -resid) has one nonzero
   * row and the loss does not read S_L: FULL {@code n dP_k[d,:] += g (S Q_k q)^T},
   * {@code n dQ_k += g (S P_k[d,:]^T) q^T}, {@code H = (g/n) sum_k (p_k z_k^T + z_k p_k^T)} with
   * {@code p_k = P_k[d,:]^T, z_k = Q_k q}; DIAG {@code n dW_yx += g sum_{b<d} q[b] S[d][b]},
   * {@code n dW_yy += g q[d] S[d][d]}, {@code H = (1/n)(X + X^T)} with X the row
   * {@code X[d][b] = g q[b] W[d][b]}; and {@code g_q = g M[d,:]^T}. Sets h and gq for layer L-2.
   */
  private void backwardLastLayer(double[] params) {
    int l = layers - 1;
    int so = l * dd * LANES;
    int mo = so;
    int qi = l * dim * LANES;
    boolean needInput = l > 0;
    // gq holds g at [d]; the previous layers need h and M^T g_q.
    if (needInput) {
      Arrays.fill(h, 0.0);
      Arrays.fill(gqNext, 0.0);
    }
    int gd = d * LANES;
    if (variant == Variant.FULL) {
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
    } else {
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
    if (needInput) {
      System.arraycopy(gqNext, 0, gq, 0, dim * LANES);
    }
  }

  /**
   * Chain rule from the dW block sums in {@link #dOmega} to the factorised p, q of every head,
   * added to {@code grad[offset ..]}.
   */
  private void chainOmegas(double[] params, double[] grad, int offset) {
    boolean diag = variant == Variant.DIAG;
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
}
