package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;

/**
 * One validation problem of a pipeline file, printed as
 * {@code pipeline.yaml:LINE:COL: <what> — expected <what>}.
 */
public record Problem(String file, int line, int column, String what, String expected)
    implements Comparable<Problem> {

  public static Problem at(String file, JsonLocation loc, String what, String expected) {
    int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
    int col = loc == null ? 0 : Math.max(0, loc.getColumnNr());
    return new Problem(file, line, col, what, expected);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + what + " — expected " + expected;
  }

  @Override
  public int compareTo(Problem o) {
    int c = Integer.compare(line, o.line);
    if (c == 0) {
      c = Integer.compare(column, o.column);
    }
    return c != 0 ? c : toString().compareTo(o.toString());
  }
}
