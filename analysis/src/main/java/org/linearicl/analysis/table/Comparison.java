package org.linearicl.analysis.table;

/**
 * One of our numbers (with its standard error) beside the paper's.
 *
 * <p>{@link #flagged()} when the two differ by more than {@link #RELATIVE_TOLERANCE} (10%) of the
 * paper's value or by more than {@link #SE_TOLERANCE} (3) of our standard errors. The paper's own
 * values carry sampling error and rounding to 3 digits too, so a flag asks for a look, not a
 * verdict.
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
   * Below this an adjusted loss is a difference of O(1) losses at the precision of a double
   * (AdaRR on U(0,0) measures 2e-29): zero, not a value for a log axis or a comparison.
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

  /** {@code ours - paper}. */
  public double difference() {
    return ours - paper;
  }

  /**
   * {@code (ours - paper) / standardError}; with a zero standard error, 0 when the values are equal
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
   * {@code (ours - paper) / |paper|}; when the paper's value is 0 the relative difference is
   * undefined: NaN (and only the standard-error test applies), or 0 when ours is 0 too.
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
   * standard errors, or is a round-off zero ({@link #ROUND_OFF}). Lower is fine (the paper's
   * optimiser may have stopped short of the minimum).
   */
  public boolean reaches() {
    return ours <= Math.max(Math.max((1 + RELATIVE_TOLERANCE) * paper,
        paper + SE_TOLERANCE * standardError), ROUND_OFF);
  }

  /** Whether the difference is more than 10% or more than 3 standard errors. */
  public boolean flagged() {
    return exceedsRelativeTolerance() || exceedsStandardErrorTolerance();
  }
}
