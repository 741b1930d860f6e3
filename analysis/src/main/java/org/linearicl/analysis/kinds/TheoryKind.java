package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.PredictorId;
import org.linearicl.core.model.ImplicitRegression;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.ReferenceForward;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code theory}: the numerical checks of sec. 4 and 5 on the trained models.
 *
 * <ul>
 *   <li>Theorem 4.1: for every FULL checkpoint among the inputs, the read-out (M, u, w, a) of
 *       {@link LinearTransformer#readOut} against the per-token {@link ReferenceForward} on fresh
 *       sequences: max relative error of {@code y_i^l = a^l y_i - <w^l, x_i>} (per layer) and of
 *       the prediction {@code <w^L, x_t>} ({@value #READOUT}).
 *   <li>Theorem 4.2: mean |cosine| between the centred y-outputs of each layer and the centred
 *       quadratic feature {@code (x_i(1)^2)_i} ({@value #QUADRATIC}).
 *   <li>Theorem 5.1: GD++ on U(0,0), adjusted loss per layer, successive log10 decreases, and
 *       the slope of {@code ln(-ln err)} against layers (ln 2 = 0.693 for quadratic convergence,
 *       0 for a linear rate), ours and the paper's ({@value #GDPP}).
 *   <li>Sec. 5.3: for the 2-layer DIAG model of each noise setting, the omegas of both layers and
 *       the effective step {@code -omega_yx^2 (1 + omega_xy^1 sum_i r_i^2 / n)} with r_i the
 *       y-slot after layer 1, averaged over fresh sequences ({@value #STEP_SIZE}).
 * </ul>
 * Fresh sequences come from stream {@code (seed, PROFILE, 101..103)}; every number is also in
 * {@value #MARKDOWN}, and the headline ones in {@link TheorySummary#FILE}.
 */
public final class TheoryKind extends DeclaredKind {
  static final String MARKDOWN = "tables/theory.md";
  static final String READOUT = "tables/theory_readout.csv";
  static final String QUADRATIC = "tables/theory_quadratic.csv";
  static final String GDPP = "tables/theory_gdpp.csv";
  static final String STEP_SIZE = "tables/theory_step_size.csv";

  /** The tables this kind publishes, in reading order. */
  static final List<String> TABLES = List.of(MARKDOWN, READOUT, QUADRATIC, GDPP, STEP_SIZE,
      TheorySummary.FILE);

  private static final long READOUT_INDEX = 101;
  private static final long QUADRATIC_INDEX = 102;
  private static final long STEP_INDEX = 103;

  public TheoryKind() {
    super("theory",
        4, // 3: CSV numbers outside [0.001, 10000) in e-notation (the shared CSV writer);
        // 4: markers differ from 8 slots before
        "numerical checks of Theorems 4.1, 4.2, 5.1 and the sec. 5.3 step size on the "
            + "trained models (select-* and train-* stages)",
        List.of(
            AnalysisParams.freshSeed("7"),
            ParamSpec.optional("samples", ParamType.INTEGER, "2000",
                "fresh sequences per model and check")));
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    long seed = params.integer("seed");
    int samples = params.atLeast("samples", 1);
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(inputs, params.stage());
    SortedMap<String, TrainedModel> ckpt = UpstreamArtifacts.checkpoints(inputs);
    StringBuilder md = new StringBuilder("# Theory checks\n\n");
    md.append(Prose.f("Fresh sequences: %d per model and check, seed %d (stream PROFILE). "
        + "Model convention: a layer maps every token e to M e with M = I + (1/n) sum_k P_k S "
        + "Q_k.%n%n", samples, seed).replace("\r", ""));
    Checked<Optional<TheorySummary.Readout>> readout = readout(ckpt, samples, seed);
    md.append("## Theorem 4.1: implicit linear regression read-out\n\n");
    md.append(readout.table().rows().isEmpty() ? "No FULL checkpoint among the inputs.\n\n"
        : readout.table().toMarkdown() + "\nRelative error of a layer = max over tokens of |read-out - "
        + "forward| / max over tokens of |forward|, maximised over the sequences. The forward "
        + "pass here is an independent per-token implementation of the layer update.\n\n");
    Checked<OptionalDouble> quad = quadratic(ckpt, samples, seed);
    md.append("## Theorem 4.2: no quadratic feature\n\n");
    md.append(quad.table().rows().isEmpty() ? "No FULL checkpoint among the inputs.\n\n"
        : quad.table().toMarkdown() + Prose.f("%nCosine between the centred y-outputs (y_i^l)_i of "
        + "the context tokens and the centred (x_i(1)^2)_i, absolute value averaged over "
        + "sequences. For reference, two independent random vectors of n = 20 entries have a "
        + "mean |cosine| of about sqrt(2 / (pi (n - 1))) = %.3f.%n%n",
        Math.sqrt(2 / (Math.PI * 19))).replace("\r", ""));
    Checked<Slopes> gd = gdpp(sel, md);
    Checked<SortedMap<String, Double>> step = stepSize(sel, ckpt, samples, seed, md);
    TheorySummary summary = new TheorySummary(readout.summary(), quad.summary(),
        gd.summary().ours(), gd.summary().paper(), step.summary());
    return Artifact.builder()
        .text(MARKDOWN, md.toString())
        .text(READOUT, readout.table().toCsv())
        .text(QUADRATIC, quad.table().toCsv())
        .text(GDPP, gd.table().toCsv())
        .text(STEP_SIZE, step.table().toCsv())
        .text(TheorySummary.FILE, summary.toCsv())
        .build();
  }

  /** A check's table and its headline numbers for the summary. */
  private record Checked<T>(Table table, T summary) {}

  /** Theorem 5.1's slopes of ln(-ln err) against layers: ours (if any) and the paper's. */
  private record Slopes(OptionalDouble ours, double paper) {}

  private static List<TrainedModel> full(SortedMap<String, TrainedModel> ckpt) {
    return ckpt.values().stream().filter(t -> t.variant() == Variant.FULL).toList();
  }

  private static Batch fresh(Checkpoint c, int samples, long seed, long index) {
    return new TaskSampler(c.config().task()).sample(samples, seed, Streams.Purpose.PROFILE,
        index);
  }

  private static Checked<Optional<TheorySummary.Readout>> readout(
      SortedMap<String, TrainedModel> ckpt, int samples, long seed) {
    Table.Builder t = Table.builder("Theorem 4.1: read-out against the forward pass", "model",
        "noise", "layers", "layer", "max rel. error y_i^l", "max rel. error x_i^l",
        "max rel. error prediction");
    double worstY = 0;
    double worstP = 0;
    int models = 0;
    for (TrainedModel tr : full(ckpt)) {
      models++;
      Checkpoint c = tr.checkpoint();
      LinearTransformer model = c.model();
      ModelShape shape = model.shape();
      Batch b = fresh(c, samples, seed, READOUT_INDEX);
      double[][] perLayer = model.predictAfterEachLayer(b);
      int d = shape.d();
      int n = b.n;
      double[] errY = new double[shape.layers()];
      double[] errX = new double[shape.layers()];
      double[] errP = new double[shape.layers()];
      for (int s = 0; s < b.size; s++) {
        ImplicitRegression[] ir = model.readOut(b, s);
        double[][][] tokens = ReferenceForward.tokens(shape, c.params(), b, s);
        for (int l = 1; l <= shape.layers(); l++) {
          ImplicitRegression r = ir[l];
          double[] w = r.w();
          double[] mm = r.m();
          double[] u = r.u();
          double dy = 0;
          double sy = 0;
          double dx = 0;
          double sx = 0;
          for (int i = 0; i <= n; i++) {
            double yi = i < n ? b.y[s * n + i] : 0;
            int xo = i < n ? (s * n + i) * d : s * d;
            double[] xs = i < n ? b.x : b.xq;
            double pred = r.a() * yi;
            for (int k = 0; k < d; k++) {
              pred -= w[k] * xs[xo + k];
            }
            double fy = tokens[l][i][d];
            dy = Math.max(dy, Math.abs(pred - fy));
            sy = Math.max(sy, Math.abs(fy));
            for (int k = 0; k < d; k++) {
              double px = yi * u[k];
              for (int j = 0; j < d; j++) {
                px += mm[k * d + j] * xs[xo + j];
              }
              double fx = tokens[l][i][k];
              dx = Math.max(dx, Math.abs(px - fx));
              sx = Math.max(sx, Math.abs(fx));
            }
          }
          errY[l - 1] = Math.max(errY[l - 1], dy / Math.max(sy, Double.MIN_NORMAL));
          errX[l - 1] = Math.max(errX[l - 1], dx / Math.max(sx, Double.MIN_NORMAL));
          double p = r.prediction(java.util.Arrays.copyOfRange(b.xq, s * d, s * d + d));
          double f = perLayer[l - 1][s];
          errP[l - 1] = Math.max(errP[l - 1], Math.abs(p - f) / Math.max(Math.abs(f),
              Double.MIN_NORMAL));
        }
      }
      for (int l = 0; l < shape.layers(); l++) {
        t.row(Cell.text(tr.stage()), Cell.text(tr.noiseKey()),
            Cell.text(Integer.toString(shape.layers())), Cell.text(Integer.toString(l + 1)),
            Cell.of(errY[l]), Cell.of(errX[l]), Cell.of(errP[l]));
        worstY = Math.max(worstY, errY[l]);
        worstP = Math.max(worstP, errP[l]);
      }
    }
    return new Checked<>(t.build(), models == 0 ? Optional.empty()
        : Optional.of(new TheorySummary.Readout(models, worstY, worstP)));
  }

  private static Checked<OptionalDouble> quadratic(SortedMap<String, TrainedModel> ckpt,
      int samples, long seed) {
    Table.Builder t = Table.builder("Theorem 4.2: mean |cosine| of the y-outputs with "
        + "(x_i(1)^2)_i", "model", "noise", "layer", "mean |cosine|", "max |cosine|");
    double worst = Double.NaN;
    for (TrainedModel tr : full(ckpt)) {
      Checkpoint c = tr.checkpoint();
      ModelShape shape = c.config().shape();
      Batch b = fresh(c, samples, seed, QUADRATIC_INDEX);
      int d = shape.d();
      int n = b.n;
      double[] sum = new double[shape.layers() + 1];
      double[] max = new double[shape.layers() + 1];
      double[] yv = new double[n];
      double[] q = new double[n];
      for (int s = 0; s < b.size; s++) {
        double[][][] tokens = ReferenceForward.tokens(shape, c.params(), b, s);
        for (int i = 0; i < n; i++) {
          double x1 = b.x[(s * n + i) * d];
          q[i] = x1 * x1;
        }
        for (int l = 0; l <= shape.layers(); l++) {
          for (int i = 0; i < n; i++) {
            yv[i] = tokens[l][i][d];
          }
          double cos = Math.abs(centredCosine(yv, q));
          sum[l] += cos;
          max[l] = Math.max(max[l], cos);
        }
      }
      for (int l = 0; l <= shape.layers(); l++) {
        double mean = sum[l] / b.size;
        t.row(Cell.text(tr.stage()), Cell.text(tr.noiseKey()),
            Cell.text(l == 0 ? "0 (input y)" : Integer.toString(l)),
            Cell.of(mean), Cell.of(max[l]));
        if (l > 0) {
          worst = Double.isNaN(worst) ? mean : Math.max(worst, mean);
        }
      }
    }
    return new Checked<>(t.build(), Double.isNaN(worst) ? OptionalDouble.empty()
        : OptionalDouble.of(worst));
  }

  static double centredCosine(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  /** Least-squares slope of y on x. */
  static double slope(List<Double> x, List<Double> y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.size(); i++) {
      mx += x.get(i);
      my += y.get(i);
    }
    mx /= x.size();
    my /= y.size();
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.size(); i++) {
      sxy += (x.get(i) - mx) * (y.get(i) - my);
      sxx += (x.get(i) - mx) * (x.get(i) - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  private static Checked<Slopes> gdpp(SortedMap<String, Selection> sel, StringBuilder md) {
    Table.Builder t = Table.builder("Theorem 5.1: GD++ on U(0,0)", "layers", "ours", "status",
        "ours log10 decrease", "ours ln(-ln err)", "paper", "paper log10 decrease",
        "paper ln(-ln err)");
    PaperTable1 paper = PaperLayout.paperTable1();
    Selection s = sel.get("u0");
    List<Double> ox = new ArrayList<>();
    List<Double> oy = new ArrayList<>();
    List<Double> px = new ArrayList<>();
    List<Double> py = new ArrayList<>();
    double prevOurs = Double.NaN;
    double prevPaper = Double.NaN;
    int unstable = 0;
    for (int l = 1; l <= PaperLayout.MAX_LAYERS; l++) {
      double pv = paper.value(PaperTable1.RowKey.of(PredictorId.GDPP, l),
          PaperTable1.Column.U0);
      Optional<ModelResult> m = s == null ? Optional.empty() : s.best(Variant.GDPP, l);
      double ov = m.map(r -> r.adjusted().mean()).orElse(Double.NaN);
      t.row(Cell.text(Integer.toString(l)), m.isPresent() ? Table1Data.cell(m.get().adjusted())
          : Cell.empty(), Cell.text(status(m)), decrease(prevOurs, ov), loglog(ov),
          Cell.text(LossFormat.paper(pv)), decrease(prevPaper, pv), loglog(pv));
      if (m.isPresent() && Stability.unstable(m.get())) {
        unstable++;
      } else if (ov > 0 && ov < 1) {
        ox.add((double) l);
        oy.add(Math.log(-Math.log(ov)));
      }
      if (pv > 0 && pv < 1) {
        px.add((double) l);
        py.add(Math.log(-Math.log(pv)));
      }
      prevOurs = ov;
      prevPaper = pv;
    }
    double os = ox.size() >= 2 ? slope(ox, oy) : Double.NaN;
    double ps = slope(px, py);
    md.append("## Theorem 5.1: GD++ is a second-order method (noiseless data)\n\n");
    md.append(t.build().toMarkdown());
    md.append(Prose.f("\nIf err_l ~ exp(-c 2^l) (doubly exponential), ln(-ln err_l) grows with "
        + "slope ln 2 = 0.693 per layer; a linear rate gives slope 0. Least-squares slope over "
        + "the stable layers with err < 1: ours %s (%d layers%s), the paper's %.3f (%d layers; "
        + "its last layers hit float precision).\n\n",
        Double.isNaN(os) ? "n/a" : Prose.f("%.3f", os), ox.size(),
        unstable == 0 ? "" : Prose.f("; %d unstable left out", unstable), ps, px.size()));
    return new Checked<>(t.build(), new Slopes(Double.isNaN(os) ? OptionalDouble.empty()
        : OptionalDouble.of(os), ps));
  }

  private static Cell decrease(double prev, double v) {
    return prev > 0 && v > 0 ? Cell.of(Math.log10(prev) - Math.log10(v)) : Cell.empty();
  }

  private static Cell loglog(double v) {
    return v > 0 && v < 1 ? Cell.of(Math.log(-Math.log(v))) : Cell.empty();
  }

  /** stable or unstable ({@link Stability}) for a chosen model, empty when there is none. */
  private static String status(Optional<ModelResult> m) {
    return m.map(r -> (Stability.unstable(r) ? ModelResult.Status.UNSTABLE
        : ModelResult.Status.STABLE).text()).orElse("");
  }

  private static Checked<SortedMap<String, Double>> stepSize(SortedMap<String, Selection> sel,
      SortedMap<String, TrainedModel> ckpt, int samples, long seed, StringBuilder md) {
    SortedMap<String, Double> steps = new TreeMap<>(PaperLayout.NOISE_ORDER);
    Table.Builder t = Table.builder("Sec. 5.3: the 2-layer DIAG models", "noise", "model",
        "omega_xx^1", "omega_xy^1", "omega_yx^1", "omega_yy^1", "omega_xx^2", "omega_xy^2",
        "omega_yx^2", "omega_yy^2", "mean sum r_i^2/n", "-omega_yx^1", "effective step",
        "status");
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Optional<TrainedModel> tr = ChosenModels.chosen(e.getValue(), Variant.DIAG, 2, ckpt);
      if (tr.isEmpty() || tr.get().variant() != Variant.DIAG) {
        continue;
      }
      Checkpoint c = tr.get().checkpoint();
      ModelShape shape = c.config().shape();
      double[] p = c.params();
      double[] w1 = shape.omegas(p, 0);
      double[] w2 = shape.omegas(p, 1);
      Batch b = fresh(c, samples, seed, STEP_INDEX);
      int d = shape.d();
      int n = b.n;
      double r2 = 0;
      double eff = 0;
      for (int s = 0; s < b.size; s++) {
        double[] alpha = new double[d];
        double lambda = 0;
        for (int i = 0; i < n; i++) {
          double y = b.y[s * n + i];
          lambda += y * y;
          for (int k = 0; k < d; k++) {
            alpha[k] += y * b.x[(s * n + i) * d + k];
          }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
          double y = b.y[s * n + i];
          double ax = 0;
          for (int k = 0; k < d; k++) {
            ax += alpha[k] * b.x[(s * n + i) * d + k];
          }
          double r = y + w1[2] * ax / n + w1[3] * lambda / n * y;
          sum += r * r;
        }
        r2 += sum / n;
        eff += -w2[2] * (1 + w1[1] * sum / n);
      }
      r2 /= b.size;
      eff /= b.size;
      List<Cell> row = new ArrayList<>();
      row.add(Cell.text(e.getKey()));
      row.add(Cell.text(tr.get().stage()));
      for (double v : w1) {
        row.add(Cell.of(v));
      }
      for (double v : w2) {
        row.add(Cell.of(v));
      }
      row.add(Cell.of(r2));
      row.add(Cell.of(-w1[2]));
      row.add(Cell.of(eff));
      row.add(Cell.text(status(e.getValue().best(Variant.DIAG, 2))));
      t.row(row);
      steps.put(e.getKey(), eff);
    }
    Table table = t.build();
    md.append("## Sec. 5.3: a step size that shrinks with noise\n\n");
    md.append(table.rows().isEmpty() ? "No 2-layer DIAG checkpoint among the inputs.\n\n"
        : table.toMarkdown() + "\nThe omegas are per layer (1/n convention: layer l computes "
        + "x_i += omega_xx Sigma/n x_i + omega_xy y_i alpha/n, y_i += omega_yx <alpha/n, x_i> + "
        + "omega_yy lambda/n y_i). The effective step -omega_yx (1 + omega_xy sum_i r_i^2) of "
        + "sec. 5.3 does not pin the layers; our reading: the second layer's GD step "
        + "-omega_yx^2 is amplified through the first layer's x-update omega_xy^1 y_i alpha/n by "
        + "(1 + omega_xy^1 sum_i r_i^2 / n), with r_i the y-slot after layer 1, averaged over "
        + "fresh sequences of the model's own noise distribution. -omega_yx^1 (the first "
        + "layer's plain GD step) is shown beside it.\n\n");
    return new Checked<>(table, steps);
  }
}
