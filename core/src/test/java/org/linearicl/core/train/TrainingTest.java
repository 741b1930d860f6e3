package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.theory.OneStepOptimum;
import org.linearicl.core.util.ChunkedExecutor;

class TrainingTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));

  private static TrainingConfig.Builder small(Variant v, int layers) {
    return TrainingConfig.builder(v, layers, U5).steps(60).batchSize(256).polishSamples(4096)
        .polishIterations(15).validationSamples(8192).tailSamples(20_000).warmSteps(0);
  }

  /**
   * One GD++ layer, polished from random starts in the spectral form with q_x held at 1: the
   * loss reaches the closed-form optimum of one gradient step (validation loss against
   * OneStepOptimum, within 4 standard errors of 8,192 sequences plus the sample's own error).
   */
  @Test
  void oneGdppLayerReachesTheOneStepOptimum() {
    TrainingConfig cfg = small(Variant.GDPP, 1).starts(2).steps(0).initStd(0.3)
        .polishSamples(16384).build();
    Training.Outcome o;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      o = Training.run(cfg, List.of(), e, TrainingListener.NONE);
    }
    double loss = o.choice().validation().loss().mean();
    double se = o.choice().validation().loss().standardError();
    double optimum = OneStepOptimum.loss(U5);
    assertEquals(optimum, loss, 4 * se + 0.01 * optimum, o.choice().toString());
    assertTrue(o.stable());
  }

  /** The warm start is a candidate, so training never ends worse on validation than it. */
  @Test
  void neverWorseOnValidationThanTheWarmStart() {
    TrainingConfig one = small(Variant.DIAG, 1).build();
    TrainingConfig two = small(Variant.DIAG, 2).starts(0).polishIterations(0).build();
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      Training.Outcome first = Training.run(one, List.of(), e, TrainingListener.NONE);
      double[] start = Embedding.embed(one.shape(), first.params(), two.shape(), 1.0);
      Training.Outcome second = Training.run(two,
          List.of(new Training.WarmStart("diag-1", start)), e, TrainingListener.NONE);
      // candidates: the warm start as it is (the 1-layer model's predictions exactly)
      assertEquals("diag-1", second.candidates().get(0).name());
      assertEquals(first.choice().validation().loss().mean(),
          second.candidates().get(0).validation().loss().mean(), 1e-12);
      for (Training.Candidate c : second.candidates()) {
        assertTrue(second.choice().validation().loss().mean() <= c.validation().loss().mean()
            || c.tail() != null && c.tail().unstable(), "chose the best stable: " + c);
      }
    }
  }

  /**
   * FULL in its rank-one family: every candidate (random starts and, with warm_polish, the warm
   * start) is polished in the family, so the chosen model is a member, and it is never worse than
   * its DIAG start. Without warm_polish the warm start is a candidate as it is, and only once.
   */
  @Test
  void fullOfRankOneStaysInItsFamilyAndAboveNothingItContains() {
    TrainingConfig diag = small(Variant.DIAG, 2).build();
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      Training.Outcome d = Training.run(diag, List.of(), e, TrainingListener.NONE);
      for (int warmPolish = 0; warmPolish <= 1; warmPolish++) {
        TrainingConfig full = small(Variant.FULL, 2).fullRank(1).starts(1).steps(0)
            .warmSteps(0).initStd(0.3).polishIterations(8).warmPolish(warmPolish).build();
        assertTrue(full.polishes(), "20 numbers are polished, not FULL's 242");
        Training.Outcome f = Training.run(full, List.of(new Training.WarmStart("diag-2",
            Embedding.embed(diag.shape(), d.params(), full.shape(), 1.0))), e,
            TrainingListener.NONE);
        List<String> made = warmPolish == 1 ? List.of("diag-2", "scratch-0", "diag-2+train")
            : List.of("diag-2", "scratch-0");
        assertEquals(made, f.candidates().stream().map(Training.Candidate::name)
            .limit(made.size()).toList());
        assertEquals(made.size(), f.candidates().stream()
            .filter(c -> !c.name().contains("+repair")).count(), "warm_polish " + warmPolish);
        LowRankFull family = LowRankFull.of(full.shape(), 1);
        assertArrayEquals(f.params(), family.toFull(family.fromFull(f.params())));
        assertTrue(f.choice().validation().loss().mean()
            <= f.candidates().get(0).validation().loss().mean());
      }
    }
  }

  /** With warm_steps and no warm_polish, a warm start takes its Adam steps and no polish. */
  @Test
  void warmStepsWithoutWarmPolishTrainTheWarmStartWithAdamOnly() {
    TrainingConfig diag = small(Variant.DIAG, 1).build();
    TrainingConfig deeper = small(Variant.DIAG, 1).starts(0).warmSteps(20).warmPolish(0)
        .build();
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      Training.Outcome d = Training.run(diag, List.of(), e, TrainingListener.NONE);
      Training.Outcome w = Training.run(deeper, List.of(new Training.WarmStart("diag-1",
          d.params())), e, TrainingListener.NONE);
      Training.Candidate trained = w.candidates().get(1);
      assertEquals("diag-1+train", trained.name());
      assertEquals(20, trained.adamSteps() + trained.rejectedSteps());
      assertEquals(0, trained.polishIterations());
    }
  }

  @Test
  void theOutcomeIsTheSameBitsForOneAndThreeThreads() {
    TrainingConfig cfg = small(Variant.DIAG, 2).build();
    Training.Outcome a;
    Training.Outcome b;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      a = Training.run(cfg, List.of(), e, TrainingListener.NONE);
    }
    try (ChunkedExecutor e = new ChunkedExecutor(3)) {
      b = Training.run(cfg, List.of(), e, TrainingListener.NONE);
    }
    assertArrayEquals(a.params(), b.params());
    assertEquals(a.candidates(), b.candidates());
    assertEquals(a.trainSequences(), b.trainSequences());
  }
}
