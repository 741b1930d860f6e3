package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Comparison;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.PredictorId;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;

/**
 * Our Table 1: the adjusted loss (with its standard error over sequences) of the chosen seed of
 * every (variant, layers) and of every baseline, per noise column, beside the paper's values.
 * A cell whose number is unstable ({@link Stability}) is kept and marked, and never counts as
 * matching the paper. Shared by the {@code table1} and {@code report} kinds.
 */
final class Table1Data {
  /** Rows we add below the paper's: the Bayes-optimal predictor and the GD estimator. */
  static final List<PredictorId> EXTRAS = List.of(PredictorId.BAYES, PredictorId.GD);

  /** The row label of an extra row: its label, the GD estimator's with its K. */
  static String extraLabel(PredictorId p) {
    return p == PredictorId.GD ? p.label() + " (K=" + BaselineStudy.GD_SUMMARY_K + ")"
        : p.label();
  }

  final PaperTable1 paper;
  final SortedMap<String, Selection> selections;
  /** Our value per paper row and column (absent: not computed). */
  final Map<RowKey, Map<Column, Cell.Value>> ours = new LinkedHashMap<>();
  /** The chosen model behind each computed cell of a model row. */
  final Map<RowKey, Map<Column, ModelResult>> chosen = new LinkedHashMap<>();
  /** Why a computed cell is unstable, for the unstable cells only. */
  final Map<RowKey, Map<Column, Instability>> unstable = new LinkedHashMap<>();
  /** Our value per extra row and column. */
  final Map<PredictorId, Map<Column, Cell.Value>> extras = new LinkedHashMap<>();
  /** Why an extra row's value is unstable, for the unstable ones only. */
  final Map<PredictorId, Map<Column, Instability>> extrasUnstable = new LinkedHashMap<>();

  /**
   * Why a number is unstable.
   *
   * @param sequences how many sequences decide it ({@code 2 of 1000000 sequences}, {@link
   *     Stability#sequences})
   * @param why the rule it breaks ({@link Stability#of}, {@link Stability#dominance})
   */
  record Instability(String sequences, String why) {
    /**
     * {@code fragile: 2 of 1000000 sequences}, as the table cell and the list print it: a cell
     * is "fragile", not "unstable", since "unstable" is said of models (their tail check).
     */
    String mark() {
      return "fragile: " + sequences;
    }

    static Optional<Instability> of(ModelResult m) {
      return Stability.of(m).map(w -> new Instability(Stability.sequences(m).orElseThrow(), w));
    }

    static Optional<Instability> of(Estimate e) {
      return Stability.dominance(e).map(w -> new Instability(Stability.sequences(e), w));
    }
  }

