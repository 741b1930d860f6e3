package org.linearicl.analysis.table;

/**
 * One of our numbers (with its standard error) beside the paper's.
 *
 * <p>{@link #flagged()} when the two differ by more than {@link #RELATIVE_TOLERANCE} (10%) of the
 * paper's value or by more than {@link #SE_TOLERANCE} (3) of our standard errors. The paper's own
 * values carry sampling error and rounding to 3 digits too, so a flag asks for a look, not a
 * verdict.
 *
 * <p>A value of ours whose magnitude is below {@link #ROUND_OFF} counts as 0 ({@link
 * #counted()}): the difference, its ratio to our standard error and the relative difference are
 * those of 0, so a round-off zero beside the paper's 0 is a match with numbers, not a NaN.
 *
 * @param ours our value
 * @param standardError our value's standard error (finite, {@code >= 0})
 * @param paper the paper's value (finite)
 */
public record Comparison(double ours, double standardError, double paper) {
  /** Relative difference above which a cell is flagged. */
  public static final double RELATIVE_TOLERANCE = 0.10;

  /** Difference, in our standard errors, above which a cell is flagged. */
  public static final double SE_TOLERANCE = 3.0;

  /**
   * The round-off floor: an adjusted loss whose magnitude is below this is 0, not a value for a
   * log axis or a comparison (AdaRR on U(0,0) measures 2.3e-29, TunedRR -3.9e-36, where the
   * paper prints 0). It is absolute, not relative to the oracle's loss, because on noiseless
   * data the oracle's loss is itself round-off (5e-30); and it lies six orders below the paper's
   * smallest non-zero entry (2.5e-12), so counting a smaller number of ours as 0 changes no
   * comparison. docs/method.md, "Round-off zeros".
   */
  public static final double ROUND_OFF = 1e-18;

  /** Validates the fields. */
  public Comparison {
    if (!Double.isFinite(ours)) {
      throw new IllegalArgumentException("ours must be finite, got " + ours);
    }
    if (!(standardError >= 0) || Double.isInfinite(standardError)) {
      throw new IllegalArgumentException("standardError must be finite and >= 0, got " + standardError);
    }
    if (!Double.isFinite(paper)) {
      throw new IllegalArgumentException("paper must be finite, got " + paper);
    }
  }

  /** Whether {@code |x|} is below the round-off floor {@link #ROUND_OFF} (x counts as 0). */
  public static boolean roundOff(double x) {
    return Math.abs(x) < ROUND_OFF;
  }

  /** Ours as compared: 0 when it is below the round-off floor ({@link #roundOff}), else ours. */
  public double counted() {
    return roundOff(ours) ? 0 : ours;
  }

  /** {@code counted() - paper}. */
  public double difference() {
    return counted() - paper;
  }

  /**
   * {@code difference() / standardError}; with a zero standard error, 0 when the values are equal
   * and an infinity of the difference's sign otherwise.
   */
  public double differenceInStandardErrors() {
    double d = difference();
    if (standardError == 0) {
      return d == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, d);
    }
    return d / standardError;
  }

  /**
   * {@code difference() / |paper|}; when the paper's value is 0 the relative difference is
   * undefined: NaN (and only the standard-error test applies), or 0 when ours counts as 0 too
   * (a round-off zero included).
   */
  public double relativeDifference() {
    double d = difference();
    if (paper == 0) {
      return d == 0 ? 0 : Double.NaN;
    }
    return d / Math.abs(paper);
  }

  /** Whether {@code |relative difference| > 10%} (false when it is undefined). */
  public boolean exceedsRelativeTolerance() {
    double r = relativeDifference();
    return !Double.isNaN(r) && Math.abs(r) > RELATIVE_TOLERANCE;
  }

  /** Whether {@code |difference| > 3} standard errors. */
  public boolean exceedsStandardErrorTolerance() {
    return Math.abs(differenceInStandardErrors()) > SE_TOLERANCE;
  }

  /**
   * Whether ours reaches the paper's value: it is not above it by more than both 10% and 3
   * standard errors ({@link #counted()}: a round-off zero is 0). Lower is fine (the paper's
   * optimiser may have stopped short of the minimum).
   */
  public boolean reaches() {
    return counted() <= Math.max((1 + RELATIVE_TOLERANCE) * paper,
        paper + SE_TOLERANCE * standardError);
  }

  /** Whether the difference is more than 10% or more than 3 standard errors. */
  public boolean flagged() {
    return exceedsRelativeTolerance() || exceedsStandardErrorTolerance();
  }
}
