package org.linearicl.core.model;

import java.util.Locale;

/**
 * The three model variants (docs/method.md, the model). Parameters per head and layer, in this
 * order in the flat parameter array: <ul> <li>{@link #FULL}: P then Q, each a (d+1) x (d+1)
 * row-major matrix;</li> <li>{@link #DIAG}: p_x, p_y, q_x, q_y, with P = diag(p_x I_d, p_y), Q =
 * diag(q_x I_d, q_y);</li> <li>{@link #GDPP}: p_x, p_y, q_x (DIAG with q_y = 0: preconditioning
 * plus a GD step).</li> </ul>
 */
public enum Variant {
  FULL("full"),
  DIAG("diag"),
  GDPP("gdpp");

  private final String cliName;

  Variant(String cliName) {
    this.cliName = cliName;
  }

  /** The lower-case name used on the command line, in YAML and in file names. */
  public String cliName() {
    return cliName;
  }

  /** The name the paper's tables use: GD++, DIAG, FULL. */
  public String paperName() {
    return this == GDPP ? "GD++" : name();
  }

  /** Number of parameters of one head of one layer, for token dimension {@code d + 1}. */
  public int paramsPerHead(int d) {
    int dim = d + 1;
    return switch (this) {
      case FULL -> 2 * dim * dim;
      case DIAG -> 4;
      case GDPP -> 3;
    };
  }

  /**
   * Number of a head's parameters that belong to P: they come first in the layout (FULL: the
   * (d+1) x (d+1) matrix; DIAG and GD++: p_x, p_y).
   */
  public int pCount(int d) {
    return this == FULL ? (d + 1) * (d + 1) : 2;
  }

  /** Parses full, diag, gdpp (also GD++), case-insensitive. */
  public static Variant parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "full" -> FULL;
      case "diag" -> DIAG;
      case "gdpp", "gd++" -> GDPP;
      default -> throw new IllegalArgumentException(
          "unknown variant '" + text + "'; expected full, diag or gdpp");
    };
  }
}
