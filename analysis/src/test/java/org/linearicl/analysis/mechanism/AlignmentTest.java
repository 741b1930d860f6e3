package org.linearicl.analysis.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.task.Batch;

class AlignmentTest {
  @Test
  void oneGradientStepIsAlignedWithOneGradientStep() {
    // omega_yx = -0.4 only: w = 0.4 X^T y / n, exactly one GD step from 0 (any step size has
    // this direction), and the limit lambda -> infinity of ridge
    LinearTransformer model = AblationTest.oneGradientStep(-0.4);
    Batch tune = AblationTest.batch(300, "uniform:1");
    Batch eval = AblationTest.batch(300, "uniform:2");
    Alignment.Layer l = Alignment.run(model, tune, eval, tune.n)[0];
    assertEquals(1.0, l.gdMean(), 1e-12);
    assertEquals(1.0, l.gdP10(), 1e-12);
    // linear in the labels, d yhat / d y = 0.4 X x_t / n: the differences are exact up to
    // round-off, and one GD step has the same label sensitivity up to its scale
    assertEquals(1.0, l.gdLabels(), 1e-8);
    assertTrue(l.lambda() > 1e3, "the implied lambda is large: " + l);
    assertTrue(l.ridgeMean() > 0.999, l.toString());
    assertTrue(l.adaMean() < l.ridgeMean(), "AdaRR's small lambda points elsewhere: " + l);
  }

  @Test
  void theGoldenSectionFindsAParabolasMinimum() {
    assertEquals(0.3, GoldenSection.minimise(-2, 2, x -> (x - 0.3) * (x - 0.3)), 1e-9);
  }
}
