package org.linearicl.analysis.table;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One cell of a {@link Table}: a piece of text, nothing, or a number with an optional standard
 * error.
 */
public sealed interface Cell permits Cell.Text, Cell.Empty, Cell.Value {

  /** A text cell, e.g. a row label such as {@code DIAG}. */
  static Cell text(String text) {
    return new Text(text);
  }

  /** The empty cell. */
  static Cell empty() {
    return Empty.INSTANCE;
  }

  /** A number without a standard error. */
  static Cell of(double value) {
    return new Value(value, OptionalDouble.empty());
  }

  /** A number with its standard error. */
  static Cell of(double value, double standardError) {
    return new Value(value, OptionalDouble.of(standardError));
  }

  /** Text as given; it may be empty but not null, and holds no line break. */
  record Text(String text) implements Cell {
    /** Validates the text. */
    public Text {
      Objects.requireNonNull(text, "text");
      if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("text must not contain a line break: " + text);
      }
    }
  }

  /** No content (renders as an empty cell). */
  enum Empty implements Cell {
    /** The one empty cell. */
    INSTANCE
  }

  /**
   * A number with an optional standard error. The value may be any double (NaN and infinities
   * print as words); a standard error must be finite and non-negative.
   */
  record Value(double value, OptionalDouble standardError) implements Cell {
    /** Validates the standard error. */
    public Value {
      Objects.requireNonNull(standardError, "standardError");
      if (standardError.isPresent()) {
        double se = standardError.getAsDouble();
        if (!(se >= 0) || Double.isInfinite(se)) {
          throw new IllegalArgumentException("standardError must be finite and >= 0, got " + se);
        }
      }
    }

    /**
     * The value as {@link LossFormat#format(double)} prints it, with {@code " ± se"} in the same
     * style when a standard error is present.
     */
    public String formatted() {
      String v = LossFormat.format(value);
      return standardError.isPresent()
          ? v + " \u00b1 " + LossFormat.format(standardError.getAsDouble())
          : v;
    }
  }
}
