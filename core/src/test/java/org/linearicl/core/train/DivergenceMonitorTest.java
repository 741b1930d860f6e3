package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DivergenceMonitorTest {
  @Test
  void rareOutlierBatchesAreNotDivergence() {
    DivergenceMonitor m = new DivergenceMonitor(1000);
    assertDoesNotThrow(() -> {
      for (int step = 1; step <= 500; step++) {
        // one batch in 10 is a blow-up on a rare sequence, up to 1e100 (a mean would explode)
        m.observe(step % 10 == 0 ? Math.pow(10, step / 5.0) : 5.0, 1.0);
      }
    });
  }

  @Test
  void aTypicalBatchThatExplodedIsDivergence() {
    DivergenceMonitor m = new DivergenceMonitor(1000);
    for (int step = 1; step <= 100; step++) {
      m.observe(5.0, 1.0);
    }
    // from step 101 every batch is 1e4 (2000x the first loss): the window's median crosses the
    // threshold at the 25th such step, when its middle pair averages (5 + 1e4) / 2 > 5000
    long diverged = -1;
    for (int step = 101; step <= 200; step++) {
      try {
        m.observe(1e4, 1.0);
      } catch (TrainingDivergedException e) {
        diverged = e.step();
        assertTrue(e.getMessage().contains("median batch loss of the last 50 steps"),
            e.getMessage());
        break;
      }
    }
    assertEquals(125, diverged);
  }

  @Test
  void aNonFiniteBatchIsSkippedAndOnlyAPersistentOneIsDivergence() {
    DivergenceMonitor m = new DivergenceMonitor(1000);
    for (int step = 1; step <= 10; step++) {
      assertTrue(m.observe(5.0, 1.0));
    }
    assertFalse(m.observe(Double.NaN, 1.0), "step 11: skip it");
    assertFalse(m.observe(5.0, Double.POSITIVE_INFINITY), "step 12: skip it");
    assertTrue(m.observe(5.0, 1.0));
    assertEquals(2, m.skipped());
    // from step 14 every batch overflows; the window (all steps so far) has a median that is
    // infinite once half of its losses are: 11 of 22 at step 22
    long diverged = -1;
    for (int step = 14; step <= 100 && diverged < 0; step++) {
      try {
        assertFalse(m.observe(Double.POSITIVE_INFINITY, 1.0));
      } catch (TrainingDivergedException e) {
        diverged = e.step();
      }
    }
    assertEquals(22, diverged);
  }

  @Test
  void aNonFiniteFirstStepIsDivergenceAtOnce() {
    DivergenceMonitor m = new DivergenceMonitor(1000);
    assertEquals(1, assertThrows(TrainingDivergedException.class,
        () -> m.observe(Double.NaN, 1.0)).step());
  }

  @Test
  void factorMustExceedOne() {
    assertThrows(IllegalArgumentException.class, () -> new DivergenceMonitor(1.0));
  }
}
