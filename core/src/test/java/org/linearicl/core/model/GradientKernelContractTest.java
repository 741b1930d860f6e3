package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linearicl.core.model.ModelFixtures.assertRejected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.linearicl.core.task.Batch;

/** Determinism, accumulation semantics and input validation of the kernel and the model. */
class GradientKernelContractTest {
  private static final int D = 4;
  private static final int N = 9;

  /** A model of {@code v} with 2 heads, parameters, a batch and a kernel for it. */
  private record Setup(ModelShape shape, double[] p, Batch b, GradientKernel kernel) {}

  private static Setup setup(Variant v, int layers, long paramSeed, int size, long batchSeed) {
    ModelShape shape = new ModelShape(v, layers, 2, D);
    return new Setup(shape, ModelFixtures.params(shape, 0.2, paramSeed),
        ModelFixtures.batch(size, D, N, batchSeed), new GradientKernel(shape, N));
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void repeatedCallsGiveIdenticalBits(Variant v) {
    Setup c = setup(v, 3, 5, 40, 6);
    double[] g1 = new double[c.p.length];
    double[] g2 = new double[c.p.length];
    double l1 = c.kernel.accumulate(c.p, c.b, 0, c.b.size, g1);
    // same workspace again (state from the previous call must not leak) and a fresh one
    double l2 = c.kernel.accumulate(c.p, c.b, 0, c.b.size, g2);
    double[] g3 = new double[c.p.length];
    double l3 = new GradientKernel(c.shape, N).accumulate(c.p, c.b, 0, c.b.size, g3);
    assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2));
    assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l3));
    assertArrayEquals(g1, g2, 0.0);
    assertArrayEquals(g1, g3, 0.0);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void accumulateAddsAndSplitsIntoRanges(Variant v) {
    // 75 sequences span three lane blocks; the split at 29 cuts through the first one
    Setup c = setup(v, 2, 8, 75, 9);
    double[] whole = new double[c.p.length];
    double lw = c.kernel.accumulate(c.p, c.b, 0, 75, whole);
    double[] halves = new double[c.p.length];
    double lh = c.kernel.accumulate(c.p, c.b, 0, 29, halves)
        + c.kernel.accumulate(c.p, c.b, 29, 75, halves);
    assertEquals(lw, lh, 1e-12 * lw);
    for (int i = 0; i < c.p.length; i++) {
      assertEquals(whole[i], halves[i], 1e-12 * ModelFixtures.maxAbs(whole));
    }
    ModelFixtures.assertAccumulateAdds(
        (from, to, grad) -> c.kernel.accumulate(c.p, c.b, from, to, grad),
        75, whole, 1e-12);
    // loss is the sum of 0.5 (yhat - y)^2 of the predictions
    double[] pred = new LinearTransformer(c.shape, c.p).predict(c.b);
    double sum = 0;
    for (int s = 0; s < c.b.size; s++) {
      sum += 0.5 * (pred[s] - c.b.yq[s]) * (pred[s] - c.b.yq[s]);
    }
    assertEquals(sum, lw, 1e-12 * sum);
    assertNotEquals(0.0, ModelFixtures.maxAbs(whole));
  }

  @Test
  void modelCopiesParameters() {
    ModelShape shape = new ModelShape(Variant.DIAG, 1, 1, D);
    double[] p = {0.1, 0.2, 0.3, 0.4};
    LinearTransformer m = new LinearTransformer(shape, p);
    p[0] = 9;
    assertEquals(0.1, m.params()[0]);
    m.params()[0] = 9;
    assertEquals(0.1, m.params()[0]);
    assertEquals(shape, m.shape());
  }

  @Test
  void badInputIsRejectedWithAMessageNamingTheExpectation() {
    ModelShape shape = new ModelShape(Variant.FULL, 2, 1, D);
    int size = shape.size(); // 2 layers * 2 * 5 * 5 = 100
    double[] p = ModelFixtures.params(shape, 0.1, 1);
    Batch b = ModelFixtures.batch(6, D, N, 1);
    GradientKernel k = new GradientKernel(shape, N);
    double[] g = new double[size];

    assertRejected(() -> new LinearTransformer(shape, new double[size - 1]), "= " + size);
    double[] nan = p.clone();
    nan[17] = Double.NaN;
    assertRejected(() -> new LinearTransformer(shape, nan), "params[17]");
    double[] inf = p.clone();
    inf[3] = Double.NEGATIVE_INFINITY;
    assertRejected(() -> new LinearTransformer(shape, inf), "finite");

    assertRejected(() -> k.accumulate(new double[size + 1], b, 0, 6, g), "= " + size);
    assertRejected(() -> k.accumulate(nan, b, 0, 6, g), "finite");
    assertRejected(() -> k.accumulate(p, b, 0, 6, new double[3]), "= " + size);
    Batch otherD = ModelFixtures.batch(6, D + 1, N, 1);
    assertRejected(() -> k.accumulate(p, otherD, 0, 6, g), "d = " + D);
    assertRejected(() -> new LinearTransformer(shape, p).predict(otherD), "d = " + D);
    Batch otherN = ModelFixtures.batch(6, D, N + 1, 1);
    assertRejected(() -> k.accumulate(p, otherN, 0, 6, g), "n = " + N);
    assertRejected(() -> k.accumulate(p, b, -1, 6, g), "0 <= from <= to <= 6");
    assertRejected(() -> k.accumulate(p, b, 0, 7, g), "0 <= from <= to <= 6");
    assertRejected(() -> k.accumulate(p, b, 4, 3, g), "0 <= from <= to <= 6");
    assertRejected(() -> k.predict(p, b, 0, 7, null, new double[7]), "0 <= from <= to <= 6");
    assertRejected(() -> k.predict(p, b, 0, 6, null, new double[5]), "at least 6");
    assertRejected(() -> k.predict(p, b, 0, 6, new double[1][6], new double[6]), "2 rows");
    assertRejected(() -> new GradientKernel(shape, 0), "n (context examples) must be >= 1");
    assertRejected(() -> new LinearTransformer(shape, p).readOut(b, 6), "[0, 6)");
    // nothing was added to grad by the rejected calls
    assertArrayEquals(new double[size], g, 0.0);
  }
}
