package org.linearicl.core.util;

import java.util.Objects;

/** The null checks of the records' compact constructors, field by field. */
public final class Require {
  private Require() {}

  /**
   * Checks fields given as name, value, name, value, ...: the first null value throws what
   * {@code Objects.requireNonNull(value, name)} throws, a NullPointerException with the name.
   */
  public static void nonNull(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name, value pairs, got "
          + namesAndValues.length + " arguments");
    }
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Objects.requireNonNull(namesAndValues[i + 1], (String) namesAndValues[i]);
    }
  }
}
