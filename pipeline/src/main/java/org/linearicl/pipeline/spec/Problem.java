package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;

/**
 * One validation problem of a pipeline, printed as
 * {@code pipeline.yaml:LINE:COL: <what> — expected <what>}, or without the position when there
 * is none ({@code line} 0: a missing file, a {@code --set} argument); without the expectation
 * when {@code what} says it already (a kind's check: "steps must be >= 0, got -5").
 *
 * @param source the file, or the command-line argument the problem is in
 */
public record Problem(String source, int line, int column, String what, String expected)
    implements Comparable<Problem> {

  public static Problem at(String file, JsonLocation loc, String what, String expected) {
    int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
    int col = loc == null || line == 0 ? 0 : Math.max(0, loc.getColumnNr());
    return new Problem(file, line, col, what, expected);
  }

  /** A problem with no position in {@code source}. */
  public static Problem unplaced(String source, String what, String expected) {
    return new Problem(source, 0, 0, what, expected);
  }

  @Override
  public String toString() {
    return source + (line > 0 ? ":" + line + ":" + column : "") + ": " + what
        + (expected == null ? "" : " — expected " + expected);
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