  Table1Data(PaperTable1 paper, SortedMap<String, Selection> selections) {
    this.paper = paper;
    this.selections = selections;
    for (RowKey row : paper.rows()) {
      Map<Column, Cell.Value> m = new EnumMap<>(Column.class);
      Map<Column, ModelResult> models = new EnumMap<>(Column.class);
      Map<Column, Instability> why = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        Selection s = selections.get(c.key());
        if (s == null) {
          continue;
        }
        if (!row.predictor().isTransformer()) {
          s.evaluation().baseline(row.predictor().id()).map(PredictorResult::adjusted)
              .ifPresent(e -> {
                m.put(c, cell(e));
                Instability.of(e).ifPresent(w -> why.put(c, w));
              });
        } else {
          s.best(row.predictor().variant(), row.layers().getAsInt()).ifPresent(r -> {
            m.put(c, cell(r.adjusted()));
            models.put(c, r);
            Instability.of(r).ifPresent(w -> why.put(c, w));
          });
        }
      }
      ours.put(row, m);
      chosen.put(row, models);
      unstable.put(row, why);
    }
    for (PredictorId x : EXTRAS) {
      Map<Column, Cell.Value> m = new EnumMap<>(Column.class);
      Map<Column, Instability> why = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        Selection s = selections.get(c.key());
        if (s != null) {
          s.evaluation().baseline(x.id()).map(PredictorResult::adjusted).ifPresent(e -> {
            m.put(c, cell(e));
            Instability.of(e).ifPresent(w -> why.put(c, w));
          });
        }
      }
      extras.put(x, m);
      extrasUnstable.put(x, why);
    }
  }

  /** A value cell; a standard error that is not finite (one value) is left out. */
  static Cell.Value cell(Estimate e) {
    return Double.isFinite(e.se()) && e.se() >= 0 ? (Cell.Value) Cell.of(e.mean(), e.se())
        : (Cell.Value) Cell.of(e.mean());
  }

  /** Why our cell is unstable, if it is. */
  Optional<Instability> unstable(RowKey row, Column c) {
    return Optional.ofNullable(unstable.get(row).get(c));
  }

  /** Whether our cell is computed and unstable. */
  boolean isUnstable(RowKey row, Column c) {
    return unstable.get(row).containsKey(c);
  }

  /** The chosen model of a model row's cell, if computed. */
  Optional<ModelResult> chosen(RowKey row, Column c) {
    return Optional.ofNullable(chosen.get(row).get(c));
  }

  /**
   * The comparison of our cell with the paper's, if both exist and ours has a finite value and a
   * standard error. An unstable cell has one too, but {@link #counts()} never counts it as a
   * match, and the pages show no distance in standard errors for it.
   */
  Optional<Comparison> comparison(RowKey row, Column c) {
    Cell.Value v = ours.get(row).get(c);
    if (v == null || !Double.isFinite(v.value()) || v.standardError().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Comparison(v.value(), v.standardError().getAsDouble(),
        paper.value(row, c)));
  }

  /**
   * Counts of the paper's cells.
   *
   * @param computed cells we have a value for
   * @param unstable computed cells whose number is unstable (never a match)
   * @param compared stable cells with a comparison (the base of the next five counts)
   * @param reached compared cells that reach the paper's value ({@link Comparison#reaches()})
   * @param missing cells not computed
   */
  record Counts(int computed, int unstable, int compared, int reached, int withinRelative,
      int withinSe, int withinBoth, int flagged, int missing) {
    int total() {
      return computed + missing;
    }
  }

  Counts counts() {
    int computed = 0;
    int unstableCells = 0;
    int compared = 0;
    int reached = 0;
    int rel = 0;
    int se = 0;
    int both = 0;
    int flagged = 0;
    int missing = 0;
    for (RowKey row : paper.rows()) {
      for (Column c : Column.values()) {
        if (!ours.get(row).containsKey(c)) {
          missing++;
          continue;
        }
        computed++;
        if (isUnstable(row, c)) {
          unstableCells++;
          continue;
        }
        Optional<Comparison> o = comparison(row, c);
        if (o.isEmpty()) {
          continue;
        }
        Comparison cmp = o.get();
        compared++;
        reached += cmp.reaches() ? 1 : 0;
        boolean r = !cmp.exceedsRelativeTolerance();
        boolean s = !cmp.exceedsStandardErrorTolerance();
        rel += r ? 1 : 0;
        se += s ? 1 : 0;
        both += r && s ? 1 : 0;
        flagged += cmp.flagged() ? 1 : 0;
      }
    }
    return new Counts(computed, unstableCells, compared, reached, rel, se, both, flagged,
        missing);
  }

  /**
   * Slack of the nesting check, relative to the simpler model's value, beside 3 combined
   * standard errors: two models evaluated on the same sequences are correlated, and a richer
   * model trained by a finite recipe may stop a little above the one it contains.
   */
  static final double NESTING_SLACK = 0.02;

  /** The models of Table 1 from the simplest: each contains the one before it. */
  private static final List<PredictorId> NESTED = List.of(PredictorId.GDPP, PredictorId.DIAG,
      PredictorId.FULL);

  /**
   * The nesting violations among the stable cells, in table order. GD++ is a special case of
   * DIAG and DIAG of FULL, and an L-layer model contains the (L-1)-layer one (an identity layer
   * put first), so DIAG-L <= GD++-L, FULL-L <= DIAG-L and X-L <= X-(L-1) hold at the optimum; a
   * violation is a richer cell above the simpler one by more than 3 combined standard errors
   * plus {@link #NESTING_SLACK} of the simpler value.
   */
  List<String> nestingViolations() {
    List<String> out = new ArrayList<>();
    for (RowKey row : paper.rows()) {
      if (!row.predictor().isTransformer()) {
        continue;
      }
      int layers = row.layers().getAsInt();
      int i = NESTED.indexOf(row.predictor());
      for (Column c : Column.values()) {
        if (i > 0) {
          nesting(row, RowKey.of(NESTED.get(i - 1), layers), c).ifPresent(out::add);
        }
        if (layers > 1) {
          nesting(row, RowKey.of(row.predictor(), layers - 1), c).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  private Optional<String> nesting(RowKey richer, RowKey simpler, Column c) {
    if (!paper.rows().contains(simpler) || isUnstable(richer, c) || isUnstable(simpler, c)) {
      return Optional.empty();
    }
    Cell.Value r = ours.get(richer).get(c);
    Cell.Value s = ours.get(simpler).get(c);
    if (r == null || s == null) {
      return Optional.empty();
    }
    double se = Math.hypot(r.standardError().orElse(0), s.standardError().orElse(0));
    if (!(r.value() > s.value() * (1 + NESTING_SLACK) + Comparison.SE_TOLERANCE * se)) {
      return Optional.empty();
    }
    return Optional.of(new CellKey(richer, c).label() + ": " + r.formatted() + " above "
        + new CellKey(simpler, c).label() + ": " + s.formatted());
  }

  /** A cell of the paper's table. */
  record CellKey(RowKey row, Column column) {
    /** {@code DIAG 3, U(0,5)} or {@code TunedRR, {1,3}}. */
    String label() {
      return row.predictor().label() + (row.layers().isPresent() ? " " + row.layersText() : "")
          + ", " + column.display();
    }
  }

  /** The unstable cells, in the paper's row order and then column order. */
  List<CellKey> unstableCells() {
    List<CellKey> out = new ArrayList<>();
    for (RowKey row : paper.rows()) {
      for (Column c : Column.values()) {
        if (isUnstable(row, c)) {
          out.add(new CellKey(row, c));
        }
      }
    }
    return out;
  }

  /**
   * The stable model cells (GD++, DIAG, FULL) that are below the paper's value by more than
   * {@link Comparison#SE_TOLERANCE} of our standard errors, in table order.
   */
  List<CellKey> belowPaper() {
    List<CellKey> out = new ArrayList<>();
    for (RowKey row : paper.rows()) {
      if (!row.predictor().isTransformer()) {
        continue;
      }
      for (Column c : Column.values()) {
        if (isUnstable(row, c)) {
          continue;
        }
        comparison(row, c).filter(cmp -> cmp.differenceInStandardErrors()
            < -Comparison.SE_TOLERANCE).ifPresent(cmp -> out.add(new CellKey(row, c)));
      }
    }
    return out;
  }

  /**
   * Whether the chosen model's value on the second evaluation set is also below the paper's by
   * more than {@link Comparison#SE_TOLERANCE} of that value's standard error.
   */
  static boolean confirmedBelow(Estimate confirm, double paperValue) {
    return Double.isFinite(confirm.mean()) && Double.isFinite(confirm.se())
        && confirm.se() >= 0 && paperValue - confirm.mean() > Comparison.SE_TOLERANCE
        * confirm.se();
  }

  /** The columns for which a selection exists, in order. */
  List<Column> computedColumns() {
    List<Column> out = new ArrayList<>();
    for (Column c : Column.values()) {
      if (selections.containsKey(c.key())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Our value of (model, layers) on column c, if computed. */
  Optional<Cell.Value> ours(PredictorId m, int layers, Column c) {
    return Optional.ofNullable(ours.get(RowKey.of(m, layers)).get(c));
  }

  /** Our value of (model, layers) on column c, if computed and stable. */
  Optional<Cell.Value> stable(PredictorId m, int layers, Column c) {
    RowKey row = RowKey.of(m, layers);
    return isUnstable(row, c) ? Optional.empty() : ours(m, layers, c);
  }

  /** Our value of a baseline on column c, if computed. */
  Optional<Cell.Value> ours(PredictorId m, Column c) {
    return Optional.ofNullable(ours.get(RowKey.baseline(m)).get(c));
  }

  /** Our value of a baseline on column c, if computed and stable. */
  Optional<Cell.Value> stable(PredictorId m, Column c) {
    return isUnstable(RowKey.baseline(m), c) ? Optional.empty() : ours(m, c);
  }

  /** Why an extra row's value on column c is unstable, if it is. */
  Optional<Instability> extraUnstable(PredictorId x, Column c) {
    return Optional.ofNullable(extrasUnstable.get(x).get(c));
  }

  /** Our value of an extra row on column c. */
  Optional<Cell.Value> extra(PredictorId x, Column c) {
    Map<Column, Cell.Value> m = extras.get(x);
    return m == null ? Optional.empty() : Optional.ofNullable(m.get(c));
  }

  /**
   * Text of a difference in standard errors: {@code +1.3}, {@code -0.4}, {@code +inf}; from
   * 10000 on in e-notation ({@code +3.20e+80}).
   */
  static String seText(double z) {
    if (Double.isInfinite(z)) {
      return z > 0 ? "+inf" : "-inf";
    }
    if (Math.abs(z) >= LossFormat.SCIENTIFIC_ABOVE) {
      return (z > 0 ? "+" : "") + LossFormat.format(z);
    }
    return Prose.f("%+.1f", z);
  }
}
