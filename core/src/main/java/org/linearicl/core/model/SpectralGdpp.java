package org.linearicl.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.task.Batch;

/**
 * Thread-confined workspace for the forward pass, the analytic gradient and the Jacobian of a
 * {@link Variant#GDPP} model in the eigenbasis of each sequence's input covariance. One instance
 * per thread; after construction it allocates nothing. It computes the same functions of the
 * parameters as {@link GradientKernel} does for GD++ (equal up to rounding), from a per-sequence
 * {@link Spectra} instead of a {@link Batch}.
 *
 * <p><b>Why the eigenbasis is exact.</b> A GD++ layer with omegas {@code w_xx}, {@code w_yx}
 * ({@link ModelShape#omegas}; {@code w_xy = w_yy = 0}) maps every token, query included,
 * <pre>
 *   x_i &lt;- A x_i,                      A = I + w_xx Sigma/n
 *   y_i &lt;- y_i + w_yx &lt;alpha/n, x_i&gt;
 * </pre>
 * with {@code Sigma = sum_{j<=n} x_j x_j^T} and {@code alpha = sum_{j<=n} y_j x_j} of the layer's
 * input context. So the next layer sees {@code Sigma' = A Sigma A} and
 * {@code alpha' = A (alpha + w_yx Sigma alpha/n)}. A is a polynomial in Sigma, so Sigma' is again
 * diagonal in the eigenbasis U of the initial {@code Sigma_0 = U diag(lam) U^T}, by induction for
 * every layer. Writing {@code c = U^T alpha}, {@code a = U^T x_t} and {@code f_k = 1 + w_xx
 * lam_k/n}, {@code g_k = 1 + w_yx lam_k/n}, one layer is, from the values before it,
 * <pre>
 *   yq_slot += (w_yx/n) sum_k c_k a_k      (= w_yx &lt;alpha/n, x_t&gt;, U orthogonal)
 *   c_k     *= f_k g_k
 *   a_k     *= f_k
 *   lam_k   *= f_k^2
 * </pre>
 * and the prediction after a layer is {@code -yq_slot} (the query enters with y-slot 0). The d
 * eigen-directions evolve independently; no approximation is involved beyond rounding.
 *
 * <p><b>Backward.</b> Reverse mode through that recursion, for Y = the query's final y-slot:
 * with adjoints {@code (L, C, A) = dY/d(lam_k, c_k, a_k)} of the state after a layer (zero after
 * the last one), a layer with {@code u = w_xx/n}, {@code v = w_yx/n} contributes
 * <pre>
 *   dY/dv += c a + C c f lam
 *   dY/du += lam (C c g + A a + 2 L f lam)
 *   C &lt;- v a + C f g
 *   A &lt;- v c + A f
 *   L &lt;- C c (u g + v f) + A a u + L f (f + 2 u lam)
 * </pre>
 * for each k (the per-layer state is kept from the forward pass), then yhat = -Y, and the head
 * parameters follow from {@code w_xx = sum_k p_x q_x}, {@code w_yx = sum_k p_y q_x} by the chain
 * rule.
 *
 * <p><b>Cost.</b> {@link Spectra#fill} does the O(n d^2) moments and one O(d^3) symmetric
 * eigendecomposition per sequence, once; after that every method costs O(L d + L H) per sequence,
 * independent of n, against O(H D^3) per layer for the covariance form (D = d + 1).
 *
 * <p>Sums over sequences run in index order, so equal inputs give identical bits; a range split
 * in two gives the same sums only to rounding.
 */
public final class SpectralGdpp {
  private final ModelShape shape;
  private final int n;
  private final int d;
  private final int layers;
  private final int heads;
  private final double invN;

  // Per call: u_l = w_xx/n and v_l = w_yx/n of every layer.
  private final double[] u;
  private final double[] v;
  // The state entering layer l of the current sequence, [l * d + k], kept for the backward pass.
  private final double[] lamL;
  private final double[] cL;
  private final double[] aL;
  // Adjoints of lam, c, a after the current layer.
  private final double[] lamBar;
  private final double[] cBar;
  private final double[] aBar;
  // d yq_slot / d u_l and d yq_slot / d v_l of the current sequence.
  private final double[] dU;
  private final double[] dV;
  // Sums over sequences of d loss / d w_xx_l and d loss / d w_yx_l.
  private final double[] gXx;
  private final double[] gYx;
  private final double[] ySlots; // the query slot after every layer, current sequence

