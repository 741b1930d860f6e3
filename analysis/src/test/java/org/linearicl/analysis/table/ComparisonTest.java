package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComparisonTest {

  @Test
  void differenceInStandardErrorsAndRelative() {
    Comparison c = new Comparison(0.130, 0.002, 0.118);
    assertEquals(0.012, c.difference(), 1e-15);
    assertEquals(6.0, c.differenceInStandardErrors(), 1e-12);
    assertEquals(0.012 / 0.118, c.relativeDifference(), 1e-15);
    assertTrue(c.exceedsRelativeTolerance(), "10.2% > 10%");
    assertTrue(c.exceedsStandardErrorTolerance());
    assertTrue(c.flagged());
  }

  @Test
  void reachingThePaperAllowsEitherToleranceAndAnyValueBelow() {
    assertTrue(new Comparison(0.1190, 0.0001, 0.118).reaches()); // 10 SE but 0.8%
    assertTrue(new Comparison(0.140, 0.01, 0.118).reaches()); // 18.6% but 2.2 SE
    assertFalse(new Comparison(0.140, 0.005, 0.118).reaches()); // 18.6% and 4.4 SE
    assertTrue(new Comparison(0.01, 0.0001, 0.118).reaches()); // far below is fine
    assertTrue(new Comparison(2e-3, 1e-3, 0).reaches()); // a paper 0: within 3 SE
    assertFalse(new Comparison(4e-3, 1e-3, 0).reaches());
    assertTrue(new Comparison(2.3e-29, 1e-30, 0).reaches()); // round-off, 23 SE above a 0
  }

  @Test
  void withinBothTolerancesIsNotFlagged() {
    Comparison c = new Comparison(0.1195, 0.001, 0.118);
    assertEquals(1.5, c.differenceInStandardErrors(), 1e-12);
    assertFalse(c.flagged());
  }

  @Test
  void eitherToleranceAloneFlags() {
    Comparison manySe = new Comparison(0.1190, 0.0001, 0.118); // 10 SE, 0.8%
    assertFalse(manySe.exceedsRelativeTolerance());
    assertTrue(manySe.flagged());
    Comparison relative = new Comparison(0.140, 0.05, 0.118); // 0.44 SE, 18.6%
    assertFalse(relative.exceedsStandardErrorTolerance());
    assertTrue(relative.flagged());
    Comparison below = new Comparison(0.100, 0.01, 0.118); // -1.8 SE, -15.3%: sign does not matter
    assertTrue(below.exceedsRelativeTolerance());
    assertEquals(-1.8, below.differenceInStandardErrors(), 1e-12);
  }

  @Test
  void zeroPaperValueAndZeroStandardError() {
    Comparison zeroPaper = new Comparison(1e-6, 1e-6, 0);
    assertTrue(Double.isNaN(zeroPaper.relativeDifference()));
    assertFalse(zeroPaper.exceedsRelativeTolerance());
    assertFalse(zeroPaper.flagged(), "1 SE from 0");
    assertEquals(0, new Comparison(0, 0, 0).relativeDifference());
    assertFalse(new Comparison(0, 0, 0).flagged());
    Comparison exact = new Comparison(0.2, 0, 0.118);
    assertEquals(Double.POSITIVE_INFINITY, exact.differenceInStandardErrors());
    assertTrue(exact.flagged());
  }

  @Test
  void validationNamesTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Comparison(Double.NaN, 0, 0))
        .getMessage().startsWith("ours"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Comparison(0, -1, 0))
        .getMessage().startsWith("standardError"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Comparison(0, 0, Double.POSITIVE_INFINITY))
        .getMessage().startsWith("paper"));
  }

  @Test
  void belowTheRoundOffFloorOursCountsAsZero() {
    // AdaRR on U(0,0): 2.3e-29, 22 of its tiny SEs from the paper's 0
    Comparison ada = new Comparison(2.3e-29, 1e-30, 0);
    assertEquals(0, ada.counted());
    assertEquals(0, ada.difference());
    assertEquals(0, ada.differenceInStandardErrors());
    assertEquals(0, ada.relativeDifference());
    assertFalse(ada.flagged());
    assertTrue(ada.reaches());
    // a negative round-off adjusted loss (TunedRR: -3.9e-36) likewise
    Comparison tuned = new Comparison(-3.94e-36, 3.94e-36, 0);
    assertEquals(0, tuned.relativeDifference());
    assertEquals(0, tuned.differenceInStandardErrors());
    assertFalse(tuned.flagged());
    // the floor itself is not round-off: a number, compared as measured
    assertFalse(Comparison.roundOff(Comparison.ROUND_OFF));
    assertTrue(Comparison.roundOff(-0.99e-18));
    assertTrue(Comparison.roundOff(0));
    Comparison floor = new Comparison(1e-18, 1e-19, 0);
    assertEquals(1e-18, floor.counted());
    assertEquals(10, floor.differenceInStandardErrors(), 1e-12);
    assertTrue(floor.flagged());
    assertFalse(floor.reaches());
    // beside a non-zero paper value the floor changes nothing that matters
    Comparison deep = new Comparison(7e-22, 1e-22, 2.65e-12);
    assertEquals(-1, deep.relativeDifference());
    assertTrue(deep.reaches());
  }
}
