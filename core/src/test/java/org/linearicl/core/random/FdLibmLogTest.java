package org.linearicl.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Java transcription of fdlibm's log agrees bit for bit with StrictMath.log. */
class FdLibmLogTest {
  private static void same(double x) {
    if (Double.isNaN(StrictMath.log(x))) { // NaN payloads are not specified
      assertEquals(Double.NaN, FdLibmLog.log(x), () -> "log(" + x + ")");
      return;
    }
    assertEquals(Double.doubleToRawLongBits(StrictMath.log(x)),
        Double.doubleToRawLongBits(FdLibmLog.log(x)), () -> "log(" + x + ")");
  }

  @Test
  void agreesOnThePolarMethodsDomain() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 2_000_000; i++) {
      double u = 2.0 * r.nextDouble() - 1.0;
      double v = 2.0 * r.nextDouble() - 1.0;
      same(u * u + v * v);
      same(r.nextDouble());
    }
  }

  @Test
  void agreesOnEveryBinadeAndTheSpecialCases() {
    SplittableRandom r = new SplittableRandom(7);
    for (int e = -1074; e <= 1023; e++) {
      double base = Math.scalb(1.0, e);
      same(base);
      for (int i = 0; i < 200; i++) {
        same(base * (1.0 + r.nextDouble()));
      }
      same(Math.nextUp(base));
      same(Math.nextDown(base));
    }
    for (double x : new double[] {0.0, -0.0, -1.0, 1.0, Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        1.0 + Math.ulp(1.0), 1.0 - Math.ulp(1.0) / 2, 1.0 + 1e-7, 1.0 - 1e-7, Math.E, 2.0}) {
      same(x);
    }
  }
}
