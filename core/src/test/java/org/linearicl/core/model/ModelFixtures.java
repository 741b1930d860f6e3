package org.linearicl.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

/**
 * Test support: random data and parameters (the per-token reference forward pass the fast paths
 * are tested against is {@link ReferenceForward}).
 */
final class ModelFixtures {
  private ModelFixtures() {}

  /** variant x layers 1..4 x heads 1..3. */
  static Stream<Arguments> variantsLayersHeads() {
    List<Arguments> out = new ArrayList<>();
    for (Variant v : Variant.values()) {
      for (int layers = 1; layers <= 4; layers++) {
        for (int heads = 1; heads <= 3; heads++) {
          out.add(Arguments.of(v, layers, heads));
        }
      }
    }
    return out.stream();
  }

  /** Sequences from the task sampler, with noise sigma ~ U(0, 1). */
  static Batch batch(int size, int d, int n, long seed) {
    TaskSampler sampler = new TaskSampler(new TaskSpec(d, n, new NoiseDistribution.Uniform(1.0)));
    return sampler.sample(size, seed, Streams.Purpose.TRAIN_BATCHES, 0);
  }

  /** Parameters ~ N(0, std^2), seeded. */
  static double[] params(ModelShape shape, double std, long seed) {
    Gaussian g = new Gaussian(new SplittableRandom(seed));
    double[] p = new double[shape.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = std * g.next();
    }
    return p;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
