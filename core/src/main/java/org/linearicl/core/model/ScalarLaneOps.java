package org.linearicl.core.model;

import java.util.Arrays;

/** {@link LaneOps} as plain loops over lanes: the reference the SIMD implementation must equal. */
final class ScalarLaneOps extends LaneOps {
  static final ScalarLaneOps INSTANCE = new ScalarLaneOps();

  private ScalarLaneOps() {}

  @Override
  String name() {
    return "scalar";
  }

  @Override
  void scale(double[] c, int co, double w, double[] b, int bo, int len) {
    for (int i = 0; i < len; i++) {
      c[co + i] = w * b[bo + i];
    }
  }

  @Override
  void elementMultAdd(double[] c, int co, double[] a, int ao, double[] b, int bo, int len) {
    for (int i = 0; i < len; i++) {
      c[co + i] += a[ao + i] * b[bo + i];
    }
  }

  @Override
  void addLinear(double[] c, int co, double w1, double[] a, int ao, double w2, double[] b,
      int bo, int len) {
    for (int i = 0; i < len; i++) {
      c[co + i] += w1 * a[ao + i] + w2 * b[bo + i];
    }
  }

  @Override
  void addScaledSum(double[] c, int co, double w, double[] a, int ao, double[] b, int bo,
      int len) {
    for (int i = 0; i < len; i++) {
      c[co + i] += w * (a[ao + i] + b[bo + i]);
    }
  }

  @Override
  void product(int m, double[] a, int ao, int aK, int aI, double[] b, int bo, int bK, int bJ,
      double[] c, int co, boolean add) {
    if (!add) {
      Arrays.fill(c, co, co + m * m * LANES, 0.0);
    }
    // k unrolled by 4 so that c is read and written once per four products.
    for (int i = 0; i < m; i++) {
      int a0 = ao + i * aI;
      for (int j = 0; j < m; j++) {
        int b0 = bo + j * bJ;
        int ci = co + (i * m + j) * LANES;
        int k = 0;
        for (; k + 4 <= m; k += 4) {
          int x0 = a0 + k * aK;
          int x1 = x0 + aK;
          int x2 = x1 + aK;
          int x3 = x2 + aK;
          int y0 = b0 + k * bK;
          int y1 = y0 + bK;
          int y2 = y1 + bK;
          int y3 = y2 + bK;
          for (int l = 0; l < LANES; l++) {
            c[ci + l] += a[x0 + l] * b[y0 + l] + a[x1 + l] * b[y1 + l]
                + a[x2 + l] * b[y2 + l] + a[x3 + l] * b[y3 + l];
          }
        }
        for (; k < m; k++) {
          int x0 = a0 + k * aK;
          int y0 = b0 + k * bK;
          for (int l = 0; l < LANES; l++) {
            c[ci + l] += a[x0 + l] * b[y0 + l];
          }
        }
      }
    }
  }

  @Override
  void symmetric(int m, double[] a, int ao, int aK, int aI, double[] b, int bo,
      int bK, int bJ, double[] c, int co) {
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        int ci = co + (i * m + j) * LANES;
        Arrays.fill(c, ci, ci + LANES, 0.0);
        for (int k = 0; k < m; k++) {
          int ai = ao + k * aK + i * aI;
          int bi = bo + k * bK + j * bJ;
          for (int l = 0; l < LANES; l++) {
            c[ci + l] += a[ai + l] * b[bi + l];
          }
        }
        if (j != i) {
          System.arraycopy(c, ci, c, co + (j * m + i) * LANES, LANES);
        }
      }
    }
  }

  @Override
  void paramProduct(int m, double[] p, int po, int pK, int pI, double[] b, int bo, double[] c,
      int co) {
    int row = m * LANES;
    for (int i = 0; i < m; i++) {
      addWeightedRows(m, p, po + i * pI, pK, b, bo, row, c, co + i * row);
    }
  }

  /**
   * {@code c[ci + j] += sum_k w[w0 + k wK] x[x0 + k width + j]} for j < width, k < m: the rows of
   * x weighted, four at a time (left to right, as the vector kernel adds them).
   */
  private static void addWeightedRows(int m, double[] w, int w0, int wK, double[] x, int x0,
      int width, double[] c, int ci) {
    int k = 0;
    for (; k + 4 <= m; k += 4) {
      double v0 = w[w0 + k * wK];
      double v1 = w[w0 + (k + 1) * wK];
      double v2 = w[w0 + (k + 2) * wK];
      double v3 = w[w0 + (k + 3) * wK];
      int r0 = x0 + k * width;
      int r1 = r0 + width;
      int r2 = r1 + width;
      int r3 = r2 + width;
      for (int j = 0; j < width; j++) {
        c[ci + j] += v0 * x[r0 + j] + v1 * x[r1 + j] + v2 * x[r2 + j] + v3 * x[r3 + j];
      }
    }
    for (; k < m; k++) {
      double v0 = w[w0 + k * wK];
      int r0 = x0 + k * width;
      for (int j = 0; j < width; j++) {
        c[ci + j] += v0 * x[r0 + j];
      }
    }
  }

  @Override
  void productParam(int m, double[] a, int ao, double[] q, int qo, int qK, int qJ, double[] c,
      int co) {
    Arrays.fill(c, co, co + m * m * LANES, 0.0);
    for (int i = 0; i < m; i++) {
      int a0 = ao + i * m * LANES;
      for (int j = 0; j < m; j++) {
        // the products commute exactly, so w a here gives the bits of a w
        addWeightedRows(m, q, qo + j * qJ, qK, a, a0, LANES, c, co + (i * m + j) * LANES);
      }
    }
  }
}
