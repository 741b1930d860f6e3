package org.linearicl.analysis.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.mechanism.OmegaForward.Term;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

class AblationTest {
  static double[] randomParams(ModelShape shape, long seed, double scale) {
    Gaussian g = new Gaussian(Streams.of(seed, Streams.Purpose.INIT));
    double[] p = new double[shape.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = scale * g.next();
    }
    return p;
  }

  /**
   * One GD++ layer in d = 10 with only omega_yx set: w = -omega_yx X^T y / n, one gradient step
   * from 0.
   */
  static LinearTransformer oneGradientStep(double omegaYx) {
    return new LinearTransformer(new ModelShape(Variant.GDPP, 1, 1, 10),
        new double[] {0, omegaYx, 1});
  }

  static Batch batch(int size, String noise) {
    return new TaskSampler(TaskSpec.paper(NoiseDistribution.parse(noise))).sample(size, 5,
        Streams.Purpose.PROFILE, 0);
  }

  static List<Ablation.Effect> run(double[][] omegas, Batch b) {
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      return Ablation.run(omegas, b, e);
    }
  }

  @Test
  void theOmegaFormComputesWhatTheModelComputes() {
    Batch b = batch(50, "uniform:5");
    for (Variant v : List.of(Variant.DIAG, Variant.GDPP)) {
      ModelShape shape = new ModelShape(v, 3, 2, b.d);
      double[] p = randomParams(shape, 11, 0.5);
      double[][] model = new LinearTransformer(shape, p).predictAfterEachLayer(b);
      double[][] omega = OmegaForward.predictAfterEachLayer(OmegaForward.omegas(shape, p), b);
      for (int l = 0; l < shape.layers(); l++) {
        for (int s = 0; s < b.size; s++) {
          assertEquals(model[l][s], omega[l][s], 1e-10 * (1 + Math.abs(model[l][s])),
              v + " layer " + l + " sequence " + s);
        }
      }
    }
  }

  @Test
  void zeroingATermThatIsZeroChangesNothing() {
    Batch b = batch(40, "uniform:5");
    double[][] omegas = {{0.3, 0.0, -1.0, 0.2}, {0.1, 0.4, -0.9, 0.0}};
    for (Ablation.Effect e : run(omegas, b)) {
      boolean zeroTerm = (e.zeroedLayer() == 1 && e.term() == Term.XY)
          || (e.zeroedLayer() == 2 && e.term() == Term.YY);
      if (zeroTerm) {
        assertEquals(0.0, e.change(), 0.0, e.toString());
      }
    }
  }

  @Test
  void anXUpdateReachesThePredictionOnlyOneLayerLater() {
    Batch b = batch(200, "uniform:5");
    double[][] omegas = {{-0.2, 0.5, -1.0, -0.3}, {-0.1, 0.3, -0.8, -0.2}, {0, 0.1, -0.7, -0.1}};
    List<Ablation.Effect> effects = run(omegas, b);
    // 3 layers zeroed x 4 terms x (3 + 2 + 1 read-outs / 3 per term on average)
    assertEquals(4 * (3 + 2 + 1), effects.size());
    for (Ablation.Effect e : effects) {
      boolean xUpdate = e.term() == Term.XX || e.term() == Term.XY;
      // the query's y-slot is 0 before layer 1, so omega_yy (which scales it) acts there later
      boolean firstRescaling = e.term() == Term.YY && e.zeroedLayer() == 1;
      if (e.readLayer() == e.zeroedLayer() && (xUpdate || firstRescaling)) {
        assertEquals(0.0, e.change(), 0.0, "same-layer read-out: " + e);
      } else {
        assertTrue(Math.abs(e.change()) > 0, "every other read-out moves: " + e);
      }
    }
  }
}
