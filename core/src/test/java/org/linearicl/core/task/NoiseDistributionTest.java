package org.linearicl.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NoiseDistributionTest {

  /** The paper's columns, and keys for every other distribution that cannot be mistaken for one. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"uniform:5 | u5", "uniform:0 | u0", "categorical:1,3 | c13",
      "categorical:1,3,5 | c135", "categorical:0.5,1.5 | c0.5-1.5", "categorical:1,12 | c1-12",
      "fixed:1 | fixed1"})
  void paperKeyNamesThePapersColumns(String spec, String key) {
    assertEquals(key, NoiseDistribution.parse(spec).paperKey());
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform:5", "uniform:0", "fixed:0.5", "categorical:1,3",
      "categorical:1,3,5", "fixed:0"})
  void specRoundTrips(String spec) {
    NoiseDistribution d = NoiseDistribution.parse(spec);
    assertEquals(spec, d.spec());
    assertEquals(d, NoiseDistribution.parse(d.spec()));
  }

  @Test
  void categoricalIsSortedAndKeyed() {
    NoiseDistribution d = NoiseDistribution.parse("categorical: 3, 1");
    assertEquals("categorical:1,3", d.spec());
    assertEquals("c1-3", d.key());
    assertEquals(3.0, d.max());
    assertEquals("u5", NoiseDistribution.parse("uniform:5.0").key());
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform", "uniform:", "uniform:-1", "gauss:1", "categorical:",
      "categorical:1,,3", "categorical:1,1", "fixed:abc", "uniform:NaN", "fixed:Infinity"})
  void malformedSpecsNameWhatIsExpected(String spec) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NoiseDistribution.parse(spec));
    assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected fixed:S, uniform:S or categorical:A,B,..."),
        e.getMessage());
  }

  @Test
  void negativeSigmaIsRejectedWithItsValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NoiseDistribution.Fixed(-0.5));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
  }

  @Test
  void profileGridCoversTheRange() {
    double[] g = NoiseDistribution.parse("uniform:5").profileGrid(13);
    assertEquals(13, g.length);
    assertEquals(0.0, g[0]);
    assertEquals(0.5, g[1], 1e-15);
    assertEquals(6.0, g[12], 1e-15);
    // categorical: [0, 6] at least, [0, max + 1] beyond
    assertEquals(6.0, NoiseDistribution.parse("categorical:1,3").profileGrid(7)[6], 1e-15);
    assertEquals(8.0, NoiseDistribution.parse("categorical:1,7").profileGrid(3)[2], 1e-15);
    assertEquals(1.0, NoiseDistribution.parse("fixed:0").profileGrid(2)[1], 1e-15);
    assertThrows(IllegalArgumentException.class,
        () -> NoiseDistribution.parse("uniform:5").profileGrid(1));
  }
}
