package org.linearicl.analysis.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable table: a title, column headers and rows of {@link Cell}s, rendered as a GitHub
 * Markdown table ({@link #toMarkdown()}) or as RFC 4180 CSV ({@link #toCsv()}).
 *
 * <p>Rows keep the order they were given in: callers that build a table from a map give a sorted,
 * deterministic order. Both renderers are pure functions of the table: LF line endings, a trailing
 * newline, {@link LossFormat} numbers, no timestamps.
 *
 * @param title shown above the Markdown table (not part of the CSV); may be empty
 * @param headers the column headers, at least one
 * @param rows rows of exactly {@code headers.size()} cells each
 */
public record Table(String title, List<String> headers, List<List<Cell>> rows) {

  /** Validates the shape and makes defensive copies. */
  public Table {
    Objects.requireNonNull(title, "title");
    if (title.indexOf('\n') >= 0 || title.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("title must not contain a line break: " + title);
    }
    headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("headers must not be empty");
    }
    for (String h : headers) {
      if (h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("headers must not contain a line break: " + h);
      }
    }
    Objects.requireNonNull(rows, "rows");
    List<List<Cell>> copy = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      List<Cell> row = List.copyOf(Objects.requireNonNull(rows.get(r), "rows[" + r + "]"));
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException(
            "rows[" + r + "] has " + row.size() + " cells, headers has " + headers.size());
      }
      copy.add(row);
    }
    rows = List.copyOf(copy);
  }

  /** Starts a table with the given title and headers. */
  public static Builder builder(String title, String... headers) {
    return new Builder(title, List.of(headers));
  }

  /** The number of columns. */
  public int columnCount() {
    return headers.size();
  }

  /** The cell at row {@code r}, column {@code c} (both from 0). */
  public Cell cell(int r, int c) {
    return rows.get(r).get(c);
  }

  /**
   * The same table with every {@link Cell.Value} replaced by its standard error (a value without
   * one becomes {@link Cell#empty()}); text cells stay. The title gets the suffix {@code
   * " (standard errors)"}. Meant for a CSV beside {@link #toCsv()}, which prints values only.
   */
  public Table standardErrors() {
    List<List<Cell>> out = new ArrayList<>(rows.size());
    for (List<Cell> row : rows) {
      List<Cell> r = new ArrayList<>(row.size());
      for (Cell cell : row) {
        if (cell instanceof Cell.Value v) {
          r.add(v.standardError().isPresent() ? Cell.of(v.standardError().getAsDouble()) : Cell.empty());
        } else {
          r.add(cell);
        }
      }
      out.add(r);
    }
    String t = title.isEmpty() ? "standard errors" : title + " (standard errors)";
    return new Table(t, headers, out);
  }

  /** Whether any cell carries a standard error. */
  public boolean hasStandardErrors() {
    return rows.stream()
        .flatMap(List::stream)
        .anyMatch(c -> c instanceof Cell.Value v && v.standardError().isPresent());
  }

  /**
   * A GitHub pipe table. The title, when not empty, comes first as a bold line and a blank line.
   * Columns are padded to a common width; a column whose non-empty cells are all numbers is
   * right-aligned ({@code ---:}), any other column left-aligned. Numbers print as {@link
   * Cell.Value#formatted()} ({@code 0.118 ± 0.000412}); {@code |} in text is escaped as {@code
   * \|}.
   */
  public String toMarkdown() {
    int n = headers.size();
    String[] head = new String[n];
    String[][] body = new String[rows.size()][n];
    boolean[] numeric = new boolean[n];
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      head[c] = escapeMarkdown(headers.get(c));
      width[c] = Math.max(3, head[c].length());
      boolean anyNumber = false;
      boolean allNumbers = true;
      for (int r = 0; r < rows.size(); r++) {
        Cell cell = rows.get(r).get(c);
        String s;
        if (cell instanceof Cell.Value v) {
          s = v.formatted();
          anyNumber = true;
        } else if (cell instanceof Cell.Text t) {
          s = escapeMarkdown(t.text());
          allNumbers = false;
        } else {
          s = "";
        }
        body[r][c] = s;
        width[c] = Math.max(width[c], s.length());
      }
      numeric[c] = anyNumber && allNumbers;
    }
    StringBuilder sb = new StringBuilder();
    if (!title.isEmpty()) {
      sb.append("**").append(escapeMarkdown(title)).append("**\n\n");
    }
    appendMarkdownRow(sb, head, width, numeric);
    sb.append('|');
    for (int c = 0; c < n; c++) {
      sb.append(' ');
      if (numeric[c]) {
        sb.append("-".repeat(width[c] - 1)).append(':');
      } else {
        sb.append("-".repeat(width[c]));
      }
      sb.append(" |");
    }
    sb.append('\n');
    for (String[] row : body) {
      appendMarkdownRow(sb, row, width, numeric);
    }
    return sb.toString();
  }

  private static void appendMarkdownRow(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
    sb.append('|');
    for (int c = 0; c < cells.length; c++) {
      String pad = " ".repeat(width[c] - cells[c].length());
      sb.append(' ');
      if (right[c]) {
        sb.append(pad).append(cells[c]);
      } else {
        sb.append(cells[c]).append(pad);
      }
      sb.append(" |");
    }
    sb.append('\n');
  }

  private static String escapeMarkdown(String s) {
    return s.replace("|", "\\|");
  }

  /**
   * RFC 4180 CSV: a header line, then one line per row; LF line endings and a trailing newline
   * (RFC 4180 asks for CRLF: LF keeps the files byte-stable in git across platforms). Numbers
   * print in full as {@link LossFormat#plain(double)} (shortest round-trip digits, e-notation
   * outside [0.001, 10000)) without their standard errors (use {@link
   * #standardErrors()} for those); empty cells are empty fields. A field is quoted when it holds
   * {@code ,}, {@code "} or a leading or trailing space; quotes inside are doubled. A record whose
   * only field is empty is written as {@code ""} (an empty line would read as no record). Cells
   * hold no line breaks (rejected on construction). The title is not written.
   */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    appendCsvRow(sb, headers.stream().map(Table::csvField).toList());
    for (List<Cell> row : rows) {
      List<String> fields = new ArrayList<>(row.size());
      for (Cell cell : row) {
        if (cell instanceof Cell.Value v) {
          fields.add(LossFormat.plain(v.value()));
        } else if (cell instanceof Cell.Text t) {
          fields.add(csvField(t.text()));
        } else {
          fields.add("");
        }
      }
      appendCsvRow(sb, fields);
    }
    return sb.toString();
  }

  private static void appendCsvRow(StringBuilder sb, List<String> fields) {
    if (fields.size() == 1 && fields.get(0).isEmpty()) {
      sb.append("\"\""); // an empty line would read as no record at all
    } else {
      sb.append(String.join(",", fields));
    }
    sb.append('\n');
  }

  /** One CSV field, quoted per RFC 4180 when needed. */
  static String csvField(String s) {
    boolean quote = s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' '));
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Collects rows for a {@link Table}. */
  public static final class Builder {
    private final String title;
    private final List<String> headers;
    private final List<List<Cell>> rows = new ArrayList<>();

    private Builder(String title, List<String> headers) {
      this.title = title;
      this.headers = headers;
    }

    /** Appends a row; its size must match the headers (checked by {@link #build()}). */
    public Builder row(Cell... cells) {
      rows.add(List.of(cells));
      return this;
    }

    /** Appends a row; its size must match the headers (checked by {@link #build()}). */
    public Builder row(List<Cell> cells) {
      rows.add(List.copyOf(cells));
      return this;
    }

    /** The table. */
    public Table build() {
      return new Table(title, headers, rows);
    }
  }
}
