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
      int ci = co + i * row;
      int p0 = po + i * pI;
      int k = 0;
      for (; k + 4 <= m; k += 4) {
        double w0 = p[p0 + k * pK];
        double w1 = p[p0 + (k + 1) * pK];
        double w2 = p[p0 + (k + 2) * pK];
        double w3 = p[p0 + (k + 3) * pK];
        int b0 = bo + k * row;
        int b1 = b0 + row;
        int b2 = b1 + row;
        int b3 = b2 + row;
        for (int jl = 0; jl < row; jl++) {
          c[ci + jl] += w0 * b[b0 + jl] + w1 * b[b1 + jl] + w2 * b[b2 + jl] + w3 * b[b3 + jl];
        }
      }
      for (; k < m; k++) {
        double w0 = p[p0 + k * pK];
        int b0 = bo + k * row;
        for (int jl = 0; jl < row; jl++) {
          c[ci + jl] += w0 * b[b0 + jl];
        }
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
        int q0 = qo + j * qJ;
        int ci = co + (i * m + j) * LANES;
        int k = 0;
        for (; k + 4 <= m; k += 4) {
          double w0 = q[q0 + k * qK];
          double w1 = q[q0 + (k + 1) * qK];
          double w2 = q[q0 + (k + 2) * qK];
          double w3 = q[q0 + (k + 3) * qK];
          int x0 = a0 + k * LANES;
          for (int l = 0; l < LANES; l++) {
            c[ci + l] += a[x0 + l] * w0 + a[x0 + LANES + l] * w1 + a[x0 + 2 * LANES + l] * w2
                + a[x0 + 3 * LANES + l] * w3;
          }
        }
        for (; k < m; k++) {
          double w0 = q[q0 + k * qK];
          int x0 = a0 + k * LANES;
          for (int l = 0; l < LANES; l++) {
            c[ci + l] += a[x0 + l] * w0;
          }
        }
      }
    }
  }
}
