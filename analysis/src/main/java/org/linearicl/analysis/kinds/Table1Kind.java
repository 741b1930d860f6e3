package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Comparison;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.analysis.table.PublishedTable1;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.PredictorId;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.train.TailCheck;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;
import static org.linearicl.baselines.PredictorId.BAYES;
import static org.linearicl.baselines.PredictorId.CONST_RR;
import static org.linearicl.baselines.PredictorId.GD;
import static org.linearicl.baselines.PredictorId.ORACLE;
import static org.linearicl.baselines.PredictorId.TUNED_RR;


/**
 * Stage kind {@code table1}: Table 1 of the paper regenerated from the {@code select-*} stages,
 * beside the paper's values, plus the tuned baselines and the training of every model.
 *
 * <p>Files: {@value #MARKDOWN} (ours ± se beside the paper, difference in standard errors,
 * flags, fragile cells marked and listed), {@value #CSV} and {@value #SE_CSV} (exactly the
 * paper csv's header and rows, plain numbers; cells not computed are empty), {@value
 * #COMPARISON_CSV} (one line per compared cell, with its flag and whether it is fragile),
 * {@value #BASELINES_MD} and {@value #BASELINES_CSV}, {@value #TRAINING_MD} and {@value
 * #TRAINING_CSV} (one line per trained model: its status, chosen candidate, cost and tail
 * check), and {@link ModelTables}: {@value ModelTables#READOUT_CSV}, {@value
 * ModelTables#PROFILES_CSV} and {@value ModelTables#SEEDS_CSV}. The comparison has a column
 * {@value PublishedTable1#SEEDS_COLUMN}: how many seeds the cell's model had.
 */
public final class Table1Kind extends DeclaredKind {
  static final String MARKDOWN = "tables/table1.md";
  static final String CSV = "tables/table1.csv";
  static final String SE_CSV = PublishedTable1.SE_FILE;
  static final String COMPARISON_CSV = PublishedTable1.COMPARISON_FILE;
  static final String BASELINES_MD = "tables/baselines.md";
  static final String BASELINES_CSV = "tables/baselines.csv";
  static final String TRAINING_MD = "tables/training_cost.md";
  static final String TRAINING_CSV = "tables/training_cost.csv";
  static final String LATEX = "tables/table1.tex";

  /** The tables this kind publishes, in reading order. */
  static final List<String> TABLES = Stream.of(List.of(MARKDOWN, CSV, SE_CSV, COMPARISON_CSV,
      BASELINES_MD, BASELINES_CSV, TRAINING_MD, TRAINING_CSV, LATEX), ModelTables.TABLES)
      .flatMap(List::stream).toList();

  public Table1Kind() {
    super("table1",
        7, // 4: unstable cells say how many sequences decide them; round-off zeros; CSV
        // numbers outside [0.001, 10000) in e-notation; 5: such cells are "fragile" (the word
        // "unstable" is the models'); 6: table1.tex; 7: seeds per cell, the per-model tables
        // (read-out by layer, profiles, seeds)
        "Table 1 (adjusted loss, ours beside the paper's, fragile cells marked), tuned "
            + "baselines and the training of every model from the select-* stages",
        List.of());
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(inputs, params.stage());
    Table1Data data = new Table1Data(PaperLayout.paperTable1(), sel);
    Table csv = csvTable(data);
    Table baselines = baselines(sel);
    Table training = training(sel);
    return Artifact.builder()
        .text(MARKDOWN, markdown(data))
        .text(CSV, csv.toCsv())
        .text(SE_CSV, csv.standardErrors().toCsv())
        .text(COMPARISON_CSV, withSeeds(data,
            data.paper.comparisonTable(comparable(data),
                (row, c) -> data.unstable(row, c).map(Table1Data.Instability::sequences)))
            .toCsv())
        .text(BASELINES_MD, baselines.toMarkdown() + baselinesNote())
        .text(BASELINES_CSV, baselines.toCsv())
        .text(TRAINING_MD, training.toMarkdown() + trainingNote())
        .text(TRAINING_CSV, training.toCsv())
        .text(LATEX, latex(data))
        .text(ModelTables.READOUT_CSV, ModelTables.readoutByLayer(sel).toCsv())
        .text(ModelTables.PROFILES_CSV, ModelTables.profiles(sel).toCsv())
        .text(ModelTables.SEEDS_CSV, ModelTables.seeds(sel).toCsv())
        .build();
  }

