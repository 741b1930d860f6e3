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
 *   H   = M^T H' M + the attention terms of the variant
 * </pre>
 * and the gradient w.r.t. the layer's parameters follows from G_M ({@link FullAlgebra},
 * {@link DiagAlgebra}). S_0 needs no gradient. The last layer only has to produce the query's
 * y-slot, so there {@code G_M = g e_d q^T} has a single nonzero row and the layer costs O(H D^2),
 * forward and back.
 *
 * <p><b>Layout.</b> {@link #LANES} sequences are processed together with every per-sequence
 * number stored lane-interleaved, so each inner loop runs over lanes (contiguous, fixed length).
 * The loss and the gradient are summed per lane and reduced over lanes in a fixed order at the end
 * of a call: equal inputs give identical bits, but a range split in two gives the same sum only to
 * rounding.
 *
 * <p><b>Variants.</b> Everything that depends on the variant, how the parameters make M and the
 * gradient w.r.t. them, is behind {@link LayerAlgebra} ({@link FullAlgebra}, {@link DiagAlgebra}),
 * chosen once per workspace; this class runs the rest, the same for every variant.
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
  private final int n;
  private final int d;
  private final int dim;
  private final int dd;
  private final int layers;

  private final LaneBlock st; // forward state and backward gradients of the block in flight
  private final LayerAlgebra algebra;
  private final double[] msProd; // M_l S_l
  private final double[] hm; // H' M
  private final double[] tokT; // the context tokens of one sequence, transposed: [c * n + j]
  private final double[] resid; // yhat - yq per lane (0 on padding lanes)
  private final double[] lossLanes;

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
    this.n = n;
    this.d = shape.d();
    this.dim = shape.tokenDim();
    this.dd = dim * dim;
    this.layers = shape.layers();
    int blk = dd * LANES;
    this.st = new LaneBlock(shape);
    this.algebra = LayerAlgebra.of(shape, n, ops, st);
    this.msProd = new double[layers * blk];
    this.hm = new double[blk];
    this.tokT = new double[dim * n];
    this.resid = new double[LANES];
    this.lossLanes = new double[LANES];
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
    algebra.prepare(params);
    algebra.clearGradient();
    Arrays.fill(lossLanes, 0.0);
    double[] qs = st.qs;
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
    algebra.addLaneSums(params, grad);
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
    algebra.prepare(params);
    for (int s0 = from; s0 < to; s0 += LANES) {
      forwardResiduals(params, batch, s0, from, to, resid);
    }
  }

  /**
   * The forward pass of the lane block at {@code s0} (of [from, to)), its residuals written to
   * {@code resid[s0 - from ..]}; returns the block's sequence count.
   */
  private int forwardResiduals(double[] params, Batch batch, int s0, int from, int to,
      double[] resid) {
    int nb = Math.min(LANES, to - s0);
    forward(params, batch, s0, nb, false);
    double[] qs = st.qs;
    int yOff = layers * dim * LANES + d * LANES;
    for (int l = 0; l < nb; l++) {
      resid[s0 - from + l] = -qs[yOff + l] - batch.yq[s0 + l];
    }
    return nb;
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
    algebra.prepare(params);
    for (int s0 = from; s0 < to; s0 += LANES) {
      int nb = forwardResiduals(params, batch, s0, from, to, resid);
      for (int l = 0; l < LANES; l++) {
        this.resid[l] = l < nb ? 1.0 : 0.0; // seed d resid / d resid = 1
      }
      algebra.clearGradient();
      backward(params);
      for (int l = 0; l < nb; l++) {
        algebra.writeLane(params, l, jac, (s0 - from + l) * size);
      }
    }
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
    algebra.prepare(params);
    double[] qs = st.qs;
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
    algebra.prepare(params);
    forward(params, batch, sequence, 1, true);
    for (int i = 0; i < layers * dd; i++) {
      mOut[i] = st.ms[i * LANES];
    }
  }

  private void checkInputs(double[] params, Batch batch, int from, int to) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(batch, "batch");
    shape.checkParams(params);
    KernelArgs.sameTask(d, n, batch.d, batch.n, "batch");
    KernelArgs.range(from, to, batch.size, "batch");
  }

  /**
   * S_0 = sum_j e_j e_j^T and q_0 = (x_t, 0) of sequences s0 .. s0+nb-1 into lanes 0..nb-1;
   * lanes nb..LANES-1 are zero.
   */
  private void initialState(Batch batch, int s0, int nb) {
    double[] sIn = st.sIn;
    double[] qs = st.qs;
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
    st.sIn[(a * dim + b) * LANES + lane] = v;
    st.sIn[(b * dim + a) * LANES + lane] = v;
  }

  /**
   * Forward pass of a block. Stores S_l, q_l, M_l, M_l S_l (and what the algebra keeps for the
   * backward pass). S_L (the context after the last layer) is computed only if {@code full};
   * nothing downstream needs it, and without it the last layer only has to produce the query's
   * y-slot.
   */
  private void forward(double[] params, Batch batch, int s0, int nb, boolean full) {
    initialState(batch, s0, nb);
    double[] sIn = st.sIn;
    double[] qs = st.qs;
    double[] ms = st.ms;
    int blk = dd * LANES;
    for (int l = 0; l < layers; l++) {
      int qi = st.vector(l);
      if (l == layers - 1 && !full) {
        // q_L[d] = q[d] + the attention term, in O(H D^2): neither M_{L-1} nor S_L is formed
        System.arraycopy(qs, qi + d * LANES, qs, st.vector(layers) + d * LANES, LANES);
        algebra.forwardLastLayer(params);
        return;
      }
      int so = st.matrix(l);
      int mo = so;
      algebra.attention(params, l); // M = (1/n) sum_k P_k S Q_k ...
      for (int a = 0; a < dim; a++) { // ... + I
        int base = mo + (a * dim + a) * LANES;
        for (int j = 0; j < LANES; j++) {
          ms[base + j] += 1.0;
        }
      }
      // q_{l+1} = M q_l
      int qn = qi + dim * LANES;
      Arrays.fill(qs, qn, qn + dim * LANES, 0.0);
      for (int a = 0; a < dim; a++) {
        int outBase = qn + a * LANES;
        for (int b = 0; b < dim; b++) {
          ops.elementMultAdd(qs, outBase, ms, mo + (a * dim + b) * LANES, qs, qi + b * LANES,
              LANES);
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
    double[] gq = st.gq; // read and written lane by lane
    int blk = dd * LANES;
    Arrays.fill(gq, 0.0);
    for (int j = 0; j < LANES; j++) {
      gq[d * LANES + j] = -resid[j]; // yhat = -q_L[d]
    }
    // The last layer: G_M = g e_d q^T has a single nonzero row and the loss does not read S_L.
    boolean deep = layers > 1;
    if (deep) {
      Arrays.fill(st.h, 0.0);
      Arrays.fill(st.gqNext, 0.0);
    }
    algebra.backwardLastLayer(params, deep);
    if (deep) {
      System.arraycopy(st.gqNext, 0, gq, 0, dim * LANES);
    }
    boolean hZero = !deep; // else the last layer has set h and gq
    for (int l = layers - 2; l >= 0; l--) {
      int so = st.matrix(l);
      int mo = so;
      int qi = st.vector(l);
      // G_M = g_q' q^T + H' M S
      if (hZero) {
        Arrays.fill(st.gm, 0.0);
      } else {
        ops.mult(dim, st.h, 0, st.ms, mo, hm, 0); // H' M
        ops.mult(dim, hm, 0, st.sIn, so, st.gm, 0); // H' M S
      }
      for (int a = 0; a < dim; a++) {
        int ga = a * LANES;
        for (int b = 0; b < dim; b++) {
          ops.elementMultAdd(st.gm, (a * dim + b) * LANES, gq, ga, st.qs, qi + b * LANES, LANES);
        }
      }
      boolean needInput = l > 0;
      if (needInput) {
        // g_q = M^T g_q'
        Arrays.fill(st.gqNext, 0.0);
        for (int a = 0; a < dim; a++) {
          int ga = a * LANES;
          for (int b = 0; b < dim; b++) {
            ops.elementMultAdd(st.gqNext, b * LANES, gq, ga, st.ms, mo + (a * dim + b) * LANES,
                LANES);
          }
        }
        // H = M^T H' M + ...
        if (hZero) {
          Arrays.fill(st.hNext, 0.0);
        } else {
          // M^T (H' M), symmetric: half
          ops.symmetricTransAB(dim, st.ms, mo, hm, 0, st.hNext, 0);
        }
      }
      algebra.backwardLayer(params, l, needInput); // ... + the attention terms; the gradient
      if (needInput) {
        System.arraycopy(st.hNext, 0, st.h, 0, blk);
        System.arraycopy(st.gqNext, 0, gq, 0, dim * LANES);
        hZero = false;
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
