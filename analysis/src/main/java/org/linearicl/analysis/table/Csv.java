package org.linearicl.analysis.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as {@link Table#toCsv()} writes it (RFC 4180): the records of a text, each split into
 * its fields.
 */
public final class Csv {
  private Csv() {}

  /**
   * The records of {@code text}, one per line (LF, CRLF or CR), empty lines skipped; each record's
   * fields split at the commas outside double quotes, a field's enclosing quotes removed and a
   * doubled quote inside a quoted field read as one ({@code "a ""b"", c"} is {@code a "b", c}).
   * A record never spans lines (a {@link Table} cell holds no line break). Empty when the text
   * has no record; the caller says what it expected.
   *
   * @param text the CSV text (not modified)
   * @return the records in order, each a list of its fields
   */
  public static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.split("\r\n|\r|\n")) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"') {
          if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = !quoted;
          }
        } else if (c == ',' && !quoted) {
          fields.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      fields.add(f.toString());
      rows.add(fields);
    }
    return rows;
  }
}
