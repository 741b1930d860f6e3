package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The multiply-add counts against closed forms written out by hand from the kernel's loops. */
class FlopCountTest {
  /** Closed form, D = d + 1, L >= 2, one head: see FlopCount's class comment for the terms. */
  private static long diag(int d, int n, int layers) {
    long e = d + 1L;
    long stats = n * e * (e + 1) / 2;
    long fwd = stats + (layers - 1) * (e * e + e * e * e + e * e * (e + 1) / 2 + e * e) + 2 * e;
    long bwd = 3 * e // last layer: dW, then h and g_q
        + (layers - 1) * (2 * e * e * e + 2 * e * e) // every middle layer
        + (layers - 2) * (e * e + e * e * (e + 1) / 2 + 2 * e * e); // all but layer 0
    return fwd + bwd;
  }

  private static long full(int d, int n, int layers) {
    long e = d + 1L;
    long stats = n * e * (e + 1) / 2;
    long fwd = stats + (layers - 1) * (3 * e * e * e + 2 * e * e + e * e * (e + 1) / 2)
        + 3 * e * e + e + 1;
    long bwd = 3 * e * e + 2 * e
        + (layers - 1) * (5 * e * e * e + e * e)
        + (layers - 2) * (e * e + e * e * (e + 1) / 2 + e * e * e + e * e);
    return fwd + bwd;
  }

  @Test
  void matchesClosedForms() {
    for (int layers = 2; layers <= 7; layers++) {
      for (int n : new int[] {20, 80, 320}) {
        assertEquals(diag(10, n, layers),
            FlopCount.perSequence(new ModelShape(Variant.DIAG, layers, 1, 10), n));
        assertEquals(full(10, n, layers),
            FlopCount.perSequence(new ModelShape(Variant.FULL, layers, 1, 10), n));
      }
    }
  }

  @Test
  void oneLayerIsStatisticsPlusTheQueryRow() {
    // d = 10, n = 20: statistics 20 * 11 * 12 / 2 = 1320; DIAG last layer 2 * 11 forward, 11 back
    assertEquals(1320 + 22 + 11,
        FlopCount.perSequence(new ModelShape(Variant.DIAG, 1, 1, 10), 20));
    assertEquals(1320, FlopCount.statistics(10, 20));
    // GD++ is counted like DIAG (same loops), FULL: 3 * 121 + 11 + 1 forward, 11 + 121 back
    assertEquals(FlopCount.perSequence(new ModelShape(Variant.DIAG, 4, 1, 10), 20),
        FlopCount.perSequence(new ModelShape(Variant.GDPP, 4, 1, 10), 20));
    assertEquals(1320 + 375 + 132,
        FlopCount.perSequence(new ModelShape(Variant.FULL, 1, 1, 10), 20));
  }

  @Test
  void flopsPerStepIsTwicePerSequenceTimesBatch() {
    ModelShape s = new ModelShape(Variant.FULL, 7, 1, 10);
    assertEquals(2.0 * 2048 * FlopCount.perSequence(s, 20), FlopCount.flopsPerStep(s, 20, 2048));
  }
}
