package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.ModelResult;

class StabilityTest {
  @Test
  void aStandardErrorAboveThirtyPercentOfAMeanAboveOneThousandthIsDominated() {
    assertFalse(Stability.dominated(0.1, 0.03)); // exactly 30%: not above
    assertTrue(Stability.dominated(0.1, 0.0301));
    assertTrue(Stability.dominated(0.123, 0.051));
    assertFalse(Stability.dominated(0.001, 0.9)); // the mean must be above 1e-3
    assertTrue(Stability.dominated(0.0011, 0.5));
    assertFalse(Stability.dominated(2.5e-12, 1e-11)); // a noiseless deep model
    assertFalse(Stability.dominated(-0.01, 0.5)); // a negative adjusted loss
    assertFalse(Stability.dominated(0.1, Double.NaN)); // one value: no standard error
    assertTrue(Stability.dominated(Double.NaN, 0.0));
    assertTrue(Stability.dominated(Double.POSITIVE_INFINITY, 0.0));
  }

  @Test
  void aModelIsUnstableByItsTailCheckOrByItsStandardErrorAndSaysHowManySequencesDecideIt() {
    ModelResult ok = Fixtures.selection("u5", 1).best(Variant.DIAG, 1).orElseThrow();
    assertEquals(Optional.empty(), Stability.of(ok));
    assertEquals(Optional.empty(), Stability.sequences(ok));
    ModelResult tail = Fixtures.with(ok, ModelResult.Status.UNSTABLE, Fixtures.unstableTail(1),
        ok.adjusted(), ok.confirm());
    assertEquals(Optional.of("tail check failed: 2 of 1000000 fresh sequences explode and carry "
        + "95.0% of the adjusted loss (max loss 3.20e+80)"), Stability.of(tail));
    assertEquals(Optional.of("2 of 1000000 sequences"), Stability.sequences(tail));
    ModelResult noTail = Fixtures.with(ok, ModelResult.Status.UNSTABLE, null, ok.adjusted(),
        ok.confirm());
    assertEquals(Optional.of("tail check failed"), Stability.of(noTail));
    assertEquals(Optional.of("tail check failed, no count"), Stability.sequences(noTail));
    Estimate blown = exploding(2, 0.118, 1e6);
    ModelResult evaluation = Fixtures.with(ok, ModelResult.Status.STABLE, ok.tail(), blown,
        blown);
    assertEquals(Optional.of("about 2 of 100000 sequences"), Stability.sequences(evaluation));
    Estimate wide = new Estimate(0.2, 0.1, 1000);
    ModelResult se = Fixtures.with(ok, ModelResult.Status.STABLE, ok.tail(), wide, wide);
    assertEquals(Optional.of("SE 50.0% of the mean"), Stability.of(se));
    ModelResult both = Fixtures.with(tail, ModelResult.Status.UNSTABLE, tail.tail(), wide, wide);
    assertTrue(Stability.of(both).orElseThrow().startsWith("tail check failed: "));
    assertTrue(Stability.of(both).orElseThrow().endsWith("; SE 50.0% of the mean"));
  }

  /** 99,999 ordinary adjusted losses and {@code exploding} sequences of {@code size} each. */
  static Estimate exploding(int exploding, double body, double size) {
    double[] x = new double[100_000];
    java.util.Arrays.fill(x, body);
    for (int i = 0; i < exploding; i++) {
      x[37 * i + 11] = size;
    }
    return Estimate.over(x);
  }

  @Test
  void theEffectiveCountIsTheNumberOfSequencesThatCarryTheMean() {
    // equal losses: every sequence counts
    assertEquals(1000, Stability.effectiveCount(new Estimate(0.2, 0, 1000)));
    // two sequences carry (nearly) the whole sum: 2
    Estimate two = exploding(2, 0.118, 1e6);
    assertTrue(Stability.dominated(two), two.toString());
    assertEquals(2, Stability.effectiveCount(two));
    assertEquals("about 2 of 100000 sequences", Stability.sequences(two));
    // one sequence with all of it: 1, never 0
    assertEquals(1, Stability.effectiveCount(exploding(1, 0, 1e6)));
    // the largest count a dominated estimate can have: 1 / 0.3^2
    assertEquals(11, Stability.effectiveCount(new Estimate(1, 0.3, 100_000)));
    assertEquals("mean not finite over 1000 sequences",
        Stability.sequences(new Estimate(Double.POSITIVE_INFINITY, Double.NaN, 1000)));
  }
}
