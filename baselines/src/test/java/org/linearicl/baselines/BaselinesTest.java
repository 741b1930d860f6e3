package org.linearicl.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.OracleRidge;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Facts that hold by construction. Statistical checks allow 4 standard errors of the quantity
 * compared (paired differences on shared sequences where two predictors are compared): a false
 * alarm has probability about 6e-5 per check.
 */
class BaselinesTest {
  private static final ChunkedExecutor EXEC = new ChunkedExecutor(2);

  @AfterAll
  static void close() {
    EXEC.close();
  }

  static Batch draw(String noise, int size, long seed, Streams.Purpose purpose) {
    return new TaskSampler(TaskSpec.paper(NoiseDistribution.parse(noise)))
        .sample(size, seed, purpose, 0);
  }

  /** Spectral ridge equals core's Cholesky ridge (and so the oracle) to 1e-10 relative. */
  @Test
  void spectralRidgeEqualsCholeskyRidge() {
    Batch b = draw("uniform:3", 300, 1, Streams.Purpose.EVALUATION);
    SpectralBatch sb = SpectralBatch.of(b, EXEC);
    double[] oracle = OracleRidge.predict(b);
    double[] spectral = RidgePredictors.oracle().predictAll(sb);
    for (int s = 0; s < b.size; s++) {
      assertEquals(oracle[s], spectral[s], 1e-10 * (1 + Math.abs(oracle[s])), "sequence " + s);
    }
  }

  /** sigma_est^2 = RSS / (n - d) from the spectrum equals the residuals computed directly. */
  @Test
  void olsNoiseEstimateMatchesDirectResiduals() {
    Batch b = draw("uniform:5", 50, 2, Streams.Purpose.EVALUATION);
    SpectralBatch sb = SpectralBatch.of(b, EXEC);
    ContextStats st = new ContextStats(10, 20);
    DMatrixRMaj w = new DMatrixRMaj(10, 1);
    for (int s = 0; s < b.size; s++) {
      st.of(b, s);
      CommonOps_DDRM.solve(new DMatrixRMaj(10, 10, true, st.sigma),
          new DMatrixRMaj(10, 1, true, st.alpha), w);
      double rss = 0;
      for (int i = 0; i < 20; i++) {
        double r = b.y[s * 20 + i];
        for (int k = 0; k < 10; k++) {
          r -= w.get(k) * b.x[(s * 20 + i) * 10 + k];
        }
        rss += r * r;
      }
      assertEquals(rss / 10, sb.olsNoiseVariance(s), 1e-9 * (1 + rss));
    }
  }

  /** The oracle's adjusted loss is 0; AdaRR equals the oracle on noiseless data with n > d. */
  @Test
  void oracleIsExactAndAdaRrMatchesItWithoutNoise() {
    SpectralBatch sb = SpectralBatch.of(draw("fixed:0", 2000, 3, Streams.Purpose.EVALUATION),
        EXEC);
    Map<String, PairedEvaluation> e = BaselineStudy.evaluate(
        List.of(RidgePredictors.oracle(), RidgePredictors.adaptive()), sb);
    assertEquals(0.0, e.get("oracle").adjusted().mean(), 0.0);
    // noiseless, n = 20 > d = 10: both interpolate, so both recover w (losses are rounding)
    assertEquals(0.0, e.get("ada_rr").adjusted().mean(), 1e-18);
    assertTrue(e.get("oracle").loss().mean() < 1e-18, e.get("oracle").toString());
  }

