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
      same("elementMultAdd", seed, len + 2 * L,
          (o, a, b, c) -> o.elementMultAdd(c, 0, a, L, b, 2 * L, len));
      same("addLinear", seed, len + 2 * L,
          (o, a, b, c) -> o.addLinear(c, L, w1, a, 0, w2, b, 2 * L, len));
      same("addScaledSum", seed, len + 2 * L,
          (o, a, b, c) -> o.addScaledSum(c, 2 * L, w1, a, L, b, 0, len));
    }
  }

  /**
   * The strided kernels for every transpose of each operand (and both modes of c), and the named
   * operations the kernel calls; sizes around the k-loop's groups of four.
   */
  @Test
  void matrixOperationsAgreeBitwiseForEveryTransposeAndSize() {
    for (int m : new int[] {1, 2, 3, 4, 5, 8, 11, 12}) {
      int blk = m * m * L;
      int size = 3 * blk;
      int row = m * L;
      for (long seed = 0; seed < 4; seed++) {
        for (int f = 0; f < 8; f++) {
          boolean ta = (f & 1) != 0;
          boolean tb = (f & 2) != 0;
          boolean add = (f & 4) != 0;
          String tag = " m=" + m + " ta=" + ta + " tb=" + tb + " add=" + add;
          // X(i, k) at k * strideK + i * strideI: row-major unless transposed
          int aK = ta ? row : L;
          int aI = ta ? L : row;
          int bK = tb ? L : row;
          int bJ = tb ? row : L;
          same("product" + tag, seed, size,
              (o, a, b, c) -> o.product(m, a, blk, aK, aI, b, 2 * blk, bK, bJ, c, blk, add));
          int pK = ta ? m : 1;
          int pI = ta ? 1 : m;
          same("paramProduct" + tag, seed, size,
              (o, a, b, c) -> o.paramProduct(m, a, 5, pK, pI, b, blk, c, 0));
          int qK = tb ? 1 : m;
          int qJ = tb ? m : 1;
          same("productParam" + tag, seed, size,
              (o, a, b, c) -> o.productParam(m, a, blk, b, 7, qK, qJ, c, 2 * blk));
        }
        String tag = " m=" + m;
        same("mult" + tag, seed, size, (o, a, b, c) -> o.mult(m, a, blk, b, 2 * blk, c, 0));
        same("multAdd" + tag, seed, size, (o, a, b, c) -> o.multAdd(m, a, 0, b, blk, c, 2 * blk));
        same("multAddTransB" + tag, seed, size,
            (o, a, b, c) -> o.multAddTransB(m, a, 2 * blk, b, 0, c, blk));
        same("multAddParamA" + tag, seed, size,
            (o, a, b, c) -> o.multAddParamA(m, a, 3, b, blk, c, 2 * blk));
        same("multAddTransParamA" + tag, seed, size,
            (o, a, b, c) -> o.multAddTransParamA(m, a, 9, b, 2 * blk, c, 0));
        same("multParamB" + tag, seed, size,
            (o, a, b, c) -> o.multParamB(m, a, 0, b, 1, c, blk));
        same("multTransParamB" + tag, seed, size,
            (o, a, b, c) -> o.multTransParamB(m, a, blk, b, 4, c, 2 * blk));
        same("symmetricTransAB" + tag, seed, size,
            (o, a, b, c) -> o.symmetricTransAB(m, a, 2 * blk, b, blk, c, 0));
        same("symmetricABTrans" + tag, seed, size,
            (o, a, b, c) -> o.symmetricABTrans(m, a, 0, b, 2 * blk, c, blk));
      }
    }
  }

  /** The named products compute what their names say (against a plain triple loop, lane 3). */
  @Test
  void namedProductsMeanWhatTheySay() {
    int m = 5;
    int blk = m * m * L;
    SplittableRandom r = new SplittableRandom(3);
    double[] a = new double[blk];
    double[] b = new double[blk];
    double[] p = new double[m * m];
    for (int i = 0; i < blk; i++) {
      a[i] = r.nextInt(-4, 5);
      b[i] = r.nextInt(-4, 5);
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextInt(-4, 5);
    }
    int lane = 3;
    double[][] al = lane(a, m, lane);
    double[][] bl = lane(b, m, lane);
    double[][] pm = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        pm[i][j] = p[i * m + j];
      }
    }
    // each operation on c = 1 must give c0 + op(x) op(y), op transposing when its flag is set
    record Case(String name, TriConsumer op, double[][] x, boolean tx, double[][] y, boolean ty,
        double c0) {}
    Case[] cases = {
        new Case("mult", (o, x, y, c) -> o.mult(m, a, 0, b, 0, c, 0), al, false, bl, false, 0),
        new Case("multAdd", (o, x, y, c) -> o.multAdd(m, a, 0, b, 0, c, 0),
            al, false, bl, false, 1),
        new Case("multAddTransB", (o, x, y, c) -> o.multAddTransB(m, a, 0, b, 0, c, 0),
            al, false, bl, true, 1),
        new Case("multAddParamA", (o, x, y, c) -> o.multAddParamA(m, p, 0, b, 0, c, 0),
            pm, false, bl, false, 1),
        new Case("multAddTransParamA", (o, x, y, c) -> o.multAddTransParamA(m, p, 0, b, 0, c, 0),
            pm, true, bl, false, 1),
        new Case("multParamB", (o, x, y, c) -> o.multParamB(m, a, 0, p, 0, c, 0),
            al, false, pm, false, 0),
        new Case("multTransParamB", (o, x, y, c) -> o.multTransParamB(m, a, 0, p, 0, c, 0),
            al, false, pm, true, 0),
    };
    for (LaneOps o : new LaneOps[] {SCALAR, vector}) {
      for (Case t : cases) {
        double[] c = new double[blk];
        Arrays.fill(c, 1.0);
        t.op().accept(o, null, null, c);
        assertArrayEquals(plain(t.x(), t.tx(), t.y(), t.ty(), t.c0()), lane(c, m, lane),
            t.name() + " " + o.name());
      }
    }
  }

  /** Lane {@code lane} of a lane-interleaved m x m block, as rows. */
  private static double[][] lane(double[] x, int m, int lane) {
    double[][] out = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        out[i][j] = x[(i * m + j) * L + lane];
      }
    }
    return out;
  }

  /** {@code c0 + op(a) op(b)} by the textbook triple loop (small integers: exact). */
  private static double[][] plain(double[][] a, boolean ta, double[][] b, boolean tb, double c0) {
    int m = a.length;
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double sum = c0;
        for (int k = 0; k < m; k++) {
          sum += (ta ? a[k][i] : a[i][k]) * (tb ? b[j][k] : b[k][j]);
        }
        c[i][j] = sum;
      }
    }
    return c;
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