  /** Ours in the paper csv's exact shape: header {@link PaperTable1#HEADER}, the paper's rows. */
  static Table csvTable(Table1Data data) {
    List<String> headers = new ArrayList<>(List.of(PaperTable1.HEADER.split(",")));
    List<List<Cell>> rows = new ArrayList<>();
    for (RowKey row : data.paper.rows()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(row.predictor().label()));
      r.add(Cell.text(row.layersText()));
      for (Column c : Column.values()) {
        Cell.Value v = data.ours.get(row).get(c);
        r.add(v == null ? Cell.empty() : v);
      }
      rows.add(r);
    }
    return new Table("", headers, rows);
  }

  /** How many seeds the model of a computed model cell had, by {@link PublishedTable1#key}. */
  static Map<String, Integer> seedCounts(Table1Data data) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (RowKey row : data.paper.rows()) {
      for (Column c : Column.values()) {
        data.chosen(row, c).ifPresent(m -> data.selections.get(c.key())
            .choice(m.variant(), m.layers()).ifPresent(ch -> out.put(
                PublishedTable1.key(row.predictor().label(), row.layersText(), c.display()),
                ch.seeds().size())));
      }
    }
    return out;
  }

  /** The comparison with a last column: the seeds of the cell's model (empty for a baseline). */
  static Table withSeeds(Table1Data data, Table comparison) {
    Map<String, Integer> seeds = seedCounts(data);
    List<String> headers = new ArrayList<>(comparison.headers());
    headers.add(PublishedTable1.SEEDS_COLUMN);
    List<List<Cell>> rows = new ArrayList<>();
    for (List<Cell> r : comparison.rows()) {
      Integer n = seeds.get(PublishedTable1.key(text(r.get(0)), text(r.get(1)), text(r.get(2))));
      List<Cell> row = new ArrayList<>(r);
      row.add(n == null ? Cell.empty() : Cell.text(Integer.toString(n)));
      rows.add(row);
    }
    return new Table(comparison.title(), headers, rows);
  }

  private static String text(Cell c) {
    return c instanceof Cell.Text t ? t.text() : "";
  }

  /** The line under Table 1 that says how many seeds each model cell had. */
  static String seedsText(Table1Data data) {
    Map<Integer, Integer> cells = new java.util.TreeMap<>();
    for (int n : seedCounts(data).values()) {
      cells.merge(n, 1, Integer::sum);
    }
    if (cells.isEmpty()) {
      return "Seeds per model cell: none computed.";
    }
    List<String> parts = new ArrayList<>();
    cells.forEach((n, k) -> parts.add(Prose.f("%d cell%s with %d seed%s", k, k == 1 ? "" : "s",
        n, n == 1 ? "" : "s")));
    return "Seeds per model cell (the chosen one is reported; `seeds.csv` has them all): "
        + String.join(", ", parts) + ".";
  }

  private static Map<RowKey, Map<Column, Cell.Value>> comparable(Table1Data data) {
    Map<RowKey, Map<Column, Cell.Value>> out = new LinkedHashMap<>();
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

  /**
   * Ours in the layout the paper prints Table 1: a booktabs tabular, one block of GD++, DIAG and
   * FULL per layer count, then the baselines; columns the uniform sigma_max 0..7 and the
   * categorical sets; numbers in the paper's format ({@link LossFormat#paper}). A cell this
   * profile did not compute is "--", a fragile one carries a dagger, a round-off one is 0.
   */
  static String latex(Table1Data data) {
    List<Column> uniform = new ArrayList<>();
    List<Column> categorical = new ArrayList<>();
    for (Column c : Column.values()) {
      (c.key().startsWith("u") ? uniform : categorical).add(c);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("% Table 1 regenerated: adjusted evaluation loss (loss minus the oracle ridge's), "
        + "ours, in the paper's layout.\n% Needs \\usepackage{booktabs}. -- = not computed by "
        + "this profile; \\dag = fragile: a few sequences decide it (tables/table1.md says why).\n");
    sb.append("\\begin{tabular}{ll").append("r".repeat(uniform.size() + categorical.size()))
        .append("}\n\\toprule\n");
    int u0 = 3;
    int u1 = u0 + uniform.size() - 1;
    sb.append(Prose.f(" & & \\multicolumn{%d}{c}{$\\sigma \\sim U(0, \\sigma_{max})$} & "
        + "\\multicolumn{%d}{c}{$\\sigma \\in S$} \\\\\n", uniform.size(),
        categorical.size()));
    sb.append(Prose.f("\\cmidrule(lr){%d-%d}\\cmidrule(lr){%d-%d}\n", u0, u1, u1 + 1,
        u1 + categorical.size()));
    sb.append("Method & Layers");
    for (Column c : uniform) {
      sb.append(" & ").append(c.key().substring(1));
    }
    for (Column c : categorical) {
      sb.append(" & $\\").append(c.display().replace("}", "\\}")).append('$');
    }
    sb.append(" \\\\\n");
    Integer block = null;
    for (RowKey row : data.paper.rows()) {
      Integer layers = row.layers().isPresent() ? row.layers().getAsInt() : null;
      int key = layers == null ? -1 : layers; // the baselines: one block
      if (block == null || block != key) {
        sb.append("\\midrule\n");
        block = key;
      }
      sb.append(row.predictor().label()).append(" & ").append(layers == null ? "--" : layers);
      for (Column c : Column.values()) {
        sb.append(" & ").append(latexCell(data, row, c));
      }
      sb.append(" \\\\\n");
    }
    sb.append("\\bottomrule\n\\end{tabular}\n");
    return sb.toString();
  }

  private static String latexCell(Table1Data data, RowKey row, Column c) {
    Cell.Value v = data.ours.get(row).get(c);
    if (v == null) {
      return "--";
    }
    double x = v.value() != 0 && Comparison.roundOff(v.value()) ? 0 : v.value();
    String text = LossFormat.paper(x);
    int e = text.indexOf('e');
    if (e >= 0) { // 9.91e-05 as the paper prints it
      text = "$" + text.substring(0, e) + "\\times 10^{" + Integer.parseInt(text.substring(e + 1))
          + "}$";
    }
    return text + (data.unstable(row, c).isPresent() ? "$^\\dag$" : "");
  }

  /** The definition of an unstable cell, as the pages print it. */
  static String unstableRule() {
    return Prose.f("A cell is fragile when its chosen model failed its tail check (on its "
        + "fresh tail-check sequences, the exploding ones, whose loss exceeds %.0fx the sum of "
        + "the zero predictor's, the oracle's and a typical target's loss, carry more than "
        + "%.0f%% of the summed adjusted loss), or when its standard error is more than "
        + "%.0f%% of a mean above %s: a few sequences decide such a number. It is reported "
        + "with how many sequences decide it (\"fragile: k of N sequences\": the tail check's "
        + "exploding sequences, or else the effective number of the evaluation's sequences "
        + "behind the mean, (sum x)^2 / sum x^2 from its mean, standard error and count), "
        + "shown with no distance in standard errors, and never counted as matching the paper.",
        TailCheck.EXPLOSION_FACTOR, 100 * TailCheck.DOMINANT_SHARE, 100 * Stability.SE_SHARE,
        LossFormat.plain(Stability.MIN_MEAN));
  }

  /** The Markdown page: the wide table, the extra rows, the counts and the unstable cells. */
  static String markdown(Table1Data data) {
    List<String> headers = new ArrayList<>(List.of("model", "layers"));
    for (Column c : Column.values()) {
      headers.add(c.display());
    }
    Table.Builder b = Table.builder("Table 1: adjusted evaluation loss, ours ± standard error "
        + "(over sequences, chosen seed) vs the paper's value (difference in our standard "
        + "errors); (!) = off by more than 10% or 3 SE; (fragile: k of N sequences) = k "
        + "sequences decide our number, never a match; " + ROUND_OFF_MARK + " = compared as 0",
        headers.toArray(String[]::new));
    for (RowKey row : data.paper.rows()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(row.predictor().label()));
      r.add(Cell.text(row.layersText()));
      for (Column c : Column.values()) {
        r.add(Cell.text(cellText(data, row, c)));
      }
      b.row(r);
    }
    for (Map.Entry<PredictorId, Map<Column, Cell.Value>> e : data.extras.entrySet()) {
      List<Cell> r = new ArrayList<>();
      r.add(Cell.text(Table1Data.extraLabel(e.getKey()) + " (not in paper)"));
      r.add(Cell.text("-"));
      for (Column c : Column.values()) {
        Cell.Value v = e.getValue().get(c);
        r.add(Cell.text(v == null ? "" : v.formatted() + data.extraUnstable(e.getKey(), c)
            .map(u -> " (" + u.mark() + ")").orElse("")));
      }
      b.row(r);
    }
    Table1Data.Counts n = data.counts();
    StringBuilder sb = new StringBuilder();
    sb.append("# Table 1\n\n");
    sb.append(b.build().toMarkdown()).append('\n');
    sb.append(seedsText(data)).append("\n\n");
    sb.append(countsText(n)).append('\n');
    sb.append('\n').append(reachedText(n)).append('\n');
    sb.append(nestingText(data)).append('\n');
    sb.append("\n## Fragile cells\n\n").append(unstableRule()).append("\n\n");
    sb.append(unstableList(data));
    sb.append("\nOur standard errors are over the evaluation sequences of the chosen seed "
        + "(the best validation loss among the stable seeds); `table1_se.csv` has them, "
        + "`table1_comparison.csv` one line per compared cell. The paper's values are copied "
        + "from arXiv 2402.14180v2, Table 1, and carry their own sampling and rounding error: a "
        + "flag asks for a look, not a verdict.\n");
    return sb.toString();
  }

  /** The counts sentence shared by table1.md. */
  static String countsText(Table1Data.Counts n) {
    return Prose.f("Computed %d of the paper's %d cells (%d not computed by this profile); "
        + "fragile: %d of %d cells (never counted as a match). Of the %d robust cells compared, "
        + "%d are within 10%% of the paper, %d within 3 standard errors, %d within both; "
        + "%d flagged (off by more than 10%% or more than 3 SE).", n.computed(), n.total(),
        n.missing(), n.unstable(), n.computed(), n.compared(), n.withinRelative(), n.withinSe(),
        n.withinBoth(), n.flagged());
  }

  /** The bullet that counts the cells reaching the paper's value. */
  static String reachedText(Table1Data.Counts n) {
    return Prose.f("- reached: %d of the %d robust cells compared are not above the paper's "
        + "value by more than both 10%% and 3 SE (lower is fine: the paper's optimiser may "
        + "have stopped short);", n.reached(), n.compared());
  }

  /** The bullet of the nesting check, with every violation on a line of its own. */
  static String nestingText(Table1Data data) {
    List<String> v = data.nestingViolations();
    StringBuilder sb = new StringBuilder(Prose.f("- nesting: %d violation(s) of DIAG-L <= "
        + "GD++-L, FULL-L <= DIAG-L and X-L <= X-(L-1) among the robust cells (beyond 3 "
        + "combined SE + %.0f%% of the simpler value)%s\n", v.size(),
        100 * Table1Data.NESTING_SLACK, v.isEmpty() ? "." : ":"));
    for (String line : v) {
      sb.append("  - ").append(line).append('\n');
    }
    return sb.toString();
  }

  /** One line per unstable cell: our value, the paper's, the chosen model and why; or None. */
  static String unstableList(Table1Data data) {
    List<Table1Data.CellKey> cells = data.unstableCells();
    if (cells.isEmpty()) {
      return "None.\n";
    }
    StringBuilder sb = new StringBuilder();
    for (Table1Data.CellKey k : cells) {
      Cell.Value v = data.ours.get(k.row()).get(k.column());
      sb.append("- ").append(k.label()).append(": ").append(v.formatted()).append(" (paper ")
          .append(LossFormat.paper(data.paper.value(k.row(), k.column()))).append(")");
      data.chosen(k.row(), k.column()).ifPresent(m -> sb.append(", ").append(m.stage())
          .append(m.stable() ? " (tail check passed)" : ""));
      Table1Data.Instability u = data.unstable(k.row(), k.column()).orElseThrow();
      sb.append(": ").append(u.why()).append(" (").append(u.mark()).append(")\n");
    }
    return sb.toString();
  }

  static String cellText(Table1Data data, RowKey row, Column c) {
    Cell.Value v = data.ours.get(row).get(c);
    String paper = LossFormat.paper(data.paper.value(row, c));
    if (v == null) {
      return "— (paper " + paper + ")";
    }
    Optional<Table1Data.Instability> unstable = data.unstable(row, c);
    Optional<Comparison> cmp = data.comparison(row, c);
    if (unstable.isPresent()) {
      // no distance in SE: a standard error that a few sequences decide must not read as a match
      return v.formatted() + " (" + unstable.get().mark() + ") (paper " + paper + ")";
    }
    String zero = v.value() != 0 && Comparison.roundOff(v.value()) ? " " + ROUND_OFF_MARK : "";
    if (cmp.isEmpty()) {
      return v.formatted() + zero + " (paper " + paper + ")";
    }
    return v.formatted() + zero + " (paper " + paper + ", "
        + Table1Data.seText(cmp.get().differenceInStandardErrors()) + " SE)"
        + (cmp.get().flagged() ? " (!)" : "");
  }

  /** The mark of a value of ours below the round-off floor, which is compared as 0. */
  static final String ROUND_OFF_MARK = "(below " + LossFormat.plain(Comparison.ROUND_OFF)
      + ": 0)";

  /** Tuned baseline parameters and the reference losses per noise setting. */
  static Table baselines(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Tuned baselines per noise distribution (tuned on their own "
        + "sequences) and the reference losses", "noise", "setting", CONST_RR.label() + " lambda",
        TUNED_RR.label() + " c", TUNED_RR.label() + " t", GD.label() + " K", GD.label() + " eta",
        ORACLE.label() + " loss", BAYES.label() + " loss", BAYES.label() + " adjusted",
        GD.label() + " adjusted");
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Evaluation ev = e.getValue().evaluation();
      TunedBaselines t = ev.tuned();
      double[] eta = t.gdEta();
      int k = Math.min(BaselineStudy.GD_SUMMARY_K, eta.length);
      b.row(Cell.text(e.getKey()), Cell.text(PaperLayout.display(e.getKey())),
          Cell.of(t.constLambda()), Cell.of(t.tunedFactor()), Cell.of(t.tunedThreshold()),
          Cell.text(k == 0 ? "" : Integer.toString(k)), k == 0 ? Cell.empty() : Cell.of(eta[k - 1]),
          ev.oracleLoss() == null ? Cell.empty() : Table1Data.cell(ev.oracleLoss()),
          ev.baseline(BAYES.id()).map(p -> (Cell) Table1Data.cell(p.loss())).orElse(Cell.empty()),
          ev.baseline(BAYES.id()).map(p -> (Cell) Table1Data.cell(p.adjusted()))
              .orElse(Cell.empty()),
          ev.baseline(GD.id()).map(p -> (Cell) Table1Data.cell(p.adjusted())).orElse(Cell.empty()));
    }
    return b.build();
  }

  private static String baselinesNote() {
    return "\nConstRR: ridge with one lambda. TunedRR: lambda = c * min(sigma_est^2, t). GD: the "
        + "iterative estimator of sec. 6 with K steps of size eta. Losses are 0.5 E[(y_hat - "
        + "y_t)^2]; adjusted = minus the oracle (ridge with the true sigma) on the same "
        + "sequences.\n";
  }

  /** Per trained model: its status, the chosen candidate, the deterministic cost, the tail. */
  static Table training(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Training per model: status (tail check), chosen candidate, "
        + "cost and tail check", "noise", "stage", "variant", "layers", "seed", "status",
        "chosen", "Adam steps", "rejected steps", "training sequences", "validation adjusted",
        "tail samples", "tail max loss", "tail count > 10x mean", "tail share",
        "exploded count", "exploded share");
    long adam = 0;
    long rejected = 0;
    long sequences = 0;
    int models = 0;
    int unstable = 0;
    for (Map.Entry<String, ModelResult> e : ChosenModels.allModels(sel)) {
      ModelResult m = e.getValue();
      adam += m.adamSteps();
      rejected += m.rejectedSteps();
      sequences = Math.addExact(sequences, m.trainSequences());
      models++;
      unstable += m.stable() ? 0 : 1;
      TailCheck.Stats t = m.tail();
      b.row(Cell.text(e.getKey()), Cell.text(m.stage()), Cell.text(PaperLayout.label(m.variant())),
          Cell.text(Integer.toString(m.layers())), Cell.text(Long.toString(m.seed())),
          Cell.text(m.status().text()), Cell.text(m.chosen()),
          Cell.text(Long.toString(m.adamSteps())), Cell.text(Long.toString(m.rejectedSteps())),
          Cell.text(Long.toString(m.trainSequences())), Cell.of(m.validationAdjusted()),
          t == null ? Cell.empty() : Cell.text(Integer.toString(t.samples())),
          t == null ? Cell.empty() : Cell.of(t.maxLoss()),
          t == null ? Cell.empty() : Cell.text(Integer.toString(t.tailCount())),
          t == null ? Cell.empty() : Cell.of(t.tailShare()),
          t == null ? Cell.empty() : Cell.text(Integer.toString(t.explodedCount())),
          t == null ? Cell.empty() : Cell.of(t.explodedShare()));
    }
    b.row(Cell.text("total"), Cell.text(models + " models"), Cell.text(""), Cell.text(""),
        Cell.text(""), Cell.text(unstable + " unstable"), Cell.text(""),
        Cell.text(Long.toString(adam)), Cell.text(Long.toString(rejected)),
        Cell.text(Long.toString(sequences)), Cell.empty(), Cell.empty(), Cell.empty(),
        Cell.empty(), Cell.empty(), Cell.empty(), Cell.empty());
    return b.build();
  }

  private static String trainingNote() {
    return Prose.f("%nstatus: unstable when the tail check failed (the model is reported, "
        + "marked, and chosen only when no seed of its (variant, layers) is stable). chosen: "
        + "the candidate the training kept (scratch-K: initialisation K; a warm start, +train "
        + "when Adam continued it, +repair-R after a tail repair). Adam steps: updates behind "
        + "the chosen candidate; rejected steps: Adam steps undone on overflow over every "
        + "candidate; training sequences: every sequence the training evaluated (Adam batches "
        + "and polish passes). validation adjusted: the loss minus the oracle's on the "
        + "validation sequences, which choose the seed. Tail check on fresh sequences: the "
        + "largest per-sequence loss, the sequences above %.0fx the mean loss and their share "
        + "of the summed adjusted loss, and the exploding sequences (a loss above %.0fx the "
        + "sum of the zero predictor's, the oracle's and a typical target's loss) and their "
        + "share (unstable above %.0f%%). Shares are fractions of 1.%n", TailCheck.TAIL_FACTOR,
        TailCheck.EXPLOSION_FACTOR, 100 * TailCheck.DOMINANT_SHARE).replace("\r", "");
  }
}
