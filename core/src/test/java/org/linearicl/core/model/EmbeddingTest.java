package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linearicl.core.task.Batch;

/** {@link Embedding}: the embedded model predicts what the source predicts, after every layer. */
class EmbeddingTest {
  @ParameterizedTest
  @CsvSource({"GDPP,GDPP", "GDPP,DIAG", "GDPP,FULL", "DIAG,DIAG", "DIAG,FULL", "FULL,FULL"})
  void theEmbeddedModelComputesTheSameFunction(Variant from, Variant to) {
    for (int heads = 1; heads <= 2; heads++) {
      ModelShape small = new ModelShape(from, 2, heads, 3);
      ModelShape big = new ModelShape(to, 4, heads, 3);
      double[] params = ModelFixtures.params(small, 0.4, 17 + heads);
      double[] embedded = Embedding.embed(small, params, big, 0.7);
      Batch batch = ModelFixtures.batch(40, 3, 6, 5);
      double[][] a = new LinearTransformer(small, params).predictAfterEachLayer(batch);
      double[][] b = new LinearTransformer(big, embedded).predictAfterEachLayer(batch);
      for (int l = 0; l < 4; l++) {
        // two identity layers first: after layer l the big model has applied l - 1 of small's
        double[] want = l < 2 ? null : a[l - 2];
        for (int s = 0; want != null && s < batch.size; s++) {
          // the same products in another association order (p q S against p S q): rounding
          assertEquals(want[s], b[l][s], 1e-12 * (1 + Math.abs(want[s])),
              from + " -> " + to + ", layer " + l + ", sequence " + s);
        }
      }
    }
  }

  @Test
  void theIdentityLayerHasAGradient() {
    ModelShape small = new ModelShape(Variant.DIAG, 1, 1, 3);
    ModelShape big = new ModelShape(Variant.DIAG, 2, 1, 3);
    double[] params = ModelFixtures.params(small, 0.4, 3);
    double[] embedded = Embedding.embed(small, params, big, 1.0);
    assertArrayEquals(new double[] {0, 0, 1, 1}, java.util.Arrays.copyOfRange(embedded, 0, 4));
    Batch batch = ModelFixtures.batch(64, 3, 6, 5);
    double[] grad = new double[big.size()];
    new GradientKernel(big, 6).accumulate(embedded, batch, 0, batch.size, grad);
    assertTrue(Math.abs(grad[0]) + Math.abs(grad[1]) > 0, "the new layer's P must move");
  }

  @ParameterizedTest
  @CsvSource({"GDPP", "DIAG", "FULL"})
  void aSplitLayerComputesTheSameFunctionToSecondOrder(Variant v) {
    for (int heads = 1; heads <= 2; heads++) {
      ModelShape shape = new ModelShape(v, 3, heads, 3);
      Batch batch = ModelFixtures.batch(40, 3, 6, 5);
      double[] base = ModelFixtures.params(shape, 0.15, 23 + heads);
      // the split layer's update scaled by eps: the error of two half steps must fall as eps^2
      double[] gap = new double[2];
      for (int e = 0; e < 2; e++) {
        double eps = e == 0 ? 0.02 : 0.01;
        double[] params = base.clone();
        for (int k = 0; k < heads; k++) {
          int o = shape.offset(1, k);
          for (int i = 0; i < v.pCount(3); i++) {
            params[o + i] *= eps;
          }
        }
        double[] split = Embedding.split(shape, params, 1);
        double[] a = new LinearTransformer(shape, params).predict(batch);
        double[] b = new LinearTransformer(shape.withLayers(4), split).predict(batch);
        for (int s = 0; s < batch.size; s++) {
          gap[e] = Math.max(gap[e], Math.abs(a[s] - b[s]));
        }
      }
      assertTrue(gap[1] > 0, v + ": the halves are not the layer exactly");
      // second order: halving eps divides the gap by 4 (3.5 to 4.5 leaves room for the third
      // order; weights of size 0.15 keep the model far from its blow-ups)
      double ratio = gap[0] / gap[1];
      assertTrue(ratio > 3.5 && ratio < 4.5, v + ", heads " + heads + ": gap ratio " + ratio);
    }
  }

  @Test
  void theSplitCopiesTheOtherLayersAndHalvesOnlyP() {
    ModelShape shape = new ModelShape(Variant.DIAG, 2, 1, 3);
    double[] params = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new double[] {0.5, 1, 3, 4, 0.5, 1, 3, 4, 5, 6, 7, 8},
        Embedding.split(shape, params, 0));
    assertArrayEquals(new double[] {1, 2, 3, 4, 2.5, 3, 7, 8, 2.5, 3, 7, 8},
        Embedding.split(shape, params, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> Embedding.split(shape, params, 2));
  }

  @Test
  void aSimplerTargetIsRejected() {
    ModelShape diag = new ModelShape(Variant.DIAG, 2, 1, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Embedding.embed(diag, new double[diag.size()], diag.withLayers(1), 1.0));
    assertTrue(e.getMessage().startsWith("cannot embed a 2-layer DIAG model"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Embedding.embed(diag,
        new double[diag.size()], new ModelShape(Variant.GDPP, 2, 1, 3), 1.0));
  }
}
