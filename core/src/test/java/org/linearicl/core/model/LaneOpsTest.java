package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.linearicl.core.task.Batch;

/**
 * The SIMD lane arithmetic gives the same bits as the scalar loops: operation by operation on
 * random operands (with signed zeros and values across many binades, where any change in the
 * order or fusion of operations would show), and for whole gradients and predictions of every
 * variant. Surefire runs with {@code --add-modules jdk.incubator.vector} (root pom), so the SIMD
 * implementation must be available here.
 */
class LaneOpsTest {
  private static final int L = LaneOps.LANES;
  private static LaneOps vector;
  private static final LaneOps SCALAR = ScalarLaneOps.INSTANCE;

  @BeforeAll
  static void simdAvailable() {
    vector = LaneOps.vectorIfAvailable();
    assertNotNull(vector, "tests run with --add-modules jdk.incubator.vector (surefire.argLine)");
  }

  /** Operands of mixed magnitudes (2^-30 .. 2^30) and signs, a few exact zeros of either sign. */
  private static double[] operand(int size, SplittableRandom r) {
    double[] a = new double[size];
    for (int i = 0; i < size; i++) {
      int kind = r.nextInt(20);
      a[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0
          : (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.scalb(1.0, r.nextInt(-30, 31));
    }
    return a;
  }

  /** Runs op on identical copies of (a, b, c) with both implementations; c must agree bitwise. */
  private static void same(String what, long seed, int size, TriConsumer op) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = operand(size, r);
    double[] b = operand(size, r);
    double[] c = operand(size, r);
    double[] cs = c.clone();
    double[] cv = c.clone();
    op.accept(SCALAR, a.clone(), b.clone(), cs);
    op.accept(vector, a.clone(), b.clone(), cv);
    for (int i = 0; i < size; i++) {
      if (Double.doubleToRawLongBits(cs[i]) != Double.doubleToRawLongBits(cv[i])) {
        throw new AssertionError(what + ": entry " + i + " scalar " + cs[i] + " simd " + cv[i]);
      }
    }
    assertEquals(false, Arrays.equals(cs, c), what + " wrote nothing");
  }

  @FunctionalInterface
  private interface TriConsumer {
    void accept(LaneOps ops, double[] a, double[] b, double[] c);
  }

  @Test
  void elementwiseOperationsAgreeBitwise() {
    int len = 5 * L;
    for (long seed = 0; seed < 20; seed++) {
      double w1 = operand(1, new SplittableRandom(seed + 100))[0] + 0.5;
      double w2 = -0.75 * w1 + 1e-3;
      same("scale", seed, len + 2 * L, (o, a, b, c) -> o.scale(c, L, w1, b, 2 * L, len - L));
      same("mulAdd", seed, len + 2 * L, (o, a, b, c) -> o.mulAdd(c, 0, a, L, b, 2 * L, len));
      same("addLinear", seed, len + 2 * L,
          (o, a, b, c) -> o.addLinear(c, L, w1, a, 0, w2, b, 2 * L, len));
      same("addScaledSum", seed, len + 2 * L,
          (o, a, b, c) -> o.addScaledSum(c, 2 * L, w1, a, L, b, 0, len));
    }
  }

  @Test
  void matrixOperationsAgreeBitwiseForEveryTransposeAndSize() {
    for (int m : new int[] {1, 2, 3, 4, 5, 8, 11, 12}) {
      int blk = m * m * L;
      int size = 3 * blk;
      for (long seed = 0; seed < 4; seed++) {
        for (int f = 0; f < 8; f++) {
          boolean ta = (f & 1) != 0;
          boolean tb = (f & 2) != 0;
          boolean add = (f & 4) != 0;
          String tag = " m=" + m + " ta=" + ta + " tb=" + tb + " add=" + add;
          same("product" + tag, seed, size,
              (o, a, b, c) -> o.product(m, a, blk, ta, b, 2 * blk, tb, c, blk, add));
          same("lanesTimesParam" + tag, seed, size,
              (o, a, b, c) -> o.lanesTimesParam(m, a, blk, b, 7, tb, c, 2 * blk, add));
          same("paramTimesLanes" + tag, seed, size,
              (o, a, b, c) -> o.paramTimesLanes(m, a, 5, ta, b, blk, c, 0));
        }
        same("symmetricTransAB m=" + m, seed, size,
            (o, a, b, c) -> o.symmetricTransAB(m, a, 2 * blk, b, blk, c, 0));
        same("symmetricABTrans m=" + m, seed, size,
            (o, a, b, c) -> o.symmetricABTrans(m, a, 0, b, 2 * blk, c, blk));
      }
    }
  }

  /** Whole gradients, losses and per-layer predictions over three lane blocks (the last partial). */
  @ParameterizedTest(name = "{0} layers={1} heads={2}")
  @MethodSource("org.linearicl.core.model.ModelFixtures#variantsLayersHeads")
  void gradientsAndPredictionsAgreeBitwise(Variant variant, int layers, int heads) {
    ModelShape shape = new ModelShape(variant, layers, heads, 10);
    Batch batch = ModelFixtures.batch(2 * L + 7, 10, 20, 31 + layers);
    double[] p = ModelFixtures.params(shape, variant == Variant.FULL ? 0.1 : 0.3, 5 * heads);
    GradientKernel scalar = new GradientKernel(shape, batch.n, SCALAR);
    GradientKernel simd = new GradientKernel(shape, batch.n, vector);
    double[] gs = new double[p.length];
    double[] gv = new double[p.length];
    double ls = scalar.accumulate(p, batch, 0, batch.size, gs);
    double lv = simd.accumulate(p, batch, 0, batch.size, gv);
    assertEquals(Double.doubleToRawLongBits(ls), Double.doubleToRawLongBits(lv), "loss");
    assertArrayEquals(gs, gv, 0.0, "gradient");
    double[][] perS = new double[layers][batch.size];
    double[][] perV = new double[layers][batch.size];
    double[] fs = new double[batch.size];
    double[] fv = new double[batch.size];
    scalar.predict(p, batch, 3, batch.size, perS, fs);
    simd.predict(p, batch, 3, batch.size, perV, fv);
    assertArrayEquals(fs, fv, 0.0, "final predictions");
    for (int l = 0; l < layers; l++) {
      assertArrayEquals(perS[l], perV[l], 0.0, "predictions after layer " + (l + 1));
    }
  }

  @Test
  void systemPropertyChoosesOrRejects() {
    assertEquals("scalar", LaneOps.choose("scalar").name());
    assertEquals(vector.name(), LaneOps.choose("vector").name());
    assertEquals(vector.name(), LaneOps.choose(null).name());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LaneOps.choose("avx"));
    assertEquals("system property linearicl.kernel must be 'scalar' or 'vector', got 'avx'",
        e.getMessage());
  }
}
