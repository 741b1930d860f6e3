package org.linearicl.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalTest {
  @Test
  void shortestTextRoundTripsExactly() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 20000; i++) {
      double x = Double.longBitsToDouble(r.nextLong());
      if (!Double.isFinite(x)) {
        continue;
      }
      assertEquals(Double.doubleToLongBits(x == 0 ? 0.0 : x),
          Double.doubleToLongBits(Double.parseDouble(Decimal.shortest(x))));
      double y = r.nextGaussian();
      assertEquals(y, Double.parseDouble(Decimal.shortest(y)), 0.0);
    }
  }

  @Test
  void familiarNumbersPrintPlainly() {
    assertEquals("5", Decimal.shortest(5.0));
    assertEquals("0.1", Decimal.shortest(0.1));
    assertEquals("0.0001", Decimal.shortest(1e-4));
    assertEquals("0.0000000002", Decimal.shortest(2e-10)); // plain, never exponent notation
    assertEquals("0", Decimal.shortest(-0.0));
    assertEquals("-3.25", Decimal.shortest(-3.25));
    assertEquals("NaN", Decimal.shortest(Double.NaN));
    // 2^-1074 needs 1 significant digit in shortest form but parses back exactly
    assertEquals(Double.MIN_VALUE, Double.parseDouble(Decimal.shortest(Double.MIN_VALUE)), 0.0);
  }
}
