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