  /**
   * A workspace for GD++ models of shape {@code shape} on sequences with {@code n} context
   * examples.
   *
   * @throws IllegalArgumentException if {@code shape.variant() != Variant.GDPP} or {@code n < 1}
   */
  public SpectralGdpp(ModelShape shape, int n) {
    this.shape = Objects.requireNonNull(shape, "shape");
    if (shape.variant() != Variant.GDPP) {
      throw new IllegalArgumentException("shape.variant() must be GDPP (the spectral form holds"
          + " only for GD++), got " + shape.variant());
    }
    if (n < 1) {
      throw new IllegalArgumentException("n (context examples) must be >= 1, got " + n);
    }
    this.n = n;
    this.d = shape.d();
    this.layers = shape.layers();
    this.heads = shape.heads();
    this.invN = 1.0 / n;
    this.u = new double[layers];
    this.v = new double[layers];
    this.lamL = new double[layers * d];
    this.cL = new double[layers * d];
    this.aL = new double[layers * d];
    this.lamBar = new double[d];
    this.cBar = new double[d];
    this.aBar = new double[d];
    this.dU = new double[layers];
    this.dV = new double[layers];
    this.gXx = new double[layers];
    this.gYx = new double[layers];
    this.ySlots = new double[layers];
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
   * {@code sum_{i in [from, to)} 0.5 * (yhat_i - yq_i)^2} and returns that sum (not averaged).
   * {@code yhat_i} is the final-layer prediction of sequence i, {@code yq_i} its target. The
   * result depends only on the inputs: two calls with equal inputs give identical bits.
   *
   * @throws IllegalArgumentException if params or grad do not have {@code shape.size()} entries,
   *     params are not finite, the spectra have another d or n, or [from, to) is not within them
   */
  public double accumulate(double[] params, Spectra s, int from, int to, double[] grad) {
    checkInputs(params, s, from, to);
    Objects.requireNonNull(grad, "grad");
    if (grad.length != shape.size()) {
      throw new IllegalArgumentException("grad must have shape.size() = " + shape.size()
          + " entries, got " + grad.length);
    }
    prepare(params);
    Arrays.fill(gXx, 0.0);
    Arrays.fill(gYx, 0.0);
    double loss = 0.0;
    for (int i = from; i < to; i++) {
      double r = forward(s, i) - s.yq[i];
      loss += 0.5 * r * r;
      backward();
      // d loss / d w = r d yhat / d w = -r (d yq_slot / d u) / n (u = w/n), likewise for v
      double scale = -r * invN;
      for (int l = 0; l < layers; l++) {
        gXx[l] += scale * dU[l];
        gYx[l] += scale * dV[l];
      }
    }
    for (int l = 0; l < layers; l++) {
      for (int k = 0; k < heads; k++) {
        int o = shape.offset(l, k);
        double px = params[o];
        double py = params[o + 1];
        double qx = params[o + 2];
        grad[o] += gXx[l] * qx;
        grad[o + 1] += gYx[l] * qx;
        grad[o + 2] += gXx[l] * px + gYx[l] * py;
      }
    }
    return loss;
  }

  /**
   * Predictions for sequences [from, to): {@code finalOut[i]} is the final-layer prediction; if
   * {@code perLayerOut != null}, {@code perLayerOut[l][i]} is the prediction read out after layer
   * l + 1 (0-based l), so row {@code layers - 1} equals finalOut. Indices i are positions in the
   * spectra, so the output arrays need at least {@code to} entries.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or output arrays of
   *     the wrong size
   */
  public void predict(double[] params, Spectra s, int from, int to, double[][] perLayerOut,
      double[] finalOut) {
    checkInputs(params, s, from, to);
    KernelArgs.predictions(layers, to, perLayerOut, finalOut);
    prepare(params);
    for (int i = from; i < to; i++) {
      finalOut[i] = forward(s, i);
      if (perLayerOut != null) {
        for (int l = 0; l < layers; l++) {
          perLayerOut[l][i] = 0.0 - ySlots[l]; // 0.0 - y, not -y: no negative zeros
        }
      }
    }
  }

  /**
   * Residuals of the final-layer predictions: {@code resid[i - from] = yhat_i - yq_i} for i in
   * [from, to), bit-identical to the residuals behind {@link #accumulate}'s loss.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or if resid has fewer
   *     than {@code to - from} entries
   */
  public void residuals(double[] params, Spectra s, int from, int to, double[] resid) {
    checkInputs(params, s, from, to);
    KernelArgs.length("resid", resid, to - from);
    prepare(params);
    for (int i = from; i < to; i++) {
      resid[i - from] = forward(s, i) - s.yq[i];
    }
  }

  /**
   * Residuals as in {@link #residuals} and their Jacobian: with P = {@code shape.size()},
   * {@code jac[(i - from) * P + j] = d resid_i / d params[j]}, one row per sequence, row-major.
   * So {@code sum_i resid_i jac_i} is {@link #accumulate}'s gradient (to rounding), and
   * {@code J^T J} its Gauss-Newton matrix.
   *
   * @throws IllegalArgumentException on inputs {@link #accumulate} rejects, or if resid has fewer
   *     than {@code to - from} entries or jac fewer than {@code (to - from) * P}
   */
  public void jacobian(double[] params, Spectra s, int from, int to, double[] resid,
      double[] jac) {
    checkInputs(params, s, from, to);
    KernelArgs.length("resid", resid, to - from);
    int p = shape.size();
    KernelArgs.length("jac", jac, (long) (to - from) * p);
    prepare(params);
    for (int i = from; i < to; i++) {
      resid[i - from] = forward(s, i) - s.yq[i];
      backward();
      int row = (i - from) * p;
      for (int l = 0; l < layers; l++) {
        // d resid / d w = -(d yq_slot / d u) / n, since resid = -yq_slot - yq and u = w/n
        double jxx = -dU[l] * invN;
        double jyx = -dV[l] * invN;
        for (int k = 0; k < heads; k++) {
          int o = shape.offset(l, k);
          double px = params[o];
          double py = params[o + 1];
          double qx = params[o + 2];
          jac[row + o] = jxx * qx;
          jac[row + o + 1] = jyx * qx;
          jac[row + o + 2] = jxx * px + jyx * py;
        }
      }
    }
  }

  private void checkInputs(double[] params, Spectra s, int from, int to) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(s, "spectra");
    shape.checkParams(params);
    KernelArgs.sameTask(d, n, s.d, s.n, "spectra");
    KernelArgs.range(from, to, s.size, "spectra");
  }

