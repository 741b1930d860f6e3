package org.linearicl.analysis.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.Batch;

class NoiseAdaptationTest {
  @Test
  void oneGradientStepAndNoiselessRidgeHaveTheirClosedForms() {
    // one layer, omega_yx = -1 only: w = alpha / n = X^T y / n, one GD step of size 1 from 0
    LinearTransformer model = AblationTest.oneGradientStep(-1);
    Batch b = AblationTest.batch(30, "fixed:0");
    List<NoiseAdaptation.Group> groups = NoiseAdaptation.run(model, b, 1, 1.0);
    assertEquals(1, groups.size());
    NoiseAdaptation.Group g = groups.get(0);
    assertEquals(30, g.sequences());
    // noiseless: the oracle's lambda is 0, ridge is OLS, kappa = 1 on every sequence
    assertEquals(1.0, g.oracle(), 1e-9);
    assertEquals(0.0, g.oracleSe(), 1e-9);
    // direct: kappa = <X^T y / n, w*> / |w*|^2 with y = X w* exactly (no noise)
    double sum = 0;
    int d = b.d;
    int n = b.n;
    for (int s = 0; s < b.size; s++) {
      double dot = 0;
      double norm = 0;
      for (int k = 0; k < d; k++) {
        double g0 = 0;
        for (int i = 0; i < n; i++) {
          g0 += b.x[(s * n + i) * d + k] * b.y[s * n + i];
        }
        dot += g0 / n * b.w[s * d + k];
        norm += b.w[s * d + k] * b.w[s * d + k];
      }
      sum += dot / norm;
    }
    assertEquals(sum / b.size, g.model()[0], 1e-9);
  }

  @Test
  void sequencesAreGroupedByTheirTrueSigma() {
    ModelShape shape = new ModelShape(Variant.GDPP, 2, 1, 10);
    LinearTransformer model = new LinearTransformer(shape, AblationTest.randomParams(shape, 2,
        0.3));
    Batch b = AblationTest.batch(400, "uniform:5");
    List<NoiseAdaptation.Group> groups = NoiseAdaptation.run(model, b, 5, 5.0);
    int total = 0;
    for (NoiseAdaptation.Group g : groups) {
      total += g.sequences();
      assertEquals(2, g.model().length);
    }
    assertEquals(400, total);
    // more noise, more shrinkage: the oracle's factor falls from the first group to the last
    assertEquals(true, groups.get(0).oracle() > groups.get(groups.size() - 1).oracle());
  }
}
