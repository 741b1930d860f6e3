package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.linearicl.core.task.Batch;

/** The covariance-form forward pass against the per-token reference, {@link ReferenceForward}. */
class ForwardAgreementTest {

  /**
   * Relative agreement 1e-10, the scale being the largest |prediction| of that layer over the
   * batch (single predictions can be near 0 by cancellation, where a pure relative error would
   * measure nothing but rounding of the larger terms that cancelled).
   */
  private static void assertAgree(double[][] ref, double[][] got, double tol, String what) {
    assertEquals(ref.length, got.length);
    for (int l = 0; l < ref.length; l++) {
      double scale = Math.max(ModelFixtures.maxAbs(ref[l]), Double.MIN_NORMAL);
      for (int s = 0; s < ref[l].length; s++) {
        double err = Math.abs(ref[l][s] - got[l][s]) / scale;
        assertTrue(err <= tol, String.format(Locale.ROOT,
            "%s: layer %d sequence %d: reference %.17g, got %.17g (rel. err %.3g)", what, l + 1,
            s, ref[l][s], got[l][s], err));
      }
    }
  }

  @ParameterizedTest(name = "{0} layers={1} heads={2}")
  @MethodSource("org.linearicl.core.model.ModelFixtures#variantsLayersHeads")
  void everyLayerAgreesWithDirectPerTokenForward(Variant variant, int layers, int heads) {
    ModelShape shape = new ModelShape(variant, layers, heads, 3);
    // 70 sequences: more than two blocks of GradientKernel.LANES, the last one partly filled
    Batch b = ModelFixtures.batch(70, 3, 7, 11 + layers * 10 + heads);
    double[] p = ModelFixtures.params(shape, 0.3, 100 * layers + heads);
    double[][] ref = ReferenceForward.predictions(shape, p, b);
    // the layers must actually do something, or the comparison is vacuous
    assertTrue(ModelFixtures.maxAbs(ref[layers - 1]) > 1e-3, "model output is trivially small");

    LinearTransformer model = new LinearTransformer(shape, p);
    double[][] perLayer = model.predictAfterEachLayer(b);
    assertAgree(ref, perLayer, 1e-10, "predictAfterEachLayer");
    assertArrayEquals(perLayer[layers - 1], model.predict(b), 0.0,
        "last row of predictAfterEachLayer must equal predict bit for bit");

    // The kernel on a sub-range writes only that range.
    GradientKernel kernel = new GradientKernel(shape, 7);
    double[][] part = new double[layers][b.size];
    double[] fin = new double[b.size];
    kernel.predict(p, b, 5, 52, part, fin);
    for (int s = 0; s < b.size; s++) {
      boolean inside = s >= 5 && s < 52;
      for (int l = 0; l < layers; l++) {
        assertEquals(inside ? perLayer[l][s] : 0.0, part[l][s], 0.0);
      }
      assertEquals(inside ? perLayer[layers - 1][s] : 0.0, fin[s], 0.0);
    }

    // Reading out after layer l equals the model truncated to its first l layers.
    for (int l = 1; l < layers; l++) {
      double[] truncated = java.util.Arrays.copyOf(p, shape.withLayers(l).size());
      double[] pred = new LinearTransformer(shape.withLayers(l), truncated).predict(b);
      assertAgree(new double[][] {perLayer[l - 1]}, new double[][] {pred}, 1e-13,
          "truncated model");
    }
  }

  @Test
  void paperSizeAgreesWithDirectPerTokenForward() {
    for (Variant v : Variant.values()) {
      ModelShape shape = new ModelShape(v, 3, 2, 10);
      Batch b = ModelFixtures.batch(8, 10, 20, 5);
      double std = v == Variant.FULL ? 0.1 : 0.3;
      double[] p = ModelFixtures.params(shape, std, 17);
      double[][] ref = ReferenceForward.predictions(shape, p, b);
      assertTrue(ModelFixtures.maxAbs(ref[2]) > 1e-2, "model output is trivially small");
      assertAgree(ref, new LinearTransformer(shape, p).predictAfterEachLayer(b), 1e-10,
          v + " d=10 n=20");
    }
  }
}