  /** u_l = w_xx/n and v_l = w_yx/n of every layer, summed over heads in head order. */
  private void prepare(double[] params) {
    for (int l = 0; l < layers; l++) {
      double wxx = 0.0;
      double wyx = 0.0;
      for (int k = 0; k < heads; k++) {
        int o = shape.offset(l, k);
        wxx += params[o] * params[o + 2];
        wyx += params[o + 1] * params[o + 2];
      }
      u[l] = wxx * invN;
      v[l] = wyx * invN;
    }
  }

  /**
   * The forward recursion of sequence i: stores the state entering every layer (for
   * {@link #backward}), sets ySlots[l] (the query's y-slot after layer l) and returns the final
   * prediction {@code -ySlots[layers - 1]}.
   */
  private double forward(Spectra s, int i) {
    System.arraycopy(s.lam, i * d, lamL, 0, d);
    System.arraycopy(s.c, i * d, cL, 0, d);
    System.arraycopy(s.a, i * d, aL, 0, d);
    double y = 0.0;
    for (int l = 0; l < layers; l++) {
      double ul = u[l];
      double vl = v[l];
      int o = l * d;
      double dot = 0.0;
      for (int k = 0; k < d; k++) {
        dot += cL[o + k] * aL[o + k];
      }
      y += vl * dot;
      ySlots[l] = y;
      if (l < layers - 1) { // the last layer's output context is never read
        int nx = o + d;
        for (int k = 0; k < d; k++) {
          double lam = lamL[o + k];
          double f = 1.0 + ul * lam;
          lamL[nx + k] = lam * f * f;
          cL[nx + k] = cL[o + k] * (f * (1.0 + vl * lam));
          aL[nx + k] = aL[o + k] * f;
        }
      }
    }
    return 0.0 - y; // 0.0 - y, not -y: no negative zeros
  }

