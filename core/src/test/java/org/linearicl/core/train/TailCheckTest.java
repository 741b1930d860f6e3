package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

class TailCheckTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));
  private static final ModelShape DIAG2 = new ModelShape(Variant.DIAG, 2, 1, 10);

  /** One GD step of size 1 (w_yx = -1): a bounded, linear predictor, so nothing explodes. */
  @Test
  void aGradientStepIsStable() {
    double[] gd = {0, 0, 0, 0, 0, -1, 1, 0};
    TailCheck.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = TailCheck.run(DIAG2, gd, U5, 7, 0, 20_000, e);
    }
    TailCheck.Stats s = r.stats();
    assertFalse(s.unstable(), s.toString());
    assertEquals(0, s.explodedCount());
    assertEquals(20_000, s.samples());
    assertTrue(s.tailCount() > 0 && s.tailCount() == r.worst().size,
        "the sequences above 10x the mean are kept for a repair: " + s);
    assertTrue(s.adjusted().mean() > 0, "worse than the oracle");
  }

  /**
   * w_yy = 1 in both layers rescales y by (1 + lambda/n) twice, and lambda/n grows with
   * |w|^2 + sigma^2: the prediction is of degree 5 in the data and explodes on the long-w,
   * high-noise sequences, whose losses then carry nearly all of the mean.
   */
  @Test
  void aPolynomialBlowUpIsUnstable() {
    double[] blowUp = {0, 1, 0, 1, 0, 1, -1, 1};
    TailCheck.Stats s;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      s = TailCheck.run(DIAG2, blowUp, U5, 7, 0, 20_000, e).stats();
    }
    assertTrue(s.unstable(), s.toString());
    assertTrue(s.explodedCount() > 0 && s.explodedShare() > TailCheck.DOMINANT_SHARE);
    assertTrue(s.maxLoss() > 1e4, s.toString());
  }

  @Test
  void theCheckIsTheSameForEveryThreadCountAndRound() {
    double[] p = {0.1, -0.5, 1, 0.2, 0.3, -1, 0.8, 0.1};
    new LinearTransformer(DIAG2, p);
    TailCheck.Stats one;
    TailCheck.Stats two;
    TailCheck.Stats other;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      one = TailCheck.run(DIAG2, p, U5, 3, 0, 70_000, e).stats();
    }
    try (ChunkedExecutor e = new ChunkedExecutor(3)) {
      two = TailCheck.run(DIAG2, p, U5, 3, 0, 70_000, e).stats();
      other = TailCheck.run(DIAG2, p, U5, 3, 1, 70_000, e).stats();
    }
    assertEquals(one, two);
    assertTrue(one.loss().mean() != other.loss().mean(), "another round draws other sequences");
  }
}
