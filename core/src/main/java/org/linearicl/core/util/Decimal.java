package org.linearicl.core.util;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Canonical text for doubles, the same on every JDK.
 *
 * <p>{@code Double.toString} changed in JDK 19 (JDK-4511638), so names, keys and tables never use
 * it. {@link #shortest(double)} finds the fewest significant digits that read back to the same
 * double, using exact {@link BigDecimal} arithmetic only.
 */
public final class Decimal {
  private Decimal() {}

  /** The shortest plain decimal that parses back to {@code x}; "NaN", "Infinity", "-Infinity". */
  public static String shortest(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.isNaN(x) ? "NaN" : (x > 0 ? "Infinity" : "-Infinity");
    }
    if (x == 0.0) {
      return "0"; // -0.0 and 0.0 print alike: they are the same value for every use here
    }
    BigDecimal exact = new BigDecimal(x);
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits));
      if (rounded.doubleValue() == x) {
        return rounded.stripTrailingZeros().toPlainString();
      }
    }
    return exact.stripTrailingZeros().toPlainString();
  }
}
