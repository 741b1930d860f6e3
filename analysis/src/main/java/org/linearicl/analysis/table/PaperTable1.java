package org.linearicl.analysis.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.linearicl.baselines.PredictorId;

/**
 * The paper's Table 1 (adjusted evaluation loss), read from the
 * copy bundled with the analysis module ({@code org/linearicl/analysis/paper/table1.csv}).
 *
 * <p>File format: lines starting with {@code #} are comments, blank lines are skipped; the first
 * other line is exactly the header {@code model,layers,u0,u1,u2,u3,u4,u5,u6,u7,c13,c135}; each
 * data line has 12 fields: the {@link PredictorId#label()} of one of {@link #PREDICTORS}, the
 * layer count ({@code 1..7} for GD++, DIAG and FULL, {@code -} for the baselines) and 10
 * non-negative numbers such as {@code 0.118}, {@code 9.91e-05} or {@code 0}. A (model, layers)
 * pair appears at most once. Every error names the source, the line number and what was
 * expected.
 */
public final class PaperTable1 {

  /**
   * The predictors with rows in the paper's Table 1, in its order: the three transformer variants
   * (a row per layer count) and the three ridge baselines (one row each). The file names them by
   * {@link PredictorId#label()}.
   */
  public static final List<PredictorId> PREDICTORS = List.of(PredictorId.GDPP, PredictorId.DIAG,
      PredictorId.FULL, PredictorId.CONST_RR, PredictorId.ADA_RR, PredictorId.TUNED_RR);

  /** The columns: uniform U(0, sigma_max) for sigma_max 0..7, then the two categorical sets. */
  public enum Column {
    /** U(0, 0): noiseless. */
    U0("u0", "U(0,0)"),
    /** U(0, 1). */
    U1("u1", "U(0,1)"),
    /** U(0, 2). */
    U2("u2", "U(0,2)"),
    /** U(0, 3). */
    U3("u3", "U(0,3)"),
    /** U(0, 4). */
    U4("u4", "U(0,4)"),
    /** U(0, 5). */
    U5("u5", "U(0,5)"),
    /** U(0, 6). */
    U6("u6", "U(0,6)"),
    /** U(0, 7). */
    U7("u7", "U(0,7)"),
    /** Categorical {1, 3}. */
    C13("c13", "{1,3}"),
    /** Categorical {1, 3, 5}. */
    C135("c135", "{1,3,5}");

    private final String key;
    private final String display;

    Column(String key, String display) {
      this.key = key;
      this.display = display;
    }

    /** The file's header key, e.g. {@code u5}. */
    public String key() {
      return key;
    }

    /** A human heading, e.g. {@code U(0,5)} or {@code {1,3}}. */
    public String display() {
      return display;
    }

