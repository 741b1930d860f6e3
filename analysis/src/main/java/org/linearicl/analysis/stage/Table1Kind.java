package org.linearicl.analysis.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Comparison;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code table1}: Table 1 of the paper regenerated from the {@code select-*} stages,
 * beside the paper's values, plus the tuned baselines and the training cost.
 *
 * <p>Files: {@code tables/table1.md} (ours ± se beside the paper, difference in standard errors,
 * flags), {@code tables/table1.csv} and {@code tables/table1_se.csv} (exactly the paper csv's
 * header and rows; cells not computed are empty), {@code tables/table1_comparison.csv} (one line
 * per compared cell), {@code tables/baselines.md}/{@code .csv}, {@code
 * tables/training_cost.md}/{@code .csv}.
 */
public final class Table1Kind implements StageKind {
  @Override
  public String name() {
    return "table1";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String description() {
    return "Table 1 (adjusted loss, ours beside the paper's), tuned baselines and training cost"
        + " from the select-* stages";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of();
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    SortedMap<String, Selection> sel = Inputs.selections(inputs, params.stage());
    Table1Data data = new Table1Data(Inputs.paperTable1(), sel);
    Table csv = csvTable(data);
    Table baselines = baselines(sel);
    Table cost = trainingCost(sel);
    return Artifact.builder()
        .text("tables/table1.md", markdown(data))
        .text("tables/table1.csv", csv.toCsv())
        .text("tables/table1_se.csv", csv.standardErrors().toCsv())
        .text("tables/table1_comparison.csv", data.paper.comparisonTable(comparable(data)).toCsv())
        .text("tables/baselines.md", baselines.toMarkdown() + baselinesNote())
        .text("tables/baselines.csv", baselines.toCsv())
        .text("tables/training_cost.md", cost.toMarkdown())
        .text("tables/training_cost.csv", cost.toCsv())
        .build();
  }

  /** Ours in the paper csv's exact shape: header {@link PaperTable1#HEADER}, the paper's rows. */
  static Table csvTable(Table1Data data) {
    List<String> headers = new ArrayList<>(List.of(PaperTable1.HEADER.split(",")));
    List<List<Cell>> rows = new ArrayList<>();
    for (RowKey row : data.paper.rows()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(row.model().label()));
      r.add(Cell.text(row.layersText()));
      for (Column c : Column.values()) {
        Cell.Value v = data.ours.get(row).get(c);
        r.add(v == null ? Cell.empty() : v);
      }
      rows.add(r);
    }
    return new Table("", headers, rows);
  }

  private static Map<RowKey, Map<Column, Cell.Value>> comparable(Table1Data data) {
    Map<RowKey, Map<Column, Cell.Value>> out = Inputs.linked();
    for (Map.Entry<RowKey, Map<Column, Cell.Value>> e : data.ours.entrySet()) {
      Map<Column, Cell.Value> m = new java.util.EnumMap<>(Column.class);
      e.getValue().forEach((c, v) -> {
        if (v.standardError().isPresent() && Double.isFinite(v.value())) {
          m.put(c, v);
        }
      });
      out.put(e.getKey(), m);
    }
    return out;
  }

