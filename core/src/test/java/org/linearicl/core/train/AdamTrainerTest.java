package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.theory.OneStepOptimum;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.eval.Evaluator;

class AdamTrainerTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));

  static TrainingConfig config(Variant v, int layers, int heads, long steps, int batch,
      double lr, Schedule schedule) {
    return TrainingConfig.builder(v, layers, U5).heads(heads).seed(17).steps(steps)
        .batchSize(batch).lr(lr).schedule(schedule).curveEvery(5).build();
  }

  static AdamTrainer.Result train(TrainingConfig cfg, ChunkedExecutor e) {
    return new AdamTrainer(cfg, e).train(AdamTrainer.initialParams(cfg, 0), cfg.steps(),
        cfg.adam().lr(), 0, TrainingListener.NONE);
  }

  /**
   * The fixed-chunk reduction (docs/method.md, conventions) makes training bit-identical for any
   * thread count.
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void twentyStepsAreBitIdenticalWithOneAndFourThreads(Variant variant) {
    TrainingConfig cfg = config(variant, 2, 2, 20, 300, 1e-2, new Schedule.Constant());
    double[] one;
    double[] four;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      one = train(cfg, e).params();
    }
    try (ChunkedExecutor e = new ChunkedExecutor(4)) {
      four = train(cfg, e).params();
    }
    assertArrayEquals(one, four);
    assertTrue(!java.util.Arrays.equals(one, AdamTrainer.initialParams(cfg, 0)),
        "training moved");
  }

  /** At init the loss is about E[y_t^2]/2 = d/2 (y_t = <w, x_t> with w, x_t ~ N(0, I)); training lowers it. */
  @Test
  void curveStartsNearHalfDAndFalls() {
    TrainingConfig cfg = config(Variant.DIAG, 1, 1, 100, 512, 1e-2,
        new Schedule.WarmupCosine(10, 0.1));
    AdamTrainer.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = train(cfg, e);
    }
    double[] loss = r.curve().loss();
    assertEquals(20, loss.length);
    assertEquals(100L, r.curve().step()[19]);
    // first 5 steps' mean batch loss: (d/2) +- a few standard errors of 2560 draws
    assertEquals(5.0, loss[0], 0.6);
    assertTrue(loss[19] < 0.7 * loss[0], "the loss fell: " + loss[0] + " -> " + loss[19]);
  }

  /**
   * The first acceptance check of training: a trained one-layer model of every variant comes within 1.5% of
   * the closed-form optimum (OneStepOptimum). Compared paired with the optimal predictor on the
   * same 20,000 evaluation sequences, so sampling noise mostly cancels; the model cannot beat the
   * optimum by more than 4 standard errors of the paired difference.
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void oneLayerReachesTheClosedFormOptimum(Variant variant) {
    // the command line's default recipe (100 warm-up steps: with 20, FULL can stall at seed 17)
    TrainingConfig cfg = config(variant, 1, 1, 300, 1024, 2e-2,
        new Schedule.WarmupCosine(100, 0.01));
    AdamTrainer.Result r;
    Batch eval = new TaskSampler(U5).sample(20_000, 1, Streams.Purpose.EVALUATION, 0);
    double[] model;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = train(cfg, e);
      double[][] p = Evaluator.predictAfterEachLayer(
          new LinearTransformer(new ModelShape(variant, 1, 1, 10), r.params()), eval, e);
      model = p[0];
    }
    double eta = OneStepOptimum.stepSize(U5);
    ContextStats st = new ContextStats(10, 20);
    double[] diff = new double[eval.size];
    double[] opt = new double[eval.size];
    for (int s = 0; s < eval.size; s++) {
      st.of(eval, s);
      double g = 0;
      for (int k = 0; k < 10; k++) {
        g += st.alpha[k] * eval.xq[s * 10 + k];
      }
      double eo = eta * g / 20 - eval.yq[s];
      double em = model[s] - eval.yq[s];
      opt[s] = 0.5 * eo * eo;
      diff[s] = 0.5 * em * em - opt[s];
    }
    LossSummary gap = LossSummary.of(diff);
    double optimum = OneStepOptimum.loss(U5);
    assertTrue(gap.mean() < 0.015 * optimum, variant + ": model exceeds the one-step optimum by "
        + gap.mean() + " (" + 100 * gap.mean() / optimum + "%)");
    assertTrue(gap.mean() > -4 * gap.standardError(), variant + " beat the optimum: " + gap);
  }

  /**
   * A rate far too large for a 5-layer DIAG model: batches overflow, and every such step is
   * undone instead of taken or skipped, so the run ends with finite parameters and counts what
   * it rejected.
   */
  @Test
  void overflowingStepsAreRejectedAndUndone() {
    TrainingConfig cfg = TrainingConfig.builder(Variant.DIAG, 5, U5).seed(1).steps(50)
        .batchSize(256).lr(5.0).schedule(new Schedule.Constant()).clipNorm(0.0).curveEvery(5)
        .build();
    AdamTrainer.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      r = train(cfg, e);
    }
    assertTrue(r.rejectedSteps() > 0, "some steps overflowed: " + r);
    assertTrue(r.takenSteps() + r.rejectedSteps() <= 50, "one outcome per step: " + r);
    for (double p : r.params()) {
      assertTrue(Double.isFinite(p), "parameters stay finite");
    }
  }

  @Test
  void initialisationsAreDistinctStreams() {
    TrainingConfig cfg = config(Variant.DIAG, 3, 1, 1, 64, 1e-2, new Schedule.Constant());
    assertEquals(12, AdamTrainer.initialParams(cfg, 0).length);
    assertTrue(!java.util.Arrays.equals(AdamTrainer.initialParams(cfg, 0),
        AdamTrainer.initialParams(cfg, 1)));
    assertArrayEquals(AdamTrainer.initialParams(cfg, 1), AdamTrainer.initialParams(cfg, 1));
  }
}
