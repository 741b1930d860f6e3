package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
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

  /** The call throws IllegalArgumentException with {@code expectedInMessage} in its message. */
  static void assertRejected(Executable call, String expectedInMessage) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage),
        "message '" + e.getMessage() + "' should name '" + expectedInMessage + "'");
  }

  /** A kernel's accumulate over sequences [from, to), adding to grad and returning the loss. */
  interface Accumulate {
    double over(int from, int to, double[] grad);
  }

  /**
   * The accumulate contract on sequences [0, size): it adds to grad (a second call doubles
   * {@code once}, the gradient of one call, to {@code relTol} of its largest entry), and an
   * empty range adds nothing and returns 0.
   */
  static void assertAccumulateAdds(Accumulate acc, int size, double[] once, double relTol) {
    double[] twice = once.clone();
    acc.over(0, size, twice);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], relTol * maxAbs(once));
    }
    double[] before = twice.clone();
    assertEquals(0.0, acc.over(7, 7, twice));
    assertArrayEquals(before, twice, 0.0);
  }
}