  /**
   * ConstRR tuned on a fixed sigma recovers lambda = sigma^2 (then it is the posterior mean).
   * The tuned lambda minimises the sample loss L(lambda); its sampling error is about
   * sd(l'(sigma^2)) / (sqrt(N) L''(sigma^2)) with l the per-sequence loss (a one-step Newton
   * argument), estimated here by central differences, and the test allows 4 of those errors
   * plus the tuning tolerance.
   */
  @Test
  void constRrRecoversSigmaSquaredForFixedNoise() {
    double sigma = 1.5;
    int n = 20000;
    SpectralBatch sb = SpectralBatch.of(draw("fixed:1.5", n, 4, Streams.Purpose.TUNING), EXEC);
    TunedBaselines t = BaselineStudy.tune(new NoiseDistribution.Fixed(sigma), sb, 1, n, 4);
    double l0 = sigma * sigma;
    double h = 1e-3 * l0;
    double[] d1 = new double[n];
    double curvature = 0;
    for (int s = 0; s < n; s++) {
      double fm = half(sb.ridge(s, l0 - h) - sb.target[s]);
      double f0 = half(sb.ridge(s, l0) - sb.target[s]);
      double fp = half(sb.ridge(s, l0 + h) - sb.target[s]);
      d1[s] = (fp - fm) / (2 * h);
      curvature += (fp - 2 * f0 + fm) / (h * h);
    }
    curvature /= n;
    double se = LossSummary.of(d1).standardError() / curvature;
    assertEquals(l0, t.constLambda(), 4 * se + BaselineStudy.REL_TOL * l0,
        "tuned lambda " + t.constLambda() + ", sampling error " + se);
  }

  private static double half(double e) {
    return 0.5 * e * e;
  }

  /** Bayes-optimal <= TunedRR <= AdaRR on mixtures, each up to 4 paired standard errors. */
  @ParameterizedTest
  @ValueSource(strings = {"uniform:5", "categorical:1,3"})
  void bayesBeatsTunedBeatsAdaptive(String noise) {
    TaskSpec task = TaskSpec.paper(NoiseDistribution.parse(noise));
    TunedBaselines t = BaselineStudy.tune(task, 20000, 5, 2, EXEC);
    SpectralBatch eval = SpectralBatch.of(draw(noise, 20000, 1, Streams.Purpose.EVALUATION),
        EXEC);
    Predictor bayes = BayesOptimal.of(task.noise(), 128);
    double[] pb = bayes.predictAll(eval);
    double[] pt = RidgePredictors.tuned(t.tunedFactor(), t.tunedThreshold()).predictAll(eval);
    double[] pa = RidgePredictors.adaptive().predictAll(eval);
    LossSummary bayesMinusTuned = pairedDiff(pb, pt, eval.target);
    LossSummary tunedMinusAda = pairedDiff(pt, pa, eval.target);
    assertTrue(bayesMinusTuned.mean() <= 4 * bayesMinusTuned.standardError(),
        "Bayes - TunedRR = " + bayesMinusTuned);
    assertTrue(tunedMinusAda.mean() <= 4 * tunedMinusAda.standardError(),
        "TunedRR - AdaRR = " + tunedMinusAda);
    // and the gaps are real: Bayes strictly improves on AdaRR here
    LossSummary bayesMinusAda = pairedDiff(pb, pa, eval.target);
    assertTrue(bayesMinusAda.mean() < -4 * bayesMinusAda.standardError(), bayesMinusAda.toString());
  }

  static LossSummary pairedDiff(double[] a, double[] b, double[] target) {
    double[] d = new double[target.length];
    for (int s = 0; s < d.length; s++) {
      d[s] = half(a[s] - target[s]) - half(b[s] - target[s]);
    }
    return LossSummary.of(d);
  }

  /** The uniform prior's quadrature: doubling the nodes changes the loss by < 1e-4 relative. */
  @ParameterizedTest
  @ValueSource(strings = {"uniform:1", "uniform:5", "uniform:7"})
  void quadratureIsFineEnough(String noise) {
    NoiseDistribution nd = NoiseDistribution.parse(noise);
    SpectralBatch sb = SpectralBatch.of(draw(noise, 4000, 6, Streams.Purpose.EVALUATION), EXEC);
    double coarse = Tuning.loss(sb, BayesOptimal.of(nd, BayesOptimal.DEFAULT_UNIFORM_NODES));
    double fine = Tuning.loss(sb, BayesOptimal.of(nd, 2 * BayesOptimal.DEFAULT_UNIFORM_NODES));
    assertEquals(fine, coarse, 1e-4 * fine);
  }

