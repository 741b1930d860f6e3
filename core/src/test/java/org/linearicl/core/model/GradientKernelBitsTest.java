package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

/**
 * Pins the exact bits of the kernel's outputs (losses, gradients, Jacobians, per-layer
 * predictions, layer maps) on fixed seeded inputs, with both lane arithmetics. The trained
 * checkpoints, and so every cached training stage, depend on these bits: a refactoring of the
 * kernel must leave the digests unchanged; a deliberate change of the arithmetic updates them
 * (and retrains every model). The inputs are built here, independent of other test fixtures.
 */
class GradientKernelBitsTest {
  /** Shapes that reach every path: one layer (last layer only), two and three layers, a second
   * head, D = 6 and D = 11 (the products' k-loop in groups of four and its remainder). */
  private static final int[][] SHAPES = {{1, 1, 5}, {3, 2, 5}, {2, 1, 10}};

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "FULL, 1a1a19a75e2ba4b6",
      "DIAG, 8f18ebf6ba7af4a8",
      "GDPP, 7d00a7ae893ce587",
  })
  void outputsKeepTheirBits(Variant variant, String expected) {
    LaneOps vector = LaneOps.vectorIfAvailable();
    assertNotNull(vector, "tests run with --add-modules jdk.incubator.vector (surefire.argLine)");
    assertEquals(expected, digest(variant, ScalarLaneOps.INSTANCE), "scalar");
    assertEquals(expected, digest(variant, vector), "simd");
  }

  /** The first 8 bytes of the SHA-256 of every output's raw bits, in a fixed order. */
  private static String digest(Variant variant, LaneOps ops) {
    MessageDigest sha = sha256();
    for (int[] s : SHAPES) {
      ModelShape shape = new ModelShape(variant, s[0], s[1], s[2]);
      int n = 7;
      Batch batch = new TaskSampler(new TaskSpec(s[2], n, new NoiseDistribution.Uniform(1.0)))
          .sample(2 * LaneOps.LANES + 7, 11 + s[0], Streams.Purpose.TRAIN_BATCHES, 0);
      double[] p = params(shape, variant == Variant.FULL ? 0.1 : 0.3, 5 + s[1]);
      GradientKernel kernel = new GradientKernel(shape, n, ops);
      double[] grad = new double[p.length];
      put(sha, kernel.accumulate(p, batch, 0, batch.size, grad));
      put(sha, kernel.accumulate(p, batch, 3, 50, grad)); // adds, from a mid-block start
      put(sha, grad);
      double[] resid = new double[35];
      double[] jac = new double[35 * p.length];
      kernel.jacobian(p, batch, 5, 40, resid, jac);
      put(sha, resid);
      put(sha, jac);
      double[][] perLayer = new double[shape.layers()][batch.size];
      double[] fin = new double[batch.size];
      kernel.predict(p, batch, 2, batch.size, perLayer, fin);
      for (double[] row : perLayer) {
        put(sha, row);
      }
      put(sha, fin);
      double[] maps = new double[shape.layers() * shape.tokenDim() * shape.tokenDim()];
      kernel.layerMaps(p, batch, 4, maps);
      put(sha, maps);
    }
    byte[] h = sha.digest();
    return HexFormat.of().formatHex(h, 0, 8);
  }

  private static double[] params(ModelShape shape, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] p = new double[shape.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = scale * (2 * r.nextDouble() - 1);
    }
    return p;
  }

  private static void put(MessageDigest sha, double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length);
    for (double v : values) {
      b.putLong(Double.doubleToRawLongBits(v));
    }
    sha.update(b.array());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
