package org.linearicl.core.model;

/**
 * The lane-wise arithmetic of {@link GradientKernel}: every operation acts on lane-interleaved
 * arrays ({@code value(index) of lane l} at {@code [index * LANES + l]}) and runs its innermost
 * loop over lanes, i.e. over sequences.
 *
 * <p>Two implementations compute the same bits: {@link ScalarLaneOps} (plain loops) and
 * {@code VectorLaneOps} (explicit SIMD through {@code jdk.incubator.vector}). Each lane is an
 * independent sequence, so SIMD only changes how many lanes one instruction handles, never the
 * order or kind of the floating-point operations applied to a lane: multiplications and additions
 * in the same order, no fused multiply-add, no sums across lanes. {@code LaneOpsTest} checks the
 * equality operation by operation and for whole gradients.
 *
 * <p>Every {@code m}-sized operation works on m x m blocks, row-major over (row, column), each
 * entry a run of {@link GradientKernel#LANES} lanes. Outputs never overlap inputs.
 */
abstract class LaneOps {
  static final int LANES = GradientKernel.LANES;

  /** The system property that forces an implementation: {@code scalar} or {@code vector}. */
  static final String PROPERTY = "linearicl.kernel";

  private static final class Best {
    static final LaneOps INSTANCE = choose(System.getProperty(PROPERTY));
  }

  /**
   * The fastest implementation this JVM offers: SIMD when the module {@code jdk.incubator.vector}
   * is in the boot layer (java --add-modules jdk.incubator.vector) and the CPU has vectors of at
   * least two doubles, else scalar. {@code -Dlinearicl.kernel=scalar} forces the scalar loops.
   */
  static LaneOps best() {
    return Best.INSTANCE;
  }

  static LaneOps choose(String forced) {
    if (forced != null && !forced.equals("scalar") && !forced.equals("vector")) {
      throw new IllegalArgumentException("system property " + PROPERTY
          + " must be 'scalar' or 'vector', got '" + forced + "'");
    }
    if ("scalar".equals(forced)) {
      return ScalarLaneOps.INSTANCE;
    }
    LaneOps vector = vectorIfAvailable();
    if (vector == null && "vector".equals(forced)) {
      throw new IllegalStateException(PROPERTY + "=vector, but the SIMD kernel is unavailable:"
          + " start java with --add-modules jdk.incubator.vector on a CPU with SIMD doubles");
    }
    return vector != null ? vector : ScalarLaneOps.INSTANCE;
  }

