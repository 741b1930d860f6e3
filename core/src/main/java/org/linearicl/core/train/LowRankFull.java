package org.linearicl.core.train;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;

/**
 * The FULL models whose departures from the DIAG structure all lie in one k-dimensional subspace
 * of x, taken (by rotation invariance of the task) to be the first k coordinates: in every head,
 * P and Q are {@code a I} on coordinates k..d-1 plus a full (k+1) x (k+1) block on (x_0 ..
 * x_{k-1}, y), and zero elsewhere. That is {@code 2 (1 + (k+1)^2)} numbers per head (10 for
 * k = 1) instead of FULL's {@code 2 (d+1)^2}, few enough for the Levenberg-Marquardt polish on a
 * sample of tens of thousands of sequences without overfitting it. A {@link ResidualSample} of
 * a FULL shape seen through this map: the optimiser moves the reduced parameters.
 */
public final class LowRankFull implements ResidualSample {
  private final ResidualSample inner;
  private final ModelShape shape;
  /** For each FULL parameter, the reduced parameter it equals, or -1 (held at 0). */
  private final int[] source;
  private final int reduced;

  /**
   * @param inner residuals of a FULL model (null: only the map, see {@link #of})
   * @param shape its shape
   * @param k the dimension of the subspace, 0 <= k < d (0: DIAG itself)
   */
  public LowRankFull(ResidualSample inner, ModelShape shape, int k) {
    this.inner = inner; // null: the map alone ({@link #of})
    this.shape = Objects.requireNonNull(shape, "shape");
    if (shape.variant() != Variant.FULL) {
      throw new IllegalArgumentException("the low-rank family is part of FULL, got "
          + shape.variant().paperName());
    }
    if (k < 0 || k >= shape.d()) {
      throw new IllegalArgumentException("k must be in [0, " + (shape.d() - 1) + "], got " + k);
    }
    if (inner != null && inner.parameters() != shape.size()) {
      throw new IllegalArgumentException("inner has " + inner.parameters()
          + " parameters, the shape " + shape.size());
    }
    this.source = map(shape, k);
    this.reduced = perHead(k) * shape.layers() * shape.heads();
  }

  /** The family's map alone, for projecting parameters (no residuals). */
  public static LowRankFull of(ModelShape shape, int k) {
    return new LowRankFull(null, shape, k);
  }

  /** Reduced numbers per head: {@code 2 (1 + (k+1)^2)}. */
  public static int perHead(int k) {
    return 2 * (1 + (k + 1) * (k + 1));
  }

  /** FULL parameter index to reduced index (-1: structurally zero). */
  private static int[] map(ModelShape shape, int k) {
    int dim = shape.tokenDim();
    int d = shape.d();
    int[] out = new int[shape.size()];
    Arrays.fill(out, -1);
    int t = 0;
    for (int l = 0; l < shape.layers(); l++) {
      for (int h = 0; h < shape.heads(); h++) {
        for (int m = 0; m < 2; m++) { // P, then Q
          int o = shape.offset(l, h) + m * dim * dim;
          int rest = t++;
          for (int c = k; c < d; c++) {
            out[o + c * dim + c] = rest;
          }
          int block = t;
          t += (k + 1) * (k + 1);
          for (int i = 0; i <= k; i++) {
            for (int j = 0; j <= k; j++) {
              int r = i < k ? i : d;
              int c = j < k ? j : d;
              out[o + r * dim + c] = block + i * (k + 1) + j;
            }
          }
        }
      }
    }
    return out;
  }

  /** The FULL parameters of reduced parameters {@code theta}. */
  public double[] toFull(double[] theta) {
    if (theta.length != reduced) {
      throw new IllegalArgumentException("expected " + reduced + " reduced parameters, got "
          + theta.length);
    }
    double[] out = new double[source.length];
    for (int j = 0; j < source.length; j++) {
      out[j] = source[j] < 0 ? 0 : theta[source[j]];
    }
    return out;
  }

  /**
   * The nearest member of the family in the Frobenius norm: each reduced parameter is the mean
   * of the FULL entries it stands for (exact for a member, such as an embedded DIAG model).
   */
  public double[] fromFull(double[] full) {
    shape.checkParams(full);
    // the mean as first + mean deviation from it: exact (not merely close) for a member
    double[] first = new double[reduced];
    double[] deviation = new double[reduced];
    int[] count = new int[reduced];
    for (int j = 0; j < source.length; j++) {
      int t = source[j];
      if (t >= 0) {
        if (count[t] == 0) {
          first[t] = full[j];
        } else {
          deviation[t] += full[j] - first[t];
        }
        count[t]++;
      }
    }
    double[] out = new double[reduced];
    for (int t = 0; t < reduced; t++) {
      out[t] = first[t] + deviation[t] / count[t];
    }
    return out;
  }