  /** Backward pass of the sequence {@link #forward} kept: fills dU, dV. */
  private void backward() {
    Arrays.fill(lamBar, 0.0);
    Arrays.fill(cBar, 0.0);
    Arrays.fill(aBar, 0.0);
    for (int l = layers - 1; l >= 0; l--) {
      double ul = u[l];
      double vl = v[l];
      boolean first = l == 0;
      int o = l * d;
      double du = 0.0;
      double dv = 0.0;
      for (int k = 0; k < d; k++) {
        double lam = lamL[o + k];
        double c = cL[o + k];
        double a = aL[o + k];
        double lb = lamBar[k];
        double cb = cBar[k];
        double ab = aBar[k];
        double f = 1.0 + ul * lam;
        double g = 1.0 + vl * lam;
        double cbc = cb * c;
        dv += c * a + cbc * f * lam;
        du += lam * (cbc * g + ab * a + 2.0 * lb * f * lam);
        if (!first) { // layer 0's input is data: no adjoint needed
          cBar[k] = vl * a + cb * f * g;
          aBar[k] = vl * c + ab * f;
          lamBar[k] = cbc * (ul * g + vl * f) + ab * a * ul + lb * f * (f + 2.0 * ul * lam);
        }
      }
      dU[l] = du;
      dV[l] = dv;
    }
  }

  /**
   * The per-sequence input of {@link SpectralGdpp}: for sequence i, the eigenvalues
   * {@code lam[i d + k]} of its (unnormalised) input covariance {@code Sigma = sum_{j<=n} x_j
   * x_j^T}, and in the same eigenbasis U, {@code c = U^T alpha} with {@code alpha = sum_{j<=n}
   * y_j x_j}, {@code a = U^T x_t}, and the query target {@code yq[i]}. The order of the
   * eigenvalues is whatever the eigensolver leaves (fixed for given data); nothing depends on it.
   * Computing it is the only part of the GD++ forward pass that reads the n context examples.
   */
  public static final class Spectra {
    /** Relative deflation threshold of the QL iteration: one unit in the last place. */
    private static final double EPS = Math.ulp(1.0);
    /** QL converges cubically, in 1-2 iterations per eigenvalue; EISPACK stops at 30. */
    private static final int MAX_QL_ITERATIONS = 30;

    private final int size;
    private final int d;
    private final int n;
    final double[] lam;
    final double[] c;
    final double[] a;
    final double[] yq;

    /**
     * Zero spectra for {@code size} sequences with {@code d} features and {@code n} context
     * examples, to be computed by {@link #fill}.
     *
     * @throws IllegalArgumentException unless size >= 0, d >= 1, n >= 1
     */
    public Spectra(int size, int d, int n) {
      if (size < 0 || d < 1 || n < 1) {
        throw new IllegalArgumentException("spectra need size >= 0, d >= 1, n >= 1; got size="
            + size + ", d=" + d + ", n=" + n);
      }
      this.size = size;
      this.d = d;
      this.n = n;
      int sd = Math.multiplyExact(size, d);
      this.lam = new double[sd];
      this.c = new double[sd];
      this.a = new double[sd];
      this.yq = new double[size];
    }

    /** Number of sequences. */
    public int size() {
      return size;
    }

    /** Features per example. */
    public int d() {
      return d;
    }

    /** Context examples per sequence. */
    public int n() {
      return n;
    }

    /**
     * Computes entries [from, to) from the batch sequences with the same indices: the moments
     * Sigma, alpha in O(n d^2), then the symmetric eigendecomposition of Sigma in O(d^3) by
     * Householder tridiagonalisation and implicit QL, whose reflections and rotations are applied
     * directly to alpha and x_t (U itself is never formed). Both steps are backward stable: the
     * result is the exact spectrum and the exact c, a of a Sigma within O(eps |Sigma|), which is
     * the accuracy the covariance form works with too. Each entry depends only on its own
     * sequence, with a fixed order of operations, so the result has the same bits however
     * [0, size) is split; calls on disjoint ranges may run on different threads (each call has
     * its own scratch). Non-finite data give non-finite entries for that sequence only.
     *
     * @throws IllegalArgumentException if the batch has another d or n, or [from, to) is not
     *     within both the batch and these spectra
     * @throws ArithmeticException if the QL iteration does not converge (not seen in practice)
     */
    public void fill(Batch batch, int from, int to) {
      Objects.requireNonNull(batch, "batch");
      if (batch.d != d || batch.n != n) {
        throw new IllegalArgumentException("batch must have d = " + d + " and n = " + n
            + " (the spectra's), got d = " + batch.d + ", n = " + batch.n);
      }
      int max = Math.min(size, batch.size);
      if (from < 0 || to > max || from > to) {
        throw new IllegalArgumentException("range [from, to) must satisfy 0 <= from <= to <= "
            + max + " (spectra size " + size + ", batch size " + batch.size + "), got [" + from
            + ", " + to + ")");
      }
      // Scratch of this call only, so that calls on disjoint ranges can run concurrently.
      double[] m = new double[d * d];
      double[] alpha = new double[d];
      double[] xt = new double[d];
      double[] diag = new double[d];
      double[] off = new double[d];
      double[] hv = new double[d];
      double[] w = new double[d];
      for (int i = from; i < to; i++) {
        moments(batch, i, m, alpha);
        System.arraycopy(batch.xq, i * d, xt, 0, d);
        tridiagonalise(m, diag, off, hv, w, alpha, xt);
        tridiagonalQl(diag, off, alpha, xt, i);
        int o = i * d;
        System.arraycopy(diag, 0, lam, o, d);
        System.arraycopy(alpha, 0, c, o, d);
        System.arraycopy(xt, 0, a, o, d);
        yq[i] = batch.yq[i];
      }
    }