  /** The Markdown page: the wide table, the extra rows, and the counts. */
  static String markdown(Table1Data data) {
    List<String> headers = new ArrayList<>(List.of("model", "layers"));
    for (Column c : Column.values()) {
      headers.add(c.display());
    }
    Table.Builder b = Table.builder("Table 1: adjusted evaluation loss, ours ± standard error "
        + "(over sequences, chosen seed) vs the paper's value (difference in our standard "
        + "errors); (!) = off by more than 10% or 3 SE", headers.toArray(String[]::new));
    for (RowKey row : data.paper.rows()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(row.model().label()));
      r.add(Cell.text(row.layersText()));
      for (Column c : Column.values()) {
        r.add(Cell.text(cellText(data, row, c)));
      }
      b.row(r);
    }
    for (Map.Entry<Table1Data.Extra, Map<Column, Cell.Value>> e : data.extras.entrySet()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(e.getKey().label() + " (not in paper)"));
      r.add(Cell.text("-"));
      for (Column c : Column.values()) {
        Cell.Value v = e.getValue().get(c);
        r.add(Cell.text(v == null ? "" : v.formatted()));
      }
      b.row(r);
    }
    Table1Data.Counts n = data.counts();
    StringBuilder sb = new StringBuilder();
    sb.append("# Table 1\n\n");
    sb.append(b.build().toMarkdown()).append('\n');
    sb.append(Inputs.f("Compared %d of the paper's %d cells (%d not computed by this profile): "
        + "%d within 10%% of the paper, %d within 3 standard errors, %d within both; "
        + "%d flagged (off by more than 10%% or more than 3 SE).\n",
        n.compared(), n.compared() + n.missing(), n.missing(), n.withinRelative(), n.withinSe(),
        n.withinBoth(), n.flagged()));
    sb.append("\nOur standard errors are over the evaluation sequences of the chosen seed "
        + "(the best validation loss among the seeds); `table1_se.csv` has them, "
        + "`table1_comparison.csv` one line per compared cell. The paper's values are copied "
        + "from arXiv 2402.14180v2, Table 1, and carry their own sampling and rounding error: a "
        + "flag asks for a look, not a verdict.\n");
    return sb.toString();
  }

  static String cellText(Table1Data data, RowKey row, Column c) {
    Cell.Value v = data.ours.get(row).get(c);
    String paper = LossFormat.format(data.paper.value(row, c));
    if (v == null) {
      return "— (paper " + paper + ")";
    }
    Optional<Comparison> cmp = data.comparison(row, c);
    if (cmp.isEmpty()) {
      return v.formatted() + " (paper " + paper + ")";
    }
    return v.formatted() + " (paper " + paper + ", "
        + Table1Data.seText(cmp.get().differenceInStandardErrors()) + " SE)"
        + (cmp.get().flagged() ? " (!)" : "");
  }

  /** Tuned baseline parameters and the reference losses per noise setting. */
  static Table baselines(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Tuned baselines per noise distribution (tuned on their own "
        + "sequences) and the reference losses", "noise", "setting", "ConstRR lambda",
        "TunedRR c", "TunedRR t", "GD K", "GD eta", "oracle loss", "Bayes-optimal loss",
        "Bayes-optimal adjusted", "GD adjusted");
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Evaluation ev = e.getValue().evaluation();
      TunedBaselines t = ev.tuned();
      double[] eta = t.gdEta();
      int k = Math.min(10, eta.length);
      b.row(Cell.text(e.getKey()), Cell.text(Inputs.display(e.getKey())),
          Cell.of(t.constLambda()), Cell.of(t.tunedFactor()), Cell.of(t.tunedThreshold()),
          Cell.text(k == 0 ? "" : Integer.toString(k)), k == 0 ? Cell.empty() : Cell.of(eta[k - 1]),
          ev.oracleLoss() == null ? Cell.empty() : Table1Data.cell(ev.oracleLoss()),
          ev.baseline("bayes").map(p -> (Cell) Table1Data.cell(p.loss())).orElse(Cell.empty()),
          ev.baseline("bayes").map(p -> (Cell) Table1Data.cell(p.adjusted())).orElse(Cell.empty()),
          ev.baseline("gd").map(p -> (Cell) Table1Data.cell(p.adjusted())).orElse(Cell.empty()));
    }
    return b.build();
  }

  private static String baselinesNote() {
    return "\nConstRR: ridge with one lambda. TunedRR: lambda = c * min(sigma_est^2, t). GD: the "
        + "iterative estimator of sec. 6 with K steps of size eta. Losses are 0.5 E[(y_hat - "
        + "y_t)^2]; adjusted = minus the oracle (ridge with the true sigma) on the same "
        + "sequences.\n";
  }

  /** Per trained model: the deterministic budget (no wall times). */
  static Table trainingCost(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Training cost per model (sequences = steps x batch of the "
        + "successful attempt)", "noise", "variant", "layers", "seed", "stage", "steps", "batch",
        "sequences", "lr", "restarts", "status");
    long total = 0;
    int models = 0;
    for (Map.Entry<String, ModelResult> e : Inputs.allModels(sel)) {
      ModelResult m = e.getValue();
      long seqs = Math.multiplyExact(m.steps(), (long) m.batch());
      total += seqs;
      models++;
      b.row(Cell.text(e.getKey()), Cell.text(Inputs.label(m.variant())),
          Cell.text(Integer.toString(m.layers())), Cell.text(Long.toString(m.seed())),
          Cell.text(m.stage()), Cell.text(Long.toString(m.steps())),
          Cell.text(Integer.toString(m.batch())), Cell.text(Long.toString(seqs)),
          Cell.text(LossFormat.plain(m.lr())), Cell.text(Integer.toString(m.restarts())),
          Cell.text(m.status()));
    }
    b.row(Cell.text("total"), Cell.text(""), Cell.text(""), Cell.text(""),
        Cell.text(models + " models"), Cell.text(""), Cell.text(""), Cell.text(Long.toString(total)),
        Cell.text(""), Cell.text(""), Cell.text(""));
    return b.build();
  }
}