  /**
   * The closed-form log marginal likelihood: for a two-point prior, the posterior mixture equals
   * one computed from the n x n covariance X X^T + s^2 I directly (EJML determinant and solve).
   */
  @Test
  void bayesMatchesTheDirectMarginalLikelihood() {
    Batch b = draw("categorical:1,3", 20, 7, Streams.Purpose.EVALUATION);
    SpectralBatch sb = SpectralBatch.of(b, EXEC);
    Predictor bayes = BayesOptimal.of(NoiseDistribution.parse("categorical:1,3"), 1);
    for (int s = 0; s < b.size; s++) {
      DMatrixRMaj x = new DMatrixRMaj(20, 10, true,
          java.util.Arrays.copyOfRange(b.x, s * 200, (s + 1) * 200));
      DMatrixRMaj y = new DMatrixRMaj(20, 1, true,
          java.util.Arrays.copyOfRange(b.y, s * 20, (s + 1) * 20));
      double[] logLik = new double[2];
      double[] pred = new double[2];
      double[] sig = {1, 3};
      for (int k = 0; k < 2; k++) {
        DMatrixRMaj cov = new DMatrixRMaj(20, 20);
        CommonOps_DDRM.multTransB(x, x, cov);
        for (int i = 0; i < 20; i++) {
          cov.add(i, i, sig[k] * sig[k]);
        }
        DMatrixRMaj sol = new DMatrixRMaj(20, 1);
        CommonOps_DDRM.solve(cov, y, sol);
        logLik[k] = -0.5 * (Math.log(CommonOps_DDRM.det(cov)) + CommonOps_DDRM.dot(y, sol));
        pred[k] = sb.ridge(s, sig[k] * sig[k]);
      }
      double m = Math.max(logLik[0], logLik[1]);
      double w0 = Math.exp(logLik[0] - m);
      double w1 = Math.exp(logLik[1] - m);
      double expected = (w0 * pred[0] + w1 * pred[1]) / (w0 + w1);
      assertEquals(expected, bayes.predict(sb, s), 1e-9 * (1 + Math.abs(expected)));
    }
  }

  /** The GD estimator in the eigenbasis equals the direct recursion in the original basis. */
  @Test
  void gradientDescentMatchesTheDirectRecursion() {
    Batch b = draw("uniform:3", 30, 8, Streams.Purpose.EVALUATION);
    SpectralBatch sb = SpectralBatch.of(b, EXEC);
    ContextStats st = new ContextStats(10, 20);
    int steps = 7;
    double eta = 0.4;
    GradientDescentEstimator gd = new GradientDescentEstimator(steps, eta);
    for (int s = 0; s < b.size; s++) {
      st.of(b, s);
      double[] w = runGd(st, steps, eta, 0.0);
      double rss = st.lambda;
      for (int a = 0; a < 10; a++) {
        rss -= 2 * w[a] * st.alpha[a];
        for (int c = 0; c < 10; c++) {
          rss += w[a] * st.sigma[a * 10 + c] * w[c];
        }
      }
      double[] wr = runGd(st, steps, eta, Math.max(0, rss) / 10);
      double p = 0;
      for (int a = 0; a < 10; a++) {
        p += wr[a] * b.xq[s * 10 + a];
      }
      assertEquals(p, gd.predict(sb, s), 1e-10 * (1 + Math.abs(p)));
    }
  }

  private static double[] runGd(ContextStats st, int steps, double eta, double lambda) {
    double[] w = new double[10];
    for (int k = 0; k < steps; k++) {
      double[] g = new double[10];
      for (int a = 0; a < 10; a++) {
        g[a] = lambda * w[a] - st.alpha[a];
        for (int c = 0; c < 10; c++) {
          g[a] += st.sigma[a * 10 + c] * w[c];
        }
      }
      for (int a = 0; a < 10; a++) {
        w[a] -= eta / 20 * g[a];
      }
    }
    return w;
  }

  @Test
  void goldenSectionLocatesAKnownMinimum() {
    double x = Tuning.minimiseLog(v -> Math.pow(Math.log(v / 0.37), 2) + 1, 1e-4, 1e3, 41, 1e-3);
    assertEquals(0.37, x, 1e-3 * 0.37);
    assertThrows(IllegalArgumentException.class, () -> Tuning.minimiseLog(v -> v, 0, 1, 41, 1e-3));
  }

  @Test
  void aNegativeRidgeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> RidgePredictors.constant(-1));
  }
}