    /** Sigma (full symmetric, row-major) and alpha of sequence i, summed over j in order. */
    private void moments(Batch batch, int i, double[] m, double[] alpha) {
      Arrays.fill(m, 0.0);
      Arrays.fill(alpha, 0.0);
      double[] x = batch.x;
      for (int j = 0; j < n; j++) {
        int xo = (i * n + j) * d;
        double yj = batch.y[i * n + j];
        for (int p = 0; p < d; p++) {
          double xp = x[xo + p];
          alpha[p] += yj * xp;
          int row = p * d;
          for (int q = p; q < d; q++) {
            m[row + q] += xp * x[xo + q];
          }
        }
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          m[q * d + p] = m[p * d + q];
        }
      }
    }

    /**
     * Householder reduction of the symmetric matrix m (full storage, overwritten) to tridiagonal
     * {@code T = Q^T Sigma Q}: diagonal {@code diag}, sub-diagonal {@code off[k] = T[k+1][k]}
     * ({@code off[d-1] = 0}). Every reflector H is applied to u1, u2 as well, so they end as
     * {@code Q^T u}; Q itself is never formed. About (4/3) d^3 flops.
     */
    private void tridiagonalise(double[] m, double[] diag, double[] off, double[] hv, double[] w,
        double[] u1, double[] u2) {
      for (int k = 0; k < d - 2; k++) {
        diag[k] = m[k * d + k];
        // x = column k below the diagonal, scaled by its largest entry so that |x|^2 cannot
        // overflow or underflow.
        double scale = 0.0;
        for (int i = k + 1; i < d; i++) {
          scale = Math.max(scale, Math.abs(m[i * d + k]));
        }
        if (scale == 0.0) { // already reduced: H = I
          off[k] = 0.0;
          continue;
        }
        double norm2 = 0.0;
        for (int i = k + 1; i < d; i++) {
          hv[i] = m[i * d + k] / scale;
          norm2 += hv[i] * hv[i];
        }
        // H x = beta e_1 with beta of the sign opposite to x_1 (no cancellation in x_1 - beta);
        // the Householder vector is x - beta e_1, |x - beta e_1|^2 = 2 h.
        double beta = hv[k + 1] > 0.0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
        double h = norm2 - hv[k + 1] * beta;
        hv[k + 1] -= beta;
        off[k] = beta * scale;
        double invH = 1.0 / h;
        // Sigma_22 <- H Sigma_22 H = Sigma_22 - v w^T - w v^T with p = Sigma_22 v / h and
        // w = p - (v^T p / 2h) v: the symmetric rank-2 update.
        double vp = 0.0;
        for (int i = k + 1; i < d; i++) {
          double acc = 0.0;
          for (int j = k + 1; j < d; j++) {
            acc += m[i * d + j] * hv[j];
          }
          w[i] = acc * invH;
          vp += hv[i] * w[i];
        }
        double half = 0.5 * vp * invH;
        for (int i = k + 1; i < d; i++) {
          w[i] -= half * hv[i];
        }
        for (int i = k + 1; i < d; i++) {
          for (int j = k + 1; j < d; j++) {
            m[i * d + j] -= hv[i] * w[j] + w[i] * hv[j];
          }
        }
        reflect(u1, hv, invH, k + 1);
        reflect(u2, hv, invH, k + 1);
      }
      if (d >= 2) {
        diag[d - 2] = m[(d - 2) * d + d - 2];
        off[d - 2] = m[(d - 1) * d + d - 2];
      }
      diag[d - 1] = m[(d - 1) * d + d - 1];
      off[d - 1] = 0.0;
    }

