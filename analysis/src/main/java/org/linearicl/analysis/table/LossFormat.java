package org.linearicl.analysis.table;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.linearicl.core.util.Decimal;

/**
 * Number text for tables, the way the paper prints losses in its Table 1, with no {@code
 * NumberFormat} and no locale: the result is the same on every machine and JDK.
 *
 * <p>The rule of {@link #format(double)}:
 *
 * <ul>
 *   <li>exactly zero (either sign) prints {@code 0};
 *   <li>{@code |x| >= 0.001} prints with 3 decimals: {@code 1.768}, {@code 0.118}, {@code 0.006},
 *       {@code 12.000};
 *   <li>{@code 0 < |x| < 0.001} prints 3 significant digits in e-notation with an exponent of at
 *       least two digits: {@code 9.91e-05}, {@code 2.50e-12};
 *   <li>{@code NaN}, {@code Infinity}, {@code -Infinity} print as those words.
 * </ul>
 *
 * <p>Rounding is half-up (away from zero) on the exact binary value of the double. The branch is
 * chosen on {@code |x|} before rounding, so {@code 0.0009996} prints {@code 1.00e-03}, not
 * {@code 0.001}. Negative values get a leading minus sign.
 */
public final class LossFormat {
  /** Values with {@code |x|} at least this print with fixed decimals. */
  public static final double FIXED_THRESHOLD = 0.001;

  /** Decimals printed for values at or above {@link #FIXED_THRESHOLD}. */
  public static final int FIXED_DECIMALS = 3;

  /** Significant digits printed below {@link #FIXED_THRESHOLD}. */
  public static final int SIGNIFICANT_DIGITS = 3;

  private LossFormat() {}

  /** The paper's text for a loss (see the class comment for the rule). */
  public static String format(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    if (x == 0.0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(x);
    if (Math.abs(x) >= FIXED_THRESHOLD) {
      return exact.setScale(FIXED_DECIMALS, RoundingMode.HALF_UP).toPlainString();
    }
    BigDecimal rounded = exact.round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP));
    // rounded = unscaled * 10^-scale with |unscaled| of SIGNIFICANT_DIGITS digits (or fewer, if
    // rounding carried into a new digit and trailing zeros were kept: precision() tells).
    int exponent = rounded.precision() - rounded.scale() - 1;
    BigDecimal mantissa = rounded.movePointLeft(exponent).setScale(SIGNIFICANT_DIGITS - 1, RoundingMode.UNNECESSARY);
    int e = Math.abs(exponent);
    String digits = e < 10 ? "0" + e : Integer.toString(e);
    return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + digits;
  }

  /**
   * The shortest plain decimal that reads back to {@code x} (for CSV, where the full value is
   * kept): {@code 0.1}, {@code 9.91E-5} prints {@code 0.0000991}. Delegates to {@link
   * Decimal#shortest(double)}.
   */
  public static String plain(double x) {
    return Decimal.shortest(x);
  }
}