    /** The column with this header key. */
    public static Column fromKey(String key) {
      for (Column c : values()) {
        if (c.key.equals(key)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown column key: " + key);
    }
  }

  /**
   * A row of the table: a transformer variant with its layer count (1..7), or a baseline with none.
   *
   * @param predictor one of {@link #PREDICTORS}
   * @param layers the layer count; present exactly when the predictor is a transformer
   */
  public record RowKey(PredictorId predictor, OptionalInt layers) {
    /** Smallest layer count in the paper's table. */
    public static final int MIN_LAYERS = 1;
    /** Largest layer count in the paper's table. */
    public static final int MAX_LAYERS = 7;

    /** Validates the predictor, and that baselines have no layers and variants have 1..7. */
    public RowKey {
      Objects.requireNonNull(predictor, "predictor");
      Objects.requireNonNull(layers, "layers");
      if (!PREDICTORS.contains(predictor)) {
        throw new IllegalArgumentException(predictor.label() + " has no row in the paper's "
            + "Table 1");
      }
      if (!predictor.isTransformer() && layers.isPresent()) {
        throw new IllegalArgumentException("layers must be absent for baseline "
            + predictor.label());
      }
      if (predictor.isTransformer()) {
        if (layers.isEmpty()) {
          throw new IllegalArgumentException("layers must be present for " + predictor.label());
        }
        int l = layers.getAsInt();
        if (l < MIN_LAYERS || l > MAX_LAYERS) {
          throw new IllegalArgumentException(
              "layers must be in " + MIN_LAYERS + ".." + MAX_LAYERS + ", got " + l);
        }
      }
    }

    /** A transformer row. */
    public static RowKey of(PredictorId predictor, int layers) {
      return new RowKey(predictor, OptionalInt.of(layers));
    }

    /** A baseline row. */
    public static RowKey baseline(PredictorId predictor) {
      return new RowKey(predictor, OptionalInt.empty());
    }

    /** The layer field as the file writes it: the number, or {@code -}. */
    public String layersText() {
      return layers.isPresent() ? Integer.toString(layers.getAsInt()) : "-";
    }
  }

  /** The expected header line. */
  public static final String HEADER = "model,layers,u0,u1,u2,u3,u4,u5,u6,u7,c13,c135";

  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private final Map<RowKey, Map<Column, Double>> rows;

  private PaperTable1(Map<RowKey, Map<Column, Double>> rows) {
    this.rows = rows;
  }

  /** Reads the table from a file (UTF-8); errors name the file. */
  public static PaperTable1 read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses the table's text. {@code source} names it in error messages ({@code source:line:
   * message}).
   *
   * @throws IllegalArgumentException for a malformed header, line, model, layer count or number, or
   *     a repeated row
   */
  public static PaperTable1 parse(String text, String source) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    String[] lines = text.split("\r?\n", -1);
    Map<RowKey, Map<Column, Double>> rows = new LinkedHashMap<>();
    boolean headerSeen = false;
    Column[] columns = Column.values();
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!headerSeen) {
        if (!line.equals(HEADER)) {
          throw error(source, lineNo, "expected the header '" + HEADER + "', found '" + line + "'");
        }
        headerSeen = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 2 + columns.length) {
        throw error(source, lineNo, "expected " + (2 + columns.length)
            + " comma-separated fields (" + HEADER + "), found " + f.length);
      }
      Optional<PredictorId> found = PredictorId.byLabel(f[0]).filter(PREDICTORS::contains);
      if (found.isEmpty()) {
        throw error(source, lineNo, "expected a model in {" + String.join(", ",
            PREDICTORS.stream().map(PredictorId::label).toList()) + "}, found '" + f[0] + "'");
      }
      PredictorId model = found.get();
      RowKey key;
      if (!model.isTransformer()) {
        if (!f[1].equals("-")) {
          throw error(source, lineNo, "expected layers '-' for baseline " + model.label() + ", found '" + f[1] + "'");
        }
        key = RowKey.baseline(model);
      } else {
        int layers = -1;
        if (f[1].matches("[0-9]")) {
          layers = Integer.parseInt(f[1]);
        }
        if (layers < RowKey.MIN_LAYERS || layers > RowKey.MAX_LAYERS) {
          throw error(source, lineNo, "expected layers in " + RowKey.MIN_LAYERS + ".." + RowKey.MAX_LAYERS
              + " for " + model.label() + ", found '" + f[1] + "'");
        }
        key = RowKey.of(model, layers);
      }
      if (rows.containsKey(key)) {
        throw error(source, lineNo, "expected each (model, layers) once, found " + model.label()
            + " " + key.layersText() + " again");
      }
      Map<Column, Double> values = new EnumMap<>(Column.class);
      for (int c = 0; c < columns.length; c++) {
        String cell = f[2 + c];
        if (!NUMBER.matcher(cell).matches()) {
          throw error(source, lineNo, "expected a non-negative number in column " + columns[c].key()
              + ", found '" + cell + "'");
        }
        values.put(columns[c], Double.parseDouble(cell));
      }
      rows.put(key, Collections.unmodifiableMap(values));
    }
    if (!headerSeen) {
      throw error(source, lines.length, "expected the header '" + HEADER + "', found end of input");
    }
    return new PaperTable1(Collections.unmodifiableMap(rows));
  }

  private static IllegalArgumentException error(String source, int line, String message) {
    return new IllegalArgumentException(source + ":" + line + ": " + message);
  }

  /** The rows in file order. */
  public List<RowKey> rows() {
    return List.copyOf(rows.keySet());
  }

  /** The number of data rows. */
  public int rowCount() {
    return rows.size();
  }

  /** The columns, in order (all ten are present in every row). */
  public List<Column> columns() {
    return List.of(Column.values());
  }

  /** The paper's value, if the row is in the table. */
  public OptionalDouble find(RowKey row, Column column) {
    Map<Column, Double> r = rows.get(Objects.requireNonNull(row, "row"));
    return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.get(Objects.requireNonNull(column, "column")));
  }

  /** The paper's value; the row must be in the table. */
  public double value(RowKey row, Column column) {
    return find(row, column).orElseThrow(() -> new IllegalArgumentException(
        "no row " + row.predictor().label() + " " + row.layersText()
            + " in the paper's Table 1"));
  }

  /**
   * The paper's table as a {@link Table}: columns {@code model, layers} and the ten {@link
   * Column#display()} headings, rows in file order.
   */
  public Table toTable() {
    List<String> headers = new ArrayList<>();
    headers.add("model");
    headers.add("layers");
    for (Column c : Column.values()) {
      headers.add(c.display());
    }
    List<List<Cell>> out = new ArrayList<>();
    for (Map.Entry<RowKey, Map<Column, Double>> e : rows.entrySet()) {
      List<Cell> row = new ArrayList<>();
      row.add(Cell.text(e.getKey().predictor().label()));
      row.add(Cell.text(e.getKey().layersText()));
      for (Column c : Column.values()) {
        row.add(Cell.of(e.getValue().get(c)));
      }
      out.add(row);
    }
    return new Table("Table 1 of the paper: adjusted evaluation loss", headers, out);
  }

  /**
   * Our values beside the paper's, one line per cell of {@code ours} that the paper has, in the
   * paper's row order and then column order. Columns: {@code model, layers, setting, ours,
   * paper, difference, diff/SE, relative, flag}, where flag is {@code *} when {@link
   * Comparison#flagged()}. Cells of {@code ours} the paper lacks are skipped.
   *
   * @param ours our value (with its standard error) per row and column
   */
  public Table comparisonTable(Map<RowKey, Map<Column, Cell.Value>> ours) {
    return comparisonTable(ours, null);
  }

  /**
   * {@link #comparisonTable(Map)} with one more column, {@code fragile}: for the cells whose
   * number cannot match the paper, whatever its flag, what {@code fragile} says decides it
   * ({@code 2 of 1000000 sequences}); empty for the others. Such a row leaves {@code diff/SE}
   * empty: a standard error that a few sequences decide measures nothing, and the row must not
   * read as "within 3 SE".
   */
  public Table comparisonTable(Map<RowKey, Map<Column, Cell.Value>> ours,
      BiFunction<RowKey, Column, Optional<String>> fragile) {
    Objects.requireNonNull(ours, "ours");
    List<String> headers = new ArrayList<>(PublishedTable1.COMPARISON_HEADER);
    if (fragile == null) {
      headers.remove("fragile");
    }
    Table.Builder b = Table.builder("Ours beside the paper's Table 1 (flag: differs by more than "
        + "10% or 3 standard errors)", headers.toArray(String[]::new));
    for (Map.Entry<RowKey, Map<Column, Double>> e : rows.entrySet()) {
      Map<Column, Cell.Value> mine = ours.get(e.getKey());
      if (mine == null) {
        continue;
      }
      for (Column c : Column.values()) {
        Cell.Value v = mine.get(c);
        if (v == null) {
          continue;
        }
        if (v.standardError().isEmpty()) {
          throw new IllegalArgumentException("ours for " + e.getKey().predictor().label() + " "
              + e.getKey().layersText() + " " + c.key() + " has no standard error");
        }
        Comparison cmp = new Comparison(v.value(), v.standardError().getAsDouble(), e.getValue().get(c));
        Optional<String> why = fragile == null ? Optional.empty() : fragile.apply(e.getKey(), c);
        List<Cell> row = new ArrayList<>(List.of(Cell.text(e.getKey().predictor().label()),
            Cell.text(e.getKey().layersText()), Cell.text(c.display()), v, Cell.of(cmp.paper()),
            Cell.of(cmp.difference()),
            why.isPresent() ? Cell.empty() : Cell.of(cmp.differenceInStandardErrors()),
            Cell.of(cmp.relativeDifference()), Cell.text(cmp.flagged() ? "*" : "")));
        if (fragile != null) {
          row.add(Cell.text(why.orElse("")));
        }
        b.row(row);
      }
    }
    return b.build();
  }
}
