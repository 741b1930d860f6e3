package org.linearicl.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairedEvaluationTest {
  @Test
  void lossesAndTheirPairedDifference() {
    double[] target = {0, 0, 0, 0};
    double[] pred = {1, 2, 3, 4};    // losses 0.5, 2, 4.5, 8: mean 3.75
    double[] oracle = {1, 1, 1, 1};  // losses 0.5 each
    PairedEvaluation e = PairedEvaluation.of(pred, oracle, target);
    assertEquals(3.75, e.loss().mean(), 1e-15);
    assertEquals(0.5, e.oracle().mean(), 1e-15);
    assertEquals(0.0, e.oracle().standardError(), 1e-15);
    assertEquals(3.25, e.adjusted().mean(), 1e-15);
    // differences 0, 1.5, 4, 7.5: sample variance = sum (v - 3.25)^2 / 3
    double var = (3.25 * 3.25 + 1.75 * 1.75 + 0.75 * 0.75 + 4.25 * 4.25) / 3;
    assertEquals(Math.sqrt(var / 4), e.adjusted().standardError(), 1e-15);
    assertEquals(4, e.adjusted().count());
  }

  @Test
  void lengthsMustAgree() {
    assertThrows(IllegalArgumentException.class,
        () -> PairedEvaluation.of(new double[2], new double[3], new double[2]));
  }
}
