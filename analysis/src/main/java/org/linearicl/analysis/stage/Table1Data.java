package org.linearicl.analysis.stage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Comparison;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.Model;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;

/**
 * Our Table 1: the adjusted loss (with its standard error over sequences) of the chosen seed of
 * every (variant, layers) and of every baseline, per noise column, beside the paper's values.
 * Shared by the {@code table1} and {@code report} kinds.
 */
final class Table1Data {
  /** One extra row beyond the paper: a label and the baseline name in the evaluation. */
  record Extra(String label, String baseline) {}

  /** Rows we add below the paper's: the Bayes-optimal predictor and the GD estimator. */
  static final List<Extra> EXTRAS = List.of(new Extra("Bayes-optimal", "bayes"),
      new Extra("GD (K=10)", "gd"));

  final PaperTable1 paper;
  final SortedMap<String, Selection> selections;
  /** Our value per paper row and column (absent: not computed). */
  final Map<RowKey, Map<Column, Cell.Value>> ours = new LinkedHashMap<>();
  /** Our value per extra row and column. */
  final Map<Extra, Map<Column, Cell.Value>> extras = new LinkedHashMap<>();

  Table1Data(PaperTable1 paper, SortedMap<String, Selection> selections) {
    this.paper = paper;
    this.selections = selections;
    for (RowKey row : paper.rows()) {
      Map<Column, Cell.Value> m = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        value(row, c).ifPresent(v -> m.put(c, v));
      }
      ours.put(row, m);
    }
    for (Extra x : EXTRAS) {
      Map<Column, Cell.Value> m = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        Selection s = selections.get(c.key());
        if (s != null) {
          s.evaluation().baseline(x.baseline()).map(p -> cell(p.adjusted()))
              .ifPresent(v -> m.put(c, v));
        }
      }
      extras.put(x, m);
    }
  }

  /** The variant name of a model row ({@code GD_PLUS_PLUS} to {@code gdpp}). */
  static String variant(Model m) {
    return switch (m) {
      case GD_PLUS_PLUS -> "gdpp";
      case DIAG -> "diag";
      case FULL -> "full";
      default -> throw new IllegalArgumentException(m + " is a baseline");
    };
  }

  /** The evaluation's name of a baseline row. */
  static String baseline(Model m) {
    return switch (m) {
      case CONST_RR -> "const_rr";
      case ADA_RR -> "ada_rr";
      case TUNED_RR -> "tuned_rr";
      default -> throw new IllegalArgumentException(m + " is no baseline");
    };
  }

  private Optional<Cell.Value> value(RowKey row, Column c) {
    Selection s = selections.get(c.key());
    if (s == null) {
      return Optional.empty();
    }
    if (row.model().isBaseline()) {
      return s.evaluation().baseline(baseline(row.model())).map(PredictorResult::adjusted)
          .map(Table1Data::cell);
    }
    return s.best(variant(row.model()), row.layers().getAsInt()).filter(ModelResult::ok)
        .map(ModelResult::adjusted).map(Table1Data::cell);
  }

  /** A value cell; a standard error that is not finite (one value) is left out. */
  static Cell.Value cell(Estimate e) {
    return Double.isFinite(e.se()) && e.se() >= 0 ? (Cell.Value) Cell.of(e.mean(), e.se())
        : (Cell.Value) Cell.of(e.mean());
  }

  /** The comparison of our cell with the paper's, if both exist and ours is comparable. */
  Optional<Comparison> comparison(RowKey row, Column c) {
    Cell.Value v = ours.get(row).get(c);
    if (v == null || !Double.isFinite(v.value()) || v.standardError().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Comparison(v.value(), v.standardError().getAsDouble(),
        paper.value(row, c)));
  }

  /** Counts of the compared cells. */
  record Counts(int compared, int withinRelative, int withinSe, int withinBoth, int flagged,
      int missing) {}

  Counts counts() {
    int compared = 0;
    int rel = 0;
    int se = 0;
    int both = 0;
    int flagged = 0;
    int missing = 0;
    for (RowKey row : paper.rows()) {
      for (Column c : Column.values()) {
        Optional<Comparison> o = comparison(row, c);
        if (o.isEmpty()) {
          missing++;
          continue;
        }
        Comparison cmp = o.get();
        compared++;
        boolean r = !cmp.exceedsRelativeTolerance();
        boolean s = !cmp.exceedsStandardErrorTolerance();
        rel += r ? 1 : 0;
        se += s ? 1 : 0;
        both += r && s ? 1 : 0;
        flagged += cmp.flagged() ? 1 : 0;
      }
    }
    return new Counts(compared, rel, se, both, flagged, missing);
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
  Optional<Cell.Value> ours(Model m, int layers, Column c) {
    return Optional.ofNullable(ours.get(RowKey.of(m, layers)).get(c));
  }

  /** Our value of a baseline on column c, if computed. */
  Optional<Cell.Value> ours(Model m, Column c) {
    return Optional.ofNullable(ours.get(RowKey.baseline(m)).get(c));
  }

  /** Our value of an extra row (by baseline name) on column c. */
  Optional<Cell.Value> extra(String baseline, Column c) {
    for (Map.Entry<Extra, Map<Column, Cell.Value>> e : extras.entrySet()) {
      if (e.getKey().baseline().equals(baseline)) {
        return Optional.ofNullable(e.getValue().get(c));
      }
    }
    return Optional.empty();
  }

  /** Text of a difference in standard errors: {@code +1.3}, {@code -0.4}, {@code +inf}. */
  static String seText(double z) {
    if (Double.isInfinite(z)) {
      return z > 0 ? "+inf" : "-inf";
    }
    return Inputs.f("%+.1f", z);
  }
}
