package org.linearicl.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChecksTest {
  @Test
  void atLeastPassesTheBoundAndNamesWhatFailed() {
    Checks.atLeast("batch", 1, 1);
    Checks.atLeast("steps", Long.MAX_VALUE, 0);
    assertEquals("batch must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> Checks.atLeast("batch", 0, 1)).getMessage());
    assertEquals("--jobs must be >= 1, got -3", assertThrows(IllegalArgumentException.class,
        () -> Checks.atLeast("--jobs", -3, 1)).getMessage());
  }

  @Test
  void finiteBoundsRejectNaNAndInfinity() {
    Checks.finiteAtLeast("clip", 0.0, 0);
    Checks.finiteAbove("lr", Double.MIN_VALUE, 0);
    assertEquals("clip must be a finite number >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class,
            () -> Checks.finiteAtLeast("clip", -1.0, 0)).getMessage());
    assertEquals("lr must be a finite number > 0, got 0.0",
        assertThrows(IllegalArgumentException.class,
            () -> Checks.finiteAbove("lr", 0.0, 0)).getMessage());
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> Checks.finiteAtLeast("x", bad, 0));
      assertThrows(IllegalArgumentException.class, () -> Checks.finiteAbove("x", bad, 0));
    }
  }
}
