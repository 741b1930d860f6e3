package org.linearicl.core.util;

/**
 * The bound checks of arguments and settings, worded alike everywhere: "{@code what} must be
 * >= 1, got 0". Callers that name the thing differently (a stage parameter, a command-line
 * option) wrap the exception; the condition and its wording stay here.
 */
public final class Checks {
  private Checks() {}

  /** @throws IllegalArgumentException "{@code what} must be >= {@code min}, got {@code value}" */
  public static void atLeast(String what, long value, long min) {
    try {
      atLeast(value, min);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " " + e.getMessage(), e);
    }
  }

  /**
   * The same check for a caller that names the value itself (a stage parameter, an option).
   *
   * @throws IllegalArgumentException "must be >= {@code min}, got {@code value}"
   */
  public static void atLeast(long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException("must be >= " + min + ", got " + value);
    }
  }

  /**
   * @throws IllegalArgumentException "{@code what} must be a finite number >= {@code min}, got
   *     {@code value}" (NaN fails too)
   */
  public static void finiteAtLeast(String what, double value, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number >= "
          + Decimal.shortest(min) + ", got " + value);
    }
  }

  /**
   * @throws IllegalArgumentException "{@code what} must be a finite number > {@code min}, got
   *     {@code value}" (NaN fails too)
   */
  public static void finiteAbove(String what, double value, double min) {
    if (!(value > min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number > "
          + Decimal.shortest(min) + ", got " + value);
    }
  }
}
