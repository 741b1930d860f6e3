package org.linearicl.analysis.mechanism;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.linearicl.core.model.ImplicitRegression;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.task.Batch;

/**
 * Is the trained model one of the known algorithms? The prediction of every model here is
 * linear in the query, {@code yhat = <w, x_t>}, so its sensitivity to the query is the implicit
 * weight vector w (the Theorem 4.1 read-out after each layer). Per layer l it is compared, by
 * cosine on the same sequence, with
 * <ul>
 *   <li>l steps of gradient descent from 0 on {@code (1/2n) |y - X w|^2}, with the step size
 *       tuned for l steps on tuning sequences (the loss of the prediction);
 *   <li>ridge regression with one penalty per layer, the one whose direction agrees best with
 *       the model on the tuning sequences (the model's implied lambda);
 *   <li>AdaRR's ridge, lambda = RSS / (n - d) of each sequence.
 * </ul>
 * Everything runs in the eigenbasis of X^T X, where GD and ridge act coordinate by coordinate
 * and cosines are unchanged.
 */
public final class Alignment {
  /**
   * One layer: mean and 10th percentile of the cosines, and the tuned step and lambda; all NaN
   * for a layer whose weights are still 0 on every sequence.
   */
  public record Layer(int layer, double gdStep, double gdMean, double gdP10, double lambda,
      double ridgeMean, double ridgeP10, double adaMean, double adaP10, double gdLabels,
      double ridgeLabels, double adaLabels) {}

  /** The label step of the central differences (the labels are of order 1 to 10). */
  static final double LABEL_STEP = 1e-4;

  /** The bracket of the log10 lambda search. */
  static final double LOG_LAMBDA_MIN = -4;
  static final double LOG_LAMBDA_MAX = 4;

  private Alignment() {}

  /** The eigen-coordinates of one batch: ev, beta = V^T X^T y, the query, the model's w^l. */
  record Spectral(int d, int size, double[] ev, double[] beta, double[] xt, double[] target,
      double[] ada, double[][] model, double[][] labels, double[][] labelNorm2) {
    static Spectral of(LinearTransformer model, Batch b) {
      double[][][] g = labelSensitivity(model, b);
      int d = b.d;
      int n = b.n;
      int layers = model.shape().layers();
      double[] ev = new double[b.size * d];
      double[] beta = new double[b.size * d];
      double[] xt = new double[b.size * d];
      double[] ada = new double[b.size];
      double[][] w = new double[layers][b.size * d];
      double[][] labels = new double[layers][b.size * d];
      double[][] labelNorm2 = new double[layers][b.size];
      DMatrixRMaj x = new DMatrixRMaj(n, d);
      DMatrixRMaj gram = new DMatrixRMaj(d, d);
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
      for (int s = 0; s < b.size; s++) {
        System.arraycopy(b.x, s * n * d, x.data, 0, n * d);
        CommonOps_DDRM.multTransA(x, x, gram);
        if (!eig.decompose(gram.copy())) {
          throw new IllegalStateException("eigendecomposition failed for sequence " + s);
        }
        double[] xty = new double[d];
        for (int j = 0; j < n; j++) {
          for (int k = 0; k < d; k++) {
            xty[k] += b.x[(s * n + j) * d + k] * b.y[s * n + j];
          }
        }
        ImplicitRegression[] ir = model.readOut(b, s);
        double rss = 0;
        for (int j = 0; j < n; j++) {
          rss += b.y[s * n + j] * b.y[s * n + j];
        }
        for (int i = 0; i < d; i++) {
          DMatrixRMaj v = eig.getEigenVector(i);
          ev[s * d + i] = eig.getEigenvalue(i).real;
          beta[s * d + i] = dot(v.data, xty, 0);
          xt[s * d + i] = dot(v.data, b.xq, s * d);
          // X v_i = sqrt(ev_i) u_i: the label-space direction of eigen-coordinate i
          double[] xv = new double[n];
          for (int j = 0; j < n; j++) {
            xv[j] = dot(v.data, b.x, (s * n + j) * d);
          }
          for (int l = 0; l < layers; l++) {
            w[l][s * d + i] = dot(v.data, ir[l + 1].w(), 0);
            double c = 0;
            for (int j = 0; j < n; j++) {
              c += xv[j] * g[l][j][s];
            }
            labels[l][s * d + i] = c / Math.sqrt(ev[s * d + i]);
          }
          rss -= beta[s * d + i] * beta[s * d + i] / ev[s * d + i]; // RSS of OLS
        }
        ada[s] = Math.max(rss, 0) / (n - d);
        for (int l = 0; l < layers; l++) {
          for (int j = 0; j < n; j++) {
            labelNorm2[l][s] += g[l][j][s] * g[l][j][s];
          }
        }
      }
      return new Spectral(d, b.size, ev, beta, xt, b.yq.clone(), ada, w, labels, labelNorm2);
    }

    /**
     * d yhat / d y_j after every layer, by central differences ([layer][j][sequence]): the
     * prediction is a polynomial in the labels, and the step is small against their scale.
     */
    static double[][][] labelSensitivity(LinearTransformer model, Batch b) {
      int n = b.n;
      double[][][] g = new double[model.shape().layers()][n][b.size];
      for (int j = 0; j < n; j++) {
        double[][] plus = model.predictAfterEachLayer(shifted(b, j, LABEL_STEP));
        double[][] minus = model.predictAfterEachLayer(shifted(b, j, -LABEL_STEP));
        for (int l = 0; l < g.length; l++) {
          for (int s = 0; s < b.size; s++) {
            g[l][j][s] = (plus[l][s] - minus[l][s]) / (2 * LABEL_STEP);
          }
        }
      }
      return g;
    }

    private static Batch shifted(Batch b, int j, double h) {
      Batch c = b.slice(0, b.size);
      for (int s = 0; s < b.size; s++) {
        c.y[s * b.n + j] += h;
      }
      return c;
    }

    private static double dot(double[] v, double[] a, int offset) {
      double acc = 0;
      for (int k = 0; k < v.length; k++) {
        acc += v[k] * a[offset + k];
      }
      return acc;
    }
  }

