package org.linearicl.analysis.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

class TwoLevelConstructionTest {
  static Batch batch(int size, int n, long index) {
    return new TaskSampler(new TaskSpec(10, n, NoiseDistribution.parse("categorical:1,3")))
        .sample(size, 9, Streams.Purpose.PROFILE, index);
  }

  @Test
  void theClosedFormIsWhatTheTwoLayerModelComputes() {
    Batch b = batch(60, 20, 0);
    TwoLevelConstruction.Terms t = new TwoLevelConstruction.Terms(-0.6, -0.05);
    double[][] model = OmegaForward.predictAfterEachLayer(t.omegas(), b);
    TwoLevelConstruction.Sums sums = TwoLevelConstruction.Sums.of(b);
    for (int s = 0; s < b.size; s++) {
      assertEquals(model[0][s], sums.step(t.omegaYx(), s), 1e-12 * (1 + Math.abs(model[0][s])));
      double closed = TwoLevelConstruction.predict(t, sums, s);
      assertEquals(model[1][s], closed, 1e-12 * (1 + Math.abs(closed)), "sequence " + s);
    }
  }

  @Test
  void theRescalingIsTheLeastSquaresOptimumAndHelpsOnTwoNoiseLevels() {
    TwoLevelConstruction.Sums tuning = TwoLevelConstruction.Sums.of(batch(4000, 80, 1));
    TwoLevelConstruction.Terms fitted = TwoLevelConstruction.fit(tuning, true);
    double best = TwoLevelConstruction.loss(fitted, tuning);
    for (double delta : new double[] {-1e-3, 1e-3}) {
      assertTrue(best <= TwoLevelConstruction.loss(new TwoLevelConstruction.Terms(
          fitted.omegaYx(), fitted.omegaYy() + delta), tuning));
      assertTrue(best <= TwoLevelConstruction.loss(new TwoLevelConstruction.Terms(
          fitted.omegaYx() + delta, TwoLevelConstruction.bestRescaling(fitted.omegaYx() + delta,
          tuning)), tuning) + 1e-12);
    }
    TwoLevelConstruction.Sums eval = TwoLevelConstruction.Sums.of(batch(4000, 80, 2));
    double plain = TwoLevelConstruction.loss(TwoLevelConstruction.fit(tuning, false), eval);
    assertTrue(TwoLevelConstruction.loss(fitted, eval) < plain,
        "the residual-based rescaling must beat the plain step on held-out sequences");
  }
}
