package org.linearicl.analysis.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Table 1 as the {@code table1} stage publishes it, read back: {@value #COMPARISON_FILE} (one line
 * per compared cell, {@link PaperTable1#comparisonTable(Map, java.util.function.BiFunction)}) and
 * {@value #SE_FILE} (our standard errors in the paper csv's shape, {@link Table#standardErrors()}).
 * The HTML page and the command that compares two results directories read them here, so both
 * judge a cell alike ({@link Verdict}).
 */
public final class PublishedTable1 {
  /** Ours beside the paper, one line per compared cell, under a results directory. */
  public static final String COMPARISON_FILE = "tables/table1_comparison.csv";

  /** Our standard errors, a row per paper row and a column per noise setting. */
  public static final String SE_FILE = "tables/table1_se.csv";

  private PublishedTable1() {}

  /** A compared cell's verdict against the paper. */
  public enum Verdict {
    /** Within 10% and within 3 standard errors of the paper's value (not flagged). */
    MATCH,
    /** Off the paper's value by more than 10% or more than 3 standard errors (flagged). */
    OFF,
    /** A few sequences decide our number: never a match, whatever its distance. */
    FRAGILE;

    /** {@code match}, {@code off} or {@code fragile}, as the pages print it. */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One line of {@value #COMPARISON_FILE}.
   *
   * @param model the row's label ({@code GD++}, {@code ConstRR})
   * @param layers the layer count, or {@code -} for a baseline
   * @param setting the column's heading ({@code U(0,5)}, {@code {1,3}})
   * @param ours our value
   * @param paper the paper's value
   * @param differenceInSe (ours - paper) / our standard error; empty for a fragile cell
   * @param flagged whether the cell is off by more than 10% or 3 standard errors
   * @param fragile how many sequences decide a fragile cell ({@code 2 of 1000000 sequences}),
   *     else empty
   */
  public record Compared(String model, String layers, String setting, double ours, double paper,
      OptionalDouble differenceInSe, boolean flagged, String fragile) {
    /** {@code model|layers|setting}, the key {@link #standardErrors} uses too. */
    public String key() {
      return PublishedTable1.key(model, layers, setting);
    }

    /** {@link Verdict#FRAGILE} when fragile, else {@link Verdict#OFF} when flagged, else match. */
    public Verdict verdict() {
      return !fragile.isEmpty() ? Verdict.FRAGILE : flagged ? Verdict.OFF : Verdict.MATCH;
    }
  }

  /** The header {@value #COMPARISON_FILE} has: the comparison table's, with its fragile column. */
  public static final List<String> COMPARISON_HEADER = List.of("model", "layers", "setting",
      "ours", "paper", "difference", "diff/SE", "relative", "flag", "fragile");

  /**
   * The last column the table1 stage adds to {@link #COMPARISON_HEADER}: how many seeds the
   * cell's model had (empty for a baseline). A file written before it has no such column; both
   * read alike.
   */
  public static final String SEEDS_COLUMN = "seeds";

  /**
   * The lines of a {@value #COMPARISON_FILE} text, in its order.
   *
   * @param text the file's text (not modified)
   * @throws IllegalArgumentException for an empty text, another header, a short line or a number
   *     that does not parse; the message says what was expected, the caller names the file
   */
  public static List<Compared> comparison(String text) {
    List<List<String>> rows = records(text);
    List<String> header = rows.get(0);
    List<String> withSeeds = new ArrayList<>(COMPARISON_HEADER);
    withSeeds.add(SEEDS_COLUMN);
    if (!header.equals(COMPARISON_HEADER) && !header.equals(withSeeds)) {
      throw new IllegalArgumentException("header " + header + "; expected the table1 "
          + "stage's comparison table");
    }
    List<Compared> out = new ArrayList<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      if (r.size() != header.size()) {
        throw new IllegalArgumentException("a line of " + r.size() + " fields; expected "
            + header.size() + " (" + String.join(",", header) + ")");
      }
      out.add(new Compared(r.get(0), r.get(1), r.get(2), number(r.get(3)), number(r.get(4)),
          r.get(6).isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(number(r.get(6))),
          !r.get(8).isEmpty(), r.get(9)));
    }
    return out;
  }

  /**
   * Our standard error per cell of a {@value #SE_FILE} text, by {@code model|layers|setting}
   * ({@link Compared#key()}, the setting as its heading: {@code U(0,5)}), in the file's order;
   * empty cells are left out.
   *
   * @param text the file's text (not modified)
   * @throws IllegalArgumentException for an empty text, a column that is not one of the paper's
   *     or a number that does not parse
   */
  public static Map<String, Double> standardErrors(String text) {
    List<List<String>> rows = records(text);
    List<String> header = rows.get(0);
    Map<String, Double> out = new LinkedHashMap<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      for (int i = 2; i < Math.min(r.size(), header.size()); i++) {
        if (!r.get(i).isEmpty()) {
          String setting = PaperTable1.Column.fromKey(header.get(i)).display();
          out.put(key(r.get(0), r.get(1), setting), number(r.get(i)));
        }
      }
    }
    return out;
  }

  /** {@code model|layers|setting}: the key of a cell ({@link Compared#key()}). */
  public static String key(String model, String layers, String setting) {
    return model + "|" + layers + "|" + setting;
  }

  private static List<List<String>> records(String text) {
    List<List<String>> rows = Csv.parse(Objects.requireNonNull(text, "text"));
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("empty; expected a header and rows");
    }
    return rows;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number; expected the table1 "
          + "stage's table", e);
    }
  }
}
