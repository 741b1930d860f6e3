package org.linearicl.baselines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Tuning and evaluation of the baselines (docs/method.md, evaluation and baselines). Tuning uses
 * its own sequences (stream TUNING), never the evaluation sequences; evaluation uses the same draw
 * as the transformer models ({@code TaskSampler.sample(samples, evalSeed, EVALUATION, 0)}).
 */
public final class BaselineStudy {
  /** Every tuned parameter is located to this relative precision. */
  public static final double REL_TOL = 1e-3;

  /** The GD estimator's K in the summary (the loss against K = 1..max is reported separately). */
  public static final int GD_SUMMARY_K = 10;

  private static final int GRID = 41;

  private BaselineStudy() {}

  /** Draws the tuning sequences and tunes every baseline on them. */
  public static TunedBaselines tune(TaskSpec task, int samples, long seed, int maxK,
      ChunkedExecutor executor) {
    SpectralBatch b = SpectralBatch.of(
        new TaskSampler(task).sample(samples, seed, Streams.Purpose.TUNING, 0), executor);
    return tune(task.noise(), b, maxK, samples, seed);
  }

  /** Tunes every baseline on {@code b}. */
  public static TunedBaselines tune(NoiseDistribution noise, SpectralBatch b, int maxK,
      int samples, long seed) {
    // ConstRR: lambda in [1e-4, 1e3]; lambda = 0 (least squares) competes as its own candidate
    double lambda = Tuning.minimiseLog(l -> Tuning.loss(b, RidgePredictors.constant(l)), 1e-4,
        1e3, GRID, REL_TOL);
    if (Tuning.loss(b, RidgePredictors.constant(0.0))
        <= Tuning.loss(b, RidgePredictors.constant(lambda))) {
      lambda = 0.0;
    }
    // TunedRR: coordinate descent over (c, t) from AdaRR (c = 1, t = max sigma_est^2)
    double tMax = 0.0;
    for (int s = 0; s < b.size; s++) {
      tMax = Math.max(tMax, b.olsVar[s]);
    }
    double c = 1.0;
    double t = Math.max(tMax, 1e-6);
    for (int round = 0; round < 20; round++) {
      final double tFixed = t;
      double cNew = Tuning.minimiseLog(x -> Tuning.loss(b, RidgePredictors.tuned(x, tFixed)),
          1e-3, 1e2, GRID, REL_TOL);
      final double cFixed = cNew;
      double tNew = Tuning.minimiseLog(x -> Tuning.loss(b, RidgePredictors.tuned(cFixed, x)),
          1e-4, Math.max(10 * tMax, 1e-3), GRID, REL_TOL);
      boolean done = Math.abs(cNew - c) <= REL_TOL * c && Math.abs(tNew - t) <= REL_TOL * t;
      c = cNew;
      t = tNew;
      if (done) {
        break;
      }
    }
    double[] eta = new double[maxK];
    for (int k = 1; k <= maxK; k++) {
      final int steps = k;
      eta[k - 1] = Tuning.minimiseLog(
          x -> Tuning.loss(b, new GradientDescentEstimator(steps, x)), 1e-3, 4.0, GRID,
          REL_TOL);
    }
    return new TunedBaselines(noise, lambda, c, t, eta, samples, seed);
  }

  /** oracle, const_rr, ada_rr, tuned_rr, bayes and gd (K = {@link #GD_SUMMARY_K}), in order. */
  public static List<Predictor> predictors(TunedBaselines tuned) {
    List<Predictor> list = new ArrayList<>();
    list.add(RidgePredictors.oracle());
    list.add(RidgePredictors.constant(tuned.constLambda()));
    list.add(RidgePredictors.adaptive());
    list.add(RidgePredictors.tuned(tuned.tunedFactor(), tuned.tunedThreshold()));
    list.add(BayesOptimal.of(tuned.noise(), BayesOptimal.DEFAULT_UNIFORM_NODES));
    list.add(tuned.gd(Math.min(GD_SUMMARY_K, tuned.gdEta().length)));
    return list;
  }

  /** Each predictor's loss and adjusted loss (against the oracle) on {@code b}. */
  public static Map<String, PairedEvaluation> evaluate(List<Predictor> predictors,
      SpectralBatch b) {
    double[] oracle = RidgePredictors.oracle().predictAll(b);
    Map<String, PairedEvaluation> out = new LinkedHashMap<>();
    for (Predictor p : predictors) {
      out.put(p.name(), PairedEvaluation.of(p.predictAll(b), oracle, b.target));
    }
    return out;
  }

  /**
   * Per-variance profile: for each sigma of {@code sigmas}, the predictors (tuned on the training
   * distribution) evaluated on sequences with that fixed sigma; the draws share x and w across
   * sigma (TaskSampler.sampleAtSigma), a paired comparison.
   *
   * @return predictor name -> one evaluation per sigma
   */
  public static Map<String, PairedEvaluation[]> profile(List<Predictor> predictors,
      TaskSpec task, double[] sigmas, int samples, long seed, ChunkedExecutor executor) {
    Map<String, PairedEvaluation[]> out = new LinkedHashMap<>();
    for (Predictor p : predictors) {
      out.put(p.name(), new PairedEvaluation[sigmas.length]);
    }
    TaskSampler sampler = new TaskSampler(task);
    for (int i = 0; i < sigmas.length; i++) {
      SpectralBatch b = SpectralBatch.of(
          sampler.sampleAtSigma(samples, seed, Streams.Purpose.EVALUATION, 0, sigmas[i]),
          executor);
      Map<String, PairedEvaluation> e = evaluate(predictors, b);
      for (Predictor p : predictors) {
        out.get(p.name())[i] = e.get(p.name());
      }
    }
    return out;
  }
}
