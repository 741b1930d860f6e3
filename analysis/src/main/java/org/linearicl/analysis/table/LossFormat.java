package org.linearicl.analysis.table;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.linearicl.core.util.Decimal;

/**
 * Number text for tables, with no {@code NumberFormat} and no locale: the result is the same on
 * every machine and JDK.
 *
 * <p>The rule of {@link #format(double)}, for our numbers (values and their standard errors):
 *
 * <ul>
 *   <li>exactly zero (either sign) prints {@code 0};
 *   <li>otherwise the value is rounded to {@value #SIGNIFICANT_DIGITS} significant digits;
 *   <li>a rounded magnitude in {@code [0.001, 10000)} prints as a plain decimal that shows all
 *       three digits: {@code 1.77}, {@code 0.118}, {@code 0.00600}, {@code 12.0}, {@code 1230};
 *   <li>any other prints in e-notation with an exponent of at least two digits: {@code 9.91e-05},
 *       {@code 2.50e-12}, {@code 1.00e+04}, {@code 3.20e+80} (a blown-up loss never prints as an
 *       80-digit decimal);
 *   <li>{@code NaN}, {@code Infinity}, {@code -Infinity} print as those words.
 * </ul>
 *
 * <p>Rounding is half-up (away from zero) on the exact binary value of the double, and the
 * notation is chosen on the rounded value, so {@code 0.0009996} prints {@code 0.00100} and
 * {@code 9999.7} prints {@code 1.00e+04}. Negative values get a leading minus sign.
 *
 * <p>{@link #paper(double)} prints a value the way the paper's Table 1 does (three decimals, or
 * three significant digits in e-notation below 0.001), so a quoted paper value reads exactly as
 * in the paper.
 */
public final class LossFormat {
  /** Rounded magnitudes at least this (and below {@link #SCIENTIFIC_ABOVE}) print plain. */
  public static final double FIXED_THRESHOLD = 0.001;

  /** Rounded magnitudes at least this print in e-notation. */
  public static final double SCIENTIFIC_ABOVE = 10_000;

  /** Decimals of the paper's own format ({@link #paper(double)}) at or above 0.001. */
  public static final int FIXED_DECIMALS = 3;

  /** Significant digits printed by {@link #format(double)}. */
  public static final int SIGNIFICANT_DIGITS = 3;

  private LossFormat() {}

  /** Our number's text (see the class comment for the rule). */
  public static String format(double x) {
    String special = special(x);
    if (special != null) {
      return special;
    }
    BigDecimal rounded = new BigDecimal(x).round(
        new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP));
    double magnitude = rounded.abs().doubleValue();
    if (magnitude < FIXED_THRESHOLD || magnitude >= SCIENTIFIC_ABOVE) {
      return scientific(rounded);
    }
    // keep trailing zeros: 12 prints 12.0, 0.006 prints 0.00600
    int exponent = rounded.precision() - rounded.scale() - 1;
    return rounded.setScale(SIGNIFICANT_DIGITS - 1 - exponent, RoundingMode.UNNECESSARY)
        .toPlainString();
  }

  /**
   * A value in the paper's Table 1 style: {@code 1.768}, {@code 0.006}, {@code 1.640} (three
   * decimals) at or above 0.001, {@code 9.91e-05} below (three significant digits), and
   * e-notation from 10000 on. The branch is chosen on {@code |x|} before rounding.
   */
  public static String paper(double x) {
    String special = special(x);
    if (special != null) {
      return special;
    }
    BigDecimal exact = new BigDecimal(x);
    if (Math.abs(x) >= FIXED_THRESHOLD && Math.abs(x) < SCIENTIFIC_ABOVE) {
      return exact.setScale(FIXED_DECIMALS, RoundingMode.HALF_UP).toPlainString();
    }
    return scientific(exact.round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP)));
  }

  /** The words of the non-finite values and "0" for zero; null for any other. */
  private static String special(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    return x == 0.0 ? "0" : null;
  }

  /** {@code d.dde±XX} of a value already rounded to {@link #SIGNIFICANT_DIGITS} digits. */
  private static String scientific(BigDecimal rounded) {
    // rounded = unscaled * 10^-scale: precision() - scale() - 1 is the decimal exponent
    int exponent = rounded.precision() - rounded.scale() - 1;
    BigDecimal mantissa = rounded.movePointLeft(exponent)
        .setScale(SIGNIFICANT_DIGITS - 1, RoundingMode.UNNECESSARY);
    return exponentText(mantissa.toPlainString(), exponent);
  }

  /** {@code mantissa + "e±XX"}: the exponent's sign always, at least two digits. */
  private static String exponentText(String mantissa, int exponent) {
    int e = Math.abs(exponent);
    String digits = e < 10 ? "0" + e : Integer.toString(e);
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + digits;
  }

  /**
   * The full value, as CSV prints it: the fewest significant digits that read back to {@code x}
   * ({@link Decimal#shortest(double)}), as a plain decimal when {@code |x|} is in {@code [0.001,
   * 10000)} ({@code 0.1}, {@code 1.768}, {@code 1230.5}) and in e-notation with an exponent of at
   * least two digits outside ({@code 9.91e-05}, {@code 2.3134796438712068e-29}, {@code 3.2e+80}),
   * the style of the paper's own csv: a round-off loss or a blown-up one is never a run of 30 to
   * 300 digits. {@code 0}, {@code NaN}, {@code Infinity}, {@code -Infinity} as in {@link
   * #format(double)}.
   */
  public static String plain(double x) {
    String special = special(x);
    if (special != null) {
      return special;
    }
    BigDecimal shortest = new BigDecimal(Decimal.shortest(x)).stripTrailingZeros();
    double magnitude = Math.abs(x);
    if (magnitude >= FIXED_THRESHOLD && magnitude < SCIENTIFIC_ABOVE) {
      return shortest.toPlainString();
    }
    int exponent = shortest.precision() - shortest.scale() - 1;
    return exponentText(shortest.movePointLeft(exponent).toPlainString(), exponent);
  }
}