    /** {@code u <- H u = u - (v^T u / h) v} on indices [from, d). */
    private void reflect(double[] u, double[] hv, double invH, int from) {
      double dot = 0.0;
      for (int i = from; i < d; i++) {
        dot += hv[i] * u[i];
      }
      dot *= invH;
      for (int i = from; i < d; i++) {
        u[i] -= dot * hv[i];
      }
    }

    /**
     * Eigenvalues of the symmetric tridiagonal matrix (diag, off) by the implicit QL method with
     * Wilkinson shifts (EISPACK tql2, as in JAMA), into {@code diag}. Every Givens rotation G,
     * which would update the eigenvector matrix as {@code V <- V G}, is applied to u1, u2 as
     * {@code u <- G^T u}, so they end as {@code V^T u}. An off-diagonal entry counts as zero once
     * it is below eps times the largest |diag| + |off| seen, so eigenvalues have absolute errors
     * O(eps |Sigma|), as for any backward-stable method. Typically 1-2 iterations per eigenvalue
     * of O(d) rotations each.
     */
    private void tridiagonalQl(double[] diag, double[] off, double[] u1, double[] u2,
        int sequence) {
      double shift = 0.0;
      double tst1 = 0.0;
      for (int l = 0; l < d; l++) {
        tst1 = Math.max(tst1, Math.abs(diag[l]) + Math.abs(off[l]));
        int mEnd = l; // the first negligible off-diagonal at or after l (off[d - 1] = 0)
        while (mEnd < d - 1 && !(Math.abs(off[mEnd]) <= EPS * tst1)) {
          mEnd++;
        }
        // NaN data fail the comparisons in the direction that ends the loops (NaN results).
        int iterations = 0;
        while (mEnd > l) {
          if (++iterations > MAX_QL_ITERATIONS) {
            throw new ArithmeticException("QL iteration for eigenvalue " + l + " of sequence "
                + sequence + " did not converge in " + MAX_QL_ITERATIONS
                + " iterations (non-finite data?)");
          }
          // Wilkinson shift from the leading 2 x 2 block.
          double g = diag[l];
          double p = (diag[l + 1] - g) / (2.0 * off[l]);
          double r = radius(p, 1.0);
          if (p < 0.0) {
            r = -r;
          }
          diag[l] = off[l] / (p + r);
          diag[l + 1] = off[l] * (p + r);
          double dl1 = diag[l + 1];
          double hh = g - diag[l];
          for (int i = l + 2; i < d; i++) {
            diag[i] -= hh;
          }
          shift += hh;
          // Implicit QL sweep from mEnd up to l.
          p = diag[mEnd];
          double c = 1.0;
          double c2 = 1.0;
          double c3 = 1.0;
          double el1 = off[l + 1];
          double s = 0.0;
          double s2 = 0.0;
          for (int i = mEnd - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * off[i];
            hh = c * p;
            r = radius(p, off[i]);
            off[i + 1] = s * r;
            s = off[i] / r;
            c = p / r;
            p = c * diag[i] - s * g;
            diag[i + 1] = hh + s * (c * g + s * diag[i]);
            givens(u1, i, c, s);
            givens(u2, i, c, s);
          }
          p = -s * s2 * c3 * el1 * off[l] / dl1;
          off[l] = s * p;
          diag[l] = c * p;
          if (!(Math.abs(off[l]) > EPS * tst1)) {
            break;
          }
        }
        diag[l] += shift;
        off[l] = 0.0;
      }
    }

    /** {@code (u_i, u_{i+1}) <- (c u_i - s u_{i+1}, s u_i + c u_{i+1})}. */
    private static void givens(double[] u, int i, double c, double s) {
      double ui = u[i];
      double un = u[i + 1];
      u[i + 1] = s * ui + c * un;
      u[i] = c * ui - s * un;
    }

    /**
     * sqrt(x^2 + y^2): directly (Math.hypot is several times slower, and this is on the QL
     * iteration's critical path), falling back to hypot only where the squares could overflow
     * or underflow.
     */
    private static double radius(double x, double y) {
      double r = Math.sqrt(x * x + y * y);
      return r > 1e-150 && r < 1e150 ? r : Math.hypot(x, y);
    }
  }
}