  /** Coordinate i of K GD steps of size eta from 0 (the rate is eta / n). */
  static double gd(double ev, double beta, int steps, double rate) {
    double w = 0;
    for (int k = 0; k < steps; k++) {
      w -= rate * (ev * w - beta);
    }
    return w;
  }

  /** Per layer, on tuning sequences {@code tune} for the steps and lambdas, measured on {@code eval}. */
  public static Layer[] run(LinearTransformer model, Batch tune, Batch eval, int n) {
    Spectral t = Spectral.of(model, tune);
    Spectral e = Spectral.of(model, eval);
    int layers = model.shape().layers();
    Layer[] out = new Layer[layers];
    for (int l = 0; l < layers; l++) {
      final int steps = l + 1;
      if (allZero(e.model()[l])) {
        // a layer that still holds w = 0 (an identity layer in front) points nowhere yet
        out[l] = new Layer(l + 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        continue;
      }
      double step = GoldenSection.minimise(0, 2, eta -> gdLoss(t, steps, eta / n));
      final int layer = l;
      double logLambda = GoldenSection.minimise(LOG_LAMBDA_MIN, LOG_LAMBDA_MAX,
          g -> -meanCosine(t, layer, (ev, beta, s) -> beta / (ev + Math.pow(10, g))));
      double lambda = Math.pow(10, logLambda);
      double[] gdCos = cosines(e, l, (ev, beta, s) -> gd(ev, beta, steps, step / n));
      double[] ridgeCos = cosines(e, l, (ev, beta, s) -> beta / (ev + lambda));
      Coordinate gd = (ev, beta, s) -> gd(ev, beta, steps, step / n);
      Coordinate ridge = (ev, beta, s) -> beta / (ev + lambda);
      Coordinate ada = (ev, beta, s) -> beta / (ev + e.ada()[s]);
      double[] adaCos = cosines(e, l, ada);
      out[l] = new Layer(l + 1, step, mean(gdCos), percentile10(gdCos), lambda, mean(ridgeCos),
          percentile10(ridgeCos), mean(adaCos), percentile10(adaCos),
          mean(labelCosines(e, l, gd)), mean(labelCosines(e, l, ridge)),
          mean(labelCosines(e, l, ada)));
    }
    return out;
  }

  private static boolean allZero(double[] v) {
    for (double x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** A reference algorithm's weight coordinate from (eigenvalue, beta, sequence). */
  @FunctionalInterface
  interface Coordinate {
    double of(double ev, double beta, int s);
  }

  private static double gdLoss(Spectral t, int steps, double rate) {
    double sum = 0;
    for (int s = 0; s < t.size(); s++) {
      double p = 0;
      for (int i = 0; i < t.d(); i++) {
        int o = s * t.d() + i;
        p += gd(t.ev()[o], t.beta()[o], steps, rate) * t.xt()[o];
      }
      double err = p - t.target()[s];
      sum += 0.5 * err * err;
    }
    return sum / t.size();
  }

  private static double meanCosine(Spectral t, int layer, Coordinate c) {
    return mean(cosines(t, layer, c));
  }

  /**
   * Cosines between the model's label sensitivity and a linear algorithm's, {@code d yhat / d y
   * = sum_i f_i xt_i sqrt(ev_i) u_i} with {@code f_i} its gain on eigen-coordinate i (its weight
   * for beta = 1): the model's part outside the span of the u_i counts in its norm.
   */
  static double[] labelCosines(Spectral t, int layer, Coordinate c) {
    double[] out = new double[t.size()];
    for (int s = 0; s < t.size(); s++) {
      double ab = 0;
      double bb = 0;
      for (int i = 0; i < t.d(); i++) {
        int o = s * t.d() + i;
        double r = c.of(t.ev()[o], 1.0, s) * t.xt()[o] * Math.sqrt(t.ev()[o]);
        ab += t.labels()[layer][o] * r;
        bb += r * r;
      }
      double aa = t.labelNorm2()[layer][s];
      out[s] = aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
    return out;
  }

  static double[] cosines(Spectral t, int layer, Coordinate c) {
    double[] out = new double[t.size()];
    for (int s = 0; s < t.size(); s++) {
      double ab = 0;
      double aa = 0;
      double bb = 0;
      for (int i = 0; i < t.d(); i++) {
        int o = s * t.d() + i;
        double a = t.model()[layer][o];
        double r = c.of(t.ev()[o], t.beta()[o], s);
        ab += a * r;
        aa += a * a;
        bb += r * r;
      }
      out[s] = aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
    return out;
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }

  private static double percentile10(double[] v) {
    double[] sorted = v.clone();
    java.util.Arrays.sort(sorted);
    return sorted[(int) Math.floor(0.1 * (sorted.length - 1))];
  }
}
