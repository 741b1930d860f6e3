package org.linearicl.analysis;

import java.util.Locale;

/** The sentences of tables and reports, formatted the same on every machine. */
public final class Prose {
  private Prose() {}

  /** {@code String.format} in {@link Locale#ROOT}. */
  public static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
