package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.OracleRidge;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.theory.OneStepOptimum;
import org.linearicl.core.util.ChunkedExecutor;

class OffRangeCheckTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));
  private static final ModelShape DIAG2 = new ModelShape(Variant.DIAG, 2, 1, 10);
  private static final double ETA = OneStepOptimum.stepSize(U5);

  /** Two DIAG layers each taking a gradient step (omega_yx = -eta): the first step, then one more. */
  private static double[] steps(double first, double second) {
    return new double[] {0, -first, 1, 0, 0, -second, 1, 0};
  }

  /**
   * The bound's predictions against a direct computation (alpha from ContextStats), and its loss
   * at each sigma against the closed form (d/2)[eta^2 (n + d + 1 + sigma^2)/n - 2 eta + 1],
   * within 4 standard errors of the sampled mean.
   */
  @Test
  void theBoundIsTheOneStepOptimumsLoss() {
    int samples = 20_000;
    OffRangeCheck check;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      check = OffRangeCheck.prepare(U5, 5, samples, 1.0, 11, e);
    }
    double[] sigmas = check.sigmas();
    assertArrayEquals(U5.noise().profileGrid(5), sigmas);
    TaskSampler sampler = new TaskSampler(U5);
    ContextStats st = new ContextStats(U5.d(), U5.n());
    for (int i = 0; i < sigmas.length; i++) {
      Batch b = sampler.sampleAtSigma(samples, 11, Streams.Purpose.OFF_RANGE, 0, sigmas[i]);
      double[] fast = OffRangeCheck.oneStep(b, ETA);
      double[] loss = new double[b.size];
      for (int s = 0; s < b.size; s++) {
        st.of(b, s);
        double p = 0;
        for (int k = 0; k < b.d; k++) {
          p += st.alpha[k] * b.xq[s * b.d + k];
        }
        double direct = ETA * p / b.n;
        assertEquals(direct, fast[s], 1e-12 * (1 + Math.abs(direct)));
        loss[s] = 0.5 * (fast[s] - b.yq[s]) * (fast[s] - b.yq[s]);
      }
      LossSummary sim = LossSummary.of(loss);
      double closed = OneStepOptimum.lossAt(U5, ETA, sigmas[i]);
      assertEquals(closed, sim.mean(), 4 * sim.standardError(), "sigma " + sigmas[i]);
      assertEquals(PairedEvaluation.of(fast, OracleRidge.predict(b), b.yq).adjusted(),
          check.bound()[i]);
    }
  }

  /** The closed form at the training task's second moment is OneStepOptimum.loss. */
  @Test
  void theClosedFormAtTheMeanVarianceIsTheOptimum() {
    double s = Math.sqrt(U5.noise().secondMoment());
    assertEquals(OneStepOptimum.loss(U5), OneStepOptimum.lossAt(U5, ETA, s), 1e-14);
  }

  /** A model computing the one-step optimum passes: its losses are the bound's. */
  @Test
  void theOneStepOptimumPasses() {
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      OffRangeCheck check = OffRangeCheck.prepare(U5, 7, 2000, 1.0, 3, e);
      OffRangeCheck.Point[] points = check.points(DIAG2, steps(0, ETA), e);
      for (OffRangeCheck.Point p : points) {
        assertEquals(p.bound().mean(), p.model().mean(), 1e-12 * p.bound().mean());
      }
      OffRangeCheck.Stats s = check.check(DIAG2, steps(0, ETA), e);
      assertTrue(s.passed(), s.toString());
      assertEquals(7, s.points());
      assertEquals(2000, s.samples());
      assertEquals(1.0, s.worstRatio(), 1e-12);
    }
  }

  /**
   * The step scaled by 1.5 (0.763) is too long where the noise is large: at sigma 0, nearer the
   * noiseless optimum 20/31 = 0.645 than eta* = 0.508 is, it beats the bound (closed form 1.88
   * against 1.92), at sigma 6 it is worse (7.12 against 4.25). Two gradient steps of 0.5 are far better on the
   * training range (2.09 against 2.50 over U(0, 5), simulated) and worse at sigma 6 (4.91 against
   * 4.29): both fail, the worst ratio at the training range's top or beyond.
   */
  @Test
  void stepsTooLongOffRangeFail() {
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      OffRangeCheck check = OffRangeCheck.prepare(U5, 7, 2000, 1.0, 3, e);
      for (double[] model : List.of(steps(0, 1.5 * ETA), steps(0.5, 0.5))) {
        OffRangeCheck.Point[] points = check.points(DIAG2, model, e);
        assertTrue(points[0].passed(), points[0].toString());
        OffRangeCheck.Stats s = check.check(DIAG2, model, e);
        assertFalse(s.passed(), s.toString());
        assertTrue(s.worstSigma() >= 5.0, s.toString());
        assertTrue(s.worstRatio() > 1, s.toString());
      }
      // a polynomial blow-up (TailCheckTest) is not finite or far above the bound
      OffRangeCheck.Stats blowUp = check.check(DIAG2, new double[] {0, 1, 0, 1, 0, 1, -1, 1}, e);
      assertFalse(blowUp.passed(), blowUp.toString());
      assertTrue(blowUp.worstRatio() > 10, blowUp.toString());
    }
  }

  /**
   * At the default factor (10) the check guards against blow-ups only: two gradient steps, up to
   * about 1.2 times the bound off range, pass; the polynomial blow-up still fails.
   */
  @Test
  void theDefaultFactorLetsAGdLikeModelPass() {
    double factor = (Double) TrainingParam.OFFRANGE_FACTOR.defaultValue();
    assertEquals(10.0, factor);
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      OffRangeCheck check = OffRangeCheck.prepare(U5, 7, 2000, factor, 3, e);
      OffRangeCheck.Stats two = check.check(DIAG2, steps(0.5, 0.5), e);
      assertTrue(two.passed() && two.worstRatio() > 1 && two.worstRatio() < 2, two.toString());
      assertFalse(OffRangeCheck.prepare(U5, 7, 2000, 1.0, 3, e).check(DIAG2, steps(0.5, 0.5), e)
          .passed(), "strict, the same model fails");
      assertFalse(check.check(DIAG2, new double[] {0, 1, 0, 1, 0, 1, -1, 1}, e).passed());
    }
  }

  @Test
  void theStatsAreTheSameBitsForOneAndTwoThreads() {
    List<OffRangeCheck.Stats> out = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      try (ChunkedExecutor e = new ChunkedExecutor(threads)) {
        out.add(OffRangeCheck.prepare(U5, 5, 1000, 1.0, 9, e).check(DIAG2, steps(0.5, 0.5), e));
      }
    }
    assertEquals(out.get(0), out.get(1));
  }

  /**
   * The selection: two gradient steps rank first on validation but fail off range, so the
   * one-step optimum, which passes both checks, is chosen; alone, the failing one is chosen
   * (its tail check passes: a linear predictor), marked as failing off range.
   */
  @Test
  void theSelectionSetsAsideACandidateFailingOffRange() {
    TrainingConfig cfg = TrainingConfig.builder(Variant.DIAG, 2, U5).starts(0).warmSteps(0)
        .polishIterations(0).validationSamples(4096).tailSamples(20_000).offRangePoints(7)
        .offRangeFactor(1.0).build(); // strict, so that two gradient steps fail
    Training.WarmStart twoSteps = new Training.WarmStart("two-steps", steps(0.5, 0.5));
    Training.WarmStart oneStep = new Training.WarmStart("one-step", steps(0, ETA));
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      Training.Outcome both = Training.run(cfg, List.of(twoSteps, oneStep), e,
          TrainingListener.NONE);
      Training.Candidate first = both.candidates().get(0);
      assertTrue(first.validation().loss().mean()
          < both.candidates().get(1).validation().loss().mean(), "two steps rank first");
      assertTrue(first.failedOffRange(), first.toString());
      assertEquals(null, first.tail(), "set aside before its tail check");
      assertEquals("one-step", both.choice().name());
      assertTrue(both.stable() && both.offRangePassed());

      Training.Outcome alone = Training.run(cfg, List.of(twoSteps), e, TrainingListener.NONE);
      assertEquals("two-steps", alone.choice().name());
      assertTrue(alone.stable());
      assertFalse(alone.offRangePassed());

      // off: the check is not run and the better one on validation is chosen
      Training.Outcome off = Training.run(cfg.toBuilder().offRangePoints(0).build(),
          List.of(twoSteps, oneStep), e, TrainingListener.NONE);
      assertEquals("two-steps", off.choice().name());
      assertEquals(null, off.choice().offRange());
      assertTrue(off.offRangePassed());
    }
  }
}
