package org.linearicl.analysis.mechanism;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.ImplicitRegression;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.task.Batch;

/**
 * Whether one model adapts to each sequence's own noise: the implicit weights w^l it holds after
 * every layer (Theorem 4.1 read-out) measured as a fraction of the sequence's least-squares
 * solution, {@code kappa = <w, w_ols> / <w_ols, w_ols>}, with sequences grouped by their true
 * sigma. Ridge with penalty lambda shrinks w_ols by a factor that falls as lambda grows; so does
 * the model, if it estimates each sequence's noise. AdaRR's (lambda = the OLS noise estimate)
 * and the oracle's (lambda = sigma^2) factors on the same sequences stand beside it.
 */
public final class NoiseAdaptation {
  /**
   * One sigma group: its range, size, and the mean kappa (with SE) of the model after each layer
   * (index l = layer l + 1), of AdaRR and of the oracle ridge.
   */
  public record Group(double sigmaFrom, double sigmaTo, int sequences, double[] model,
      double[] modelSe, double adaRr, double adaRrSe, double oracle, double oracleSe) {}

  private NoiseAdaptation() {}

  /**
   * Groups the batch's sequences into {@code groups} equal sigma bins over [0, sigmaMax] (a
   * sigma equal to the top goes into the last bin; empty bins are left out).
   */
  public static java.util.List<Group> run(LinearTransformer model, Batch b, int groups,
      double sigmaMax) {
    int layers = model.shape().layers();
    int d = b.d;
    int n = b.n;
    double[][] kappaModel = new double[layers][b.size];
    double[] kappaAda = new double[b.size];
    double[] kappaOracle = new double[b.size];
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    DMatrixRMaj y = new DMatrixRMaj(n, 1);
    DMatrixRMaj gram = new DMatrixRMaj(d, d);
    DMatrixRMaj xty = new DMatrixRMaj(d, 1);
    DMatrixRMaj ols = new DMatrixRMaj(d, 1);
    for (int s = 0; s < b.size; s++) {
      System.arraycopy(b.x, s * n * d, x.data, 0, n * d);
      System.arraycopy(b.y, s * n, y.data, 0, n);
      CommonOps_DDRM.multTransA(x, x, gram);
      CommonOps_DDRM.multTransA(x, y, xty);
      solve(gram, 0, xty, ols);
      double olsNorm = CommonOps_DDRM.dot(ols, ols);
      double rss = 0;
      for (int i = 0; i < n; i++) {
        double r = b.y[s * n + i];
        for (int k = 0; k < d; k++) {
          r -= b.x[(s * n + i) * d + k] * ols.data[k];
        }
        rss += r * r;
      }
      kappaAda[s] = ridgeKappa(gram, rss / (n - d), xty, ols, olsNorm);
      kappaOracle[s] = ridgeKappa(gram, b.sigma[s] * b.sigma[s], xty, ols, olsNorm);
      ImplicitRegression[] ir = model.readOut(b, s);
      for (int l = 0; l < layers; l++) {
        double[] w = ir[l + 1].w();
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += w[k] * ols.data[k];
        }
        kappaModel[l][s] = dot / olsNorm;
      }
    }
    java.util.List<Group> out = new java.util.ArrayList<>();
    for (int g = 0; g < groups; g++) {
      double from = sigmaMax * g / groups;
      double to = sigmaMax * (g + 1) / groups;
      java.util.List<Integer> members = new java.util.ArrayList<>();
      for (int s = 0; s < b.size; s++) {
        if (b.sigma[s] >= from && (b.sigma[s] < to || (g == groups - 1 && b.sigma[s] <= to))) {
          members.add(s);
        }
      }
      if (members.size() < 2) {
        continue;
      }
      double[] mean = new double[layers];
      double[] se = new double[layers];
      for (int l = 0; l < layers; l++) {
        LossSummary k = summary(kappaModel[l], members);
        mean[l] = k.mean();
        se[l] = k.standardError();
      }
      LossSummary ada = summary(kappaAda, members);
      LossSummary oracle = summary(kappaOracle, members);
      out.add(new Group(from, to, members.size(), mean, se, ada.mean(), ada.standardError(),
          oracle.mean(), oracle.standardError()));
    }
    return out;
  }

  /** kappa of ridge with penalty lambda: {@code <(X^T X + lambda I)^-1 X^T y, w_ols> / |w_ols|^2}. */
  static double ridgeKappa(DMatrixRMaj gram, double lambda, DMatrixRMaj xty, DMatrixRMaj ols,
      double olsNorm) {
    DMatrixRMaj w = new DMatrixRMaj(ols.numRows, 1);
    solve(gram, lambda, xty, w);
    return CommonOps_DDRM.dot(w, ols) / olsNorm;
  }

  private static void solve(DMatrixRMaj gram, double lambda, DMatrixRMaj rhs, DMatrixRMaj out) {
    DMatrixRMaj a = gram.copy();
    for (int i = 0; i < a.numRows; i++) {
      a.add(i, i, lambda);
    }
    if (!CommonOps_DDRM.solve(a, rhs, out)) {
      throw new IllegalStateException("singular X^T X + lambda I (n <= d?)");
    }
  }

  private static LossSummary summary(double[] values, java.util.List<Integer> members) {
    double[] v = new double[members.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[members.get(i)];
    }
    return LossSummary.of(v);
  }
}
