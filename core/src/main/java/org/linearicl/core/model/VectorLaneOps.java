package org.linearicl.core.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneOps} with explicit SIMD over lanes ({@code jdk.incubator.vector}, the widest vector
 * of doubles the CPU has). Each method applies, lane by lane, exactly the multiplications and
 * additions of {@link ScalarLaneOps} in the same order (a running sum is kept in a register
 * instead of memory, which does not change its value), so both give the same bits.
 *
 * <p>Loaded only when the module is in the boot layer ({@link LaneOps#vectorIfAvailable}).
 */
final class VectorLaneOps extends LaneOps {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int VL = SPECIES.length();

  private VectorLaneOps() {}

  /** The SIMD implementation if vectors hold at least two doubles and divide the lanes. */
  static LaneOps createIfUseful() {
    return VL >= 2 && LANES % VL == 0 ? new VectorLaneOps() : null;
  }

  @Override
  String name() {
    return "simd-" + VL;
  }

  private static DoubleVector load(double[] a, int offset) {
    return DoubleVector.fromArray(SPECIES, a, offset);
  }

  @Override
  void scale(double[] c, int co, double w, double[] b, int bo, int len) {
    int i = 0;
    for (; i + VL <= len; i += VL) {
      load(b, bo + i).mul(w).intoArray(c, co + i);
    }
    for (; i < len; i++) {
      c[co + i] = w * b[bo + i];
    }
  }

  @Override
  void elementMultAdd(double[] c, int co, double[] a, int ao, double[] b, int bo, int len) {
    int i = 0;
    for (; i + VL <= len; i += VL) {
      load(c, co + i).add(load(a, ao + i).mul(load(b, bo + i))).intoArray(c, co + i);
    }
    for (; i < len; i++) {
      c[co + i] += a[ao + i] * b[bo + i];
    }
  }

  @Override
  void addLinear(double[] c, int co, double w1, double[] a, int ao, double w2, double[] b,
      int bo, int len) {
    int i = 0;
    for (; i + VL <= len; i += VL) {
      DoubleVector t = load(a, ao + i).mul(w1).add(load(b, bo + i).mul(w2));
      load(c, co + i).add(t).intoArray(c, co + i);
    }
    for (; i < len; i++) {
      c[co + i] += w1 * a[ao + i] + w2 * b[bo + i];
    }
  }

  @Override
  void addScaledSum(double[] c, int co, double w, double[] a, int ao, double[] b, int bo,
      int len) {
    int i = 0;
    for (; i + VL <= len; i += VL) {
      DoubleVector t = load(a, ao + i).add(load(b, bo + i)).mul(w);
      load(c, co + i).add(t).intoArray(c, co + i);
    }
    for (; i < len; i++) {
      c[co + i] += w * (a[ao + i] + b[bo + i]);
    }
  }

  @Override
  void product(int m, double[] a, int ao, int aK, int aI, double[] b, int bo, int bK, int bJ,
      double[] c, int co, boolean add) {
    for (int i = 0; i < m; i++) {
      int a0 = ao + i * aI;
      for (int j = 0; j < m; j++) {
        int b0 = bo + j * bJ;
        int ci = co + (i * m + j) * LANES;
        for (int l = 0; l < LANES; l += VL) {
          DoubleVector acc = add ? load(c, ci + l) : DoubleVector.zero(SPECIES);
          int x = a0 + l;
          int y = b0 + l;
          int k = 0;
          for (; k + 4 <= m; k += 4) {
            DoubleVector t = load(a, x).mul(load(b, y));
            t = t.add(load(a, x + aK).mul(load(b, y + bK)));
            t = t.add(load(a, x + 2 * aK).mul(load(b, y + 2 * bK)));
            t = t.add(load(a, x + 3 * aK).mul(load(b, y + 3 * bK)));
            acc = acc.add(t);
            x += 4 * aK;
            y += 4 * bK;
          }
          for (; k < m; k++) {
            acc = acc.add(load(a, x).mul(load(b, y)));
            x += aK;
            y += bK;
          }
          acc.intoArray(c, ci + l);
        }
      }
    }
  }

  @Override
  void symmetric(int m, double[] a, int ao, int aK, int aI, double[] b, int bo,
      int bK, int bJ, double[] c, int co) {
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        int upper = co + (i * m + j) * LANES;
        int lower = co + (j * m + i) * LANES;
        for (int l = 0; l < LANES; l += VL) {
          DoubleVector acc = DoubleVector.zero(SPECIES);
          int x = ao + i * aI + l;
          int y = bo + j * bJ + l;
          for (int k = 0; k < m; k++) {
            acc = acc.add(load(a, x).mul(load(b, y)));
            x += aK;
            y += bK;
          }
          acc.intoArray(c, upper + l);
          acc.intoArray(c, lower + l);
        }
      }
    }
  }

  @Override
  void paramProduct(int m, double[] p, int po, int pK, int pI, double[] b, int bo, double[] c,
      int co) {
    int row = m * LANES;
    for (int i = 0; i < m; i++) {
      addWeightedRows(m, p, po + i * pI, pK, b, bo, row, c, co + i * row, true);
    }
  }

  @Override
  void productParam(int m, double[] a, int ao, double[] q, int qo, int qK, int qJ, double[] c,
      int co) {
    for (int i = 0; i < m; i++) {
      int a0 = ao + i * m * LANES;
      for (int j = 0; j < m; j++) {
        addWeightedRows(m, q, qo + j * qJ, qK, a, a0, LANES, c, co + (i * m + j) * LANES, false);
      }
    }
  }

  /**
   * {@code c[ci + j] (+)= sum_k w[w0 + k wK] x[x0 + k width + j]} for j < width, k < m (c is
   * overwritten unless {@code add}), four terms summed before each group is added to the running
   * sum (the order the scalar kernel adds them in).
   *
   * <p>The helper takes whole rows and returns nothing: no {@code DoubleVector} crosses its
   * boundary. A helper that takes or returns one is, when C2 does not inline it (it did not for a
   * per-vector helper here), boxed on every call, and the FULL training step took twice as long.
   */
  private static void addWeightedRows(int m, double[] w, int w0, int wK, double[] x, int x0,
      int width, double[] c, int ci, boolean add) {
    for (int j = 0; j < width; j += VL) {
      DoubleVector acc = add ? load(c, ci + j) : DoubleVector.zero(SPECIES);
      int y = x0 + j;
      int k = 0;
      for (; k + 4 <= m; k += 4) {
        int wk = w0 + k * wK;
        DoubleVector t = load(x, y).mul(w[wk]);
        t = t.add(load(x, y + width).mul(w[wk + wK]));
        t = t.add(load(x, y + 2 * width).mul(w[wk + 2 * wK]));
        t = t.add(load(x, y + 3 * width).mul(w[wk + 3 * wK]));
        acc = acc.add(t);
        y += 4 * width;
      }
      for (; k < m; k++) {
        acc = acc.add(load(x, y).mul(w[w0 + k * wK]));
        y += width;
      }
      acc.intoArray(c, ci + j);
    }
  }
}