  /** The SIMD implementation, or null if this JVM cannot run it. */
  static LaneOps vectorIfAvailable() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null; // VectorLaneOps must not even be loaded: its types would not resolve
    }
    return VectorLaneOps.createIfUseful();
  }

  /** A short name for logs and benchmark output, e.g. {@code scalar} or {@code simd-4}. */
  abstract String name();

  /** {@code c[co + i] = w * b[bo + i]} for i < len. */
  abstract void scale(double[] c, int co, double w, double[] b, int bo, int len);

  /** {@code c[co + i] += a[ao + i] * b[bo + i]} for i < len. */
  abstract void elementMultAdd(double[] c, int co, double[] a, int ao, double[] b, int bo,
      int len);

  /** {@code c[co + i] += w1 * a[ao + i] + w2 * b[bo + i]} for i < len. */
  abstract void addLinear(double[] c, int co, double w1, double[] a, int ao, double w2,
      double[] b, int bo, int len);

  /** {@code c[co + i] += w * (a[ao + i] + b[bo + i])} for i < len. */
  abstract void addScaledSum(double[] c, int co, double w, double[] a, int ao, double[] b,
      int bo, int len);

  /** {@code c = a b} per lane. */
  final void mult(int m, double[] a, int ao, double[] b, int bo, double[] c, int co) {
    product(m, a, ao, LANES, m * LANES, b, bo, m * LANES, LANES, c, co, false);
  }

  /** {@code c += a b} per lane. */
  final void multAdd(int m, double[] a, int ao, double[] b, int bo, double[] c, int co) {
    product(m, a, ao, LANES, m * LANES, b, bo, m * LANES, LANES, c, co, true);
  }

  /** {@code c += a b^T} per lane. */
  final void multAddTransB(int m, double[] a, int ao, double[] b, int bo, double[] c, int co) {
    // b^T(k, j) = b(j, k): k contiguous
    product(m, a, ao, LANES, m * LANES, b, bo, LANES, m * LANES, c, co, true);
  }

  /**
   * {@code c(i, j) (+)= sum_k A(i, k) B(k, j)} per lane, where A(i, k) is at
   * {@code ao + k aK + i aI} and B(k, j) at {@code bo + k bK + j bJ}; c is overwritten unless
   * {@code add}. The k-sum runs in groups of four: {@code c += a0 b0 + a1 b1 + a2 b2 + a3 b3}
   * (left to right), then single terms. The named operations above fix the strides.
   */
  abstract void product(int m, double[] a, int ao, int aK, int aI, double[] b, int bo, int bK,
      int bJ, double[] c, int co, boolean add);

  /**
   * {@code c = a^T b} per lane for a product known to be symmetric: the upper triangle is summed
   * over k in order from 0 and mirrored.
   */
  final void symmetricTransAB(int m, double[] a, int ao, double[] b, int bo, double[] c, int co) {
    // a^T(i, k) = a(k, i): stride m rows; b(k, j): stride m rows
    symmetric(m, a, ao, m * LANES, LANES, b, bo, m * LANES, LANES, c, co);
  }

  /**
   * {@code c = a b^T} per lane for a product known to be symmetric: the upper triangle is summed
   * over k in order from 0 and mirrored.
   */
  final void symmetricABTrans(int m, double[] a, int ao, double[] b, int bo, double[] c, int co) {
    // a(i, k): k contiguous; b^T(k, j) = b(j, k): k contiguous
    symmetric(m, a, ao, LANES, m * LANES, b, bo, LANES, m * LANES, c, co);
  }

  /**
   * {@code c(i, j) = c(j, i) = sum_k A(i, k) B(k, j)} per lane for j >= i, summed from 0 in k
   * order, where A(i, k) is at {@code ao + k aK + i aI} and B(k, j) at {@code bo + k bK + j bJ}.
   */
  abstract void symmetric(int m, double[] a, int ao, int aK, int aI, double[] b, int bo, int bK,
      int bJ, double[] c, int co);

  /**
   * {@code c += P b} with P a plain row-major m x m parameter block (the same for every lane),
   * b and c lane-interleaved.
   */
  final void multAddParamA(int m, double[] p, int po, double[] b, int bo, double[] c, int co) {
    paramProduct(m, p, po, 1, m, b, bo, c, co);
  }

  /** {@code c += P^T b}, P as in {@link #multAddParamA}. */
  final void multAddTransParamA(int m, double[] p, int po, double[] b, int bo, double[] c,
      int co) {
    paramProduct(m, p, po, m, 1, b, bo, c, co);
  }

  /**
   * {@code c(i, :) += sum_k P(i, k) b(k, :)} per lane with P(i, k) at {@code po + k pK + i pI};
   * k in groups of four as in {@link #product}.
   */
  abstract void paramProduct(int m, double[] p, int po, int pK, int pI, double[] b, int bo,
      double[] c, int co);

  /**
   * {@code c = a Q} with Q a plain row-major m x m parameter block (the same for every lane),
   * a and c lane-interleaved.
   */
  final void multParamB(int m, double[] a, int ao, double[] q, int qo, double[] c, int co) {
    productParam(m, a, ao, q, qo, m, 1, c, co);
  }

  /** {@code c = a Q^T}, Q as in {@link #multParamB}. */
  final void multTransParamB(int m, double[] a, int ao, double[] q, int qo, double[] c, int co) {
    productParam(m, a, ao, q, qo, 1, m, c, co);
  }

  /**
   * {@code c(:, j) = sum_k a(:, k) Q(k, j)} per lane with Q(k, j) at {@code qo + k qK + j qJ};
   * k in groups of four as in {@link #product}.
   */
  abstract void productParam(int m, double[] a, int ao, double[] q, int qo, int qK, int qJ,
      double[] c, int co);
}
