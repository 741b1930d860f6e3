package org.linearicl.analysis.mechanism;

import org.linearicl.core.task.Batch;

/**
 * The two-layer construction for a two-level noise problem: layer 1 has only omega_yx (one
 * gradient step from w = 0, leaving the residuals r_i in the context's y-slots), layer 2 only
 * omega_yy (it rescales the query's prediction by {@code 1 + omega_yy sum_j r_j^2 / n}, a factor
 * that reads the sequence's noise level off its residuals). Its prediction in closed form is
 * <pre>
 *   yhat = a (1 + gamma rho),   a = -omega_yx &lt;alpha, x_t&gt; / n,   rho = sum_j r_j^2 / n,
 *   r_j = y_j + omega_yx &lt;alpha, x_j&gt; / n,   gamma = omega_yy,
 * </pre>
 * linear in gamma, so for a given step the best gamma on a set of sequences is a least-squares
 * coefficient; the step is found by a golden-section search on the loss.
 */
public final class TwoLevelConstruction {
  /** The construction's two terms. */
  public record Terms(double omegaYx, double omegaYy) {
    /** The 2-layer omega table of {@link OmegaForward}. */
    public double[][] omegas() {
      return new double[][] {{0, 0, omegaYx, 0}, {0, 0, 0, omegaYy}};
    }
  }

  /** The bracket of the step search: one GD step of size 0 to 2 (omega_yx = -step). */
  static final double MAX_STEP = 2.0;

  private TwoLevelConstruction() {}

  /**
   * Per sequence, the sums the prediction needs for any pair of terms: with {@code u_j =
   * <alpha, x_j>}, {@code sum_j r_j^2 = yy + 2 w |alpha|^2 / n + w^2 uu / n^2} (w = omega_yx,
   * since {@code sum_j y_j u_j = |alpha|^2}), so a search over the terms costs O(1) per sequence.
   */
  public record Sums(int n, double[] yy, double[] alpha2, double[] uu, double[] aq,
      double[] target) {
    /** The sums of every sequence of a batch. */
    public static Sums of(Batch b) {
      int d = b.d;
      int n = b.n;
      double[] yy = new double[b.size];
      double[] alpha2 = new double[b.size];
      double[] uu = new double[b.size];
      double[] aq = new double[b.size];
      double[] alpha = new double[d];
      for (int s = 0; s < b.size; s++) {
        java.util.Arrays.fill(alpha, 0);
        for (int j = 0; j < n; j++) {
          double y = b.y[s * n + j];
          yy[s] += y * y;
          for (int k = 0; k < d; k++) {
            alpha[k] += y * b.x[(s * n + j) * d + k];
          }
        }
        for (int j = 0; j < n; j++) {
          double u = 0;
          for (int k = 0; k < d; k++) {
            u += alpha[k] * b.x[(s * n + j) * d + k];
          }
          uu[s] += u * u;
        }
        for (int k = 0; k < d; k++) {
          alpha2[s] += alpha[k] * alpha[k];
          aq[s] += alpha[k] * b.xq[s * d + k];
        }
      }
      return new Sums(n, yy, alpha2, uu, aq, b.yq.clone());
    }

    int size() {
      return target.length;
    }

    /** The first layer's prediction a. */
    double step(double omegaYx, int s) {
      return -omegaYx * aq[s] / n;
    }

    /** rho = sum_j r_j^2 / n after the first layer. */
    double rho(double omegaYx, int s) {
      return (yy[s] + 2 * omegaYx * alpha2[s] / n + omegaYx * omegaYx * uu[s] / ((double) n * n))
          / n;
    }
  }

  /** The closed-form prediction of sequence s (see the class comment). */
  public static double predict(Terms t, Sums sums, int s) {
    return sums.step(t.omegaYx(), s) * (1 + t.omegaYy() * sums.rho(t.omegaYx(), s));
  }

  /** The least-squares gamma for a given first-layer term, on the sequences of {@code sums}. */
  public static double bestRescaling(double omegaYx, Sums sums) {
    double num = 0;
    double den = 0;
    for (int s = 0; s < sums.size(); s++) {
      double a = sums.step(omegaYx, s);
      double g = a * sums.rho(omegaYx, s);
      num += (sums.target[s] - a) * g;
      den += g * g;
    }
    return den == 0 ? 0 : num / den;
  }

  /** Mean of {@code 0.5 (yhat - y_t)^2} over the sequences of {@code sums}. */
  public static double loss(Terms t, Sums sums) {
    double sum = 0;
    for (int s = 0; s < sums.size(); s++) {
      double e = predict(t, sums, s) - sums.target[s];
      sum += 0.5 * e * e;
    }
    return sum / sums.size();
  }

  /**
   * The two terms fitted on tuning sequences; with {@code rescale} false, omega_yy stays 0 (the
   * plain one-step model, for comparison).
   */
  public static Terms fit(Sums tuning, boolean rescale) {
    double step = GoldenSection.minimise(-MAX_STEP, 0, w -> profileLoss(w, tuning, rescale));
    return new Terms(step, rescale ? bestRescaling(step, tuning) : 0);
  }

  private static double profileLoss(double omegaYx, Sums b, boolean rescale) {
    return loss(new Terms(omegaYx, rescale ? bestRescaling(omegaYx, b) : 0), b);
  }
}