  /**
   * The same model turned so that its main departure from DIAG lies along x_0, where the family
   * of rank one keeps it: every layer's P and Q conjugated by the reflection of x that takes the
   * top eigenvector u of the summed squares of their off-DIAG parts to e_0. Rotating x changes no
   * loss in distribution (the task is isotropic in x), so a model trained in all of FULL can be
   * projected onto the family without losing its departure from DIAG. A model already aligned
   * (or DIAG) comes back unchanged.
   */
  public double[] align(double[] full) {
    shape.checkParams(full);
    int d = shape.d();
    int dim = shape.tokenDim();
    double[][] c = new double[d][d];
    for (int l = 0; l < shape.layers(); l++) {
      for (int h = 0; h < shape.heads(); h++) {
        for (int m = 0; m < 2; m++) {
          int o = shape.offset(l, h) + m * dim * dim;
          double mean = 0;
          for (int i = 0; i < d; i++) {
            mean += full[o + i * dim + i] / d;
          }
          for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
              double sum = full[o + i * dim + d] * full[o + j * dim + d]
                  + full[o + d * dim + i] * full[o + d * dim + j];
              for (int q = 0; q < d; q++) {
                double ri = full[o + i * dim + q] - (i == q ? mean : 0);
                double rj = full[o + j * dim + q] - (j == q ? mean : 0);
                double ti = full[o + q * dim + i] - (q == i ? mean : 0);
                double tj = full[o + q * dim + j] - (q == j ? mean : 0);
                sum += ri * rj + ti * tj;
              }
              c[i][j] += sum;
            }
          }
        }
      }
    }
    double[] u = topEigenvector(c);
    if (u == null) {
      return full.clone(); // DIAG: nothing to turn
    }
    double[] v = u.clone();
    v[0] -= 1;
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    if (norm < 1e-24) {
      return full.clone(); // aligned already
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < d; i++) {
      v[i] /= norm;
    }
    // G = diag(I - 2 v v^T, 1): each matrix A becomes G A G
    double[] out = full.clone();
    for (int l = 0; l < shape.layers(); l++) {
      for (int h = 0; h < shape.heads(); h++) {
        for (int m = 0; m < 2; m++) {
          int o = shape.offset(l, h) + m * dim * dim;
          double[] a = Arrays.copyOfRange(full, o, o + dim * dim);
          reflect(a, v, dim, d);
          System.arraycopy(a, 0, out, o, dim * dim);
        }
      }
    }
    return out;
  }

  /** {@code a <- G a G} for G = diag(I - 2 v v^T, 1), a row-major dim x dim matrix. */
  private static void reflect(double[] a, double[] v, int dim, int d) {
    for (int c = 0; c < dim; c++) { // rows: a <- G a, column by column
      double dot = 0;
      for (int r = 0; r < d; r++) {
        dot += v[r] * a[r * dim + c];
      }
      for (int r = 0; r < d; r++) {
        a[r * dim + c] -= 2 * v[r] * dot;
      }
    }
    for (int r = 0; r < dim; r++) { // columns: a <- a G, row by row
      double dot = 0;
      for (int c = 0; c < d; c++) {
        dot += a[r * dim + c] * v[c];
      }
      for (int c = 0; c < d; c++) {
        a[r * dim + c] -= 2 * dot * v[c];
      }
    }
  }

  /**
   * The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix,
   * by Jacobi rotations (deterministic), its largest entry positive; null for the zero matrix.
   */
  private static double[] topEigenvector(double[][] c) {
    int n = c.length;
    double[][] a = new double[n][];
    double trace = 0;
    for (int i = 0; i < n; i++) {
      a[i] = c[i].clone();
      trace += c[i][i];
    }
    if (!(trace > 0)) {
      return null;
    }
    double[][] vec = new double[n][n];
    for (int i = 0; i < n; i++) {
      vec[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off <= 1e-30 * trace * trace) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta == 0 ? 1 : theta)
              / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double cs = 1 / Math.sqrt(t * t + 1);
          double sn = t * cs;
          for (int k = 0; k < n; k++) { // columns p, q
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = cs * akp - sn * akq;
            a[k][q] = sn * akp + cs * akq;
          }
          for (int k = 0; k < n; k++) { // rows p, q
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = cs * apk - sn * aqk;
            a[q][k] = sn * apk + cs * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = vec[k][p];
            double vkq = vec[k][q];
            vec[k][p] = cs * vkp - sn * vkq;
            vec[k][q] = sn * vkp + cs * vkq;
          }
        }
      }
    }
    int top = 0;
    for (int i = 1; i < n; i++) {
      if (a[i][i] > a[top][top]) {
        top = i;
      }
    }
    double[] u = new double[n];
    int big = 0;
    for (int k = 0; k < n; k++) {
      u[k] = vec[k][top];
      if (Math.abs(u[k]) > Math.abs(u[big])) {
        big = k;
      }
    }
    if (u[big] < 0) {
      for (int k = 0; k < n; k++) {
        u[k] = -u[k];
      }
    }
    return u;
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public int parameters() {
    return reduced;
  }

  @Override
  public double weight(int s) {
    return inner.weight(s);
  }

  @Override
  public Workspace workspace() {
    Workspace w = inner.workspace();
    int p = inner.parameters();
    return new Workspace() {
      private double[] full = new double[0];

      @Override
      public void residuals(double[] params, int from, int to, double[] resid) {
        w.residuals(toFull(params), from, to, resid);
      }

      @Override
      public void jacobian(double[] params, int from, int to, double[] resid, double[] jac) {
        int rows = to - from;
        if (full.length < rows * p) {
          full = new double[rows * p];
        }
        w.jacobian(toFull(params), from, to, resid, full);
        Arrays.fill(jac, 0, rows * reduced, 0.0);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < p; j++) {
            if (source[j] >= 0) {
              jac[r * reduced + source[j]] += full[r * p + j];
            }
          }
        }
      }
    };
  }
}
