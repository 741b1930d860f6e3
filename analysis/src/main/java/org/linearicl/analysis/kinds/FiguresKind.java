package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.Blank;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.FigureWriter;
import org.linearicl.analysis.figure.HeatMap;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.figure.LinePlot.Style;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.baselines.PredictorId;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;
import static org.linearicl.analysis.kinds.FigurePage.plot;
import static org.linearicl.analysis.kinds.FigurePage.range;


/**
 * Stage kind {@code figures}: the paper's figures as {@code figures/<name>.png}, {@code .svg} and
 * {@code .pdf} ({@link ReportKind#FIGURES}), from the {@code select-*} stages and, for the weight figures
 * ({@code fig4}, {@code omegas}), the {@code train-*} checkpoints of the chosen seeds. A figure
 * whose data the profile did not compute is skipped; {@code figures/README.md} lists what was
 * drawn and what was skipped and why. An unstable model ({@link Stability}) is drawn like any
 * other and marked: in the loss-vs-layers panels its point is an X in its variant's colour, a
 * series of its own named {@code <variant> (unstable)}; in the other figures its legend entry
 * ends in {@code (unstable)}; the README lists every unstable chosen model. Every variant and
 * baseline keeps one look in every figure, and no two series of a figure look alike ({@link
 * org.linearicl.analysis.figure.Palette#assign}); each figure has one legend.
 *
 * <p>On the log axes an adjusted loss below the round-off floor ({@link #floor}) is 0: it does
 * not set the axis and is drawn off-scale at the bottom edge, like every value off the axis range
 * ({@link LinePlot}).
 */
public final class FiguresKind extends DeclaredKind {
  private static final String ADJ = "adjusted loss";
  /** The predictors drawn as lines beside the models, in their palette order. */
  private static final List<PredictorId> BASELINES = List.of(PredictorId.CONST_RR,
      PredictorId.ADA_RR, PredictorId.TUNED_RR, PredictorId.BAYES);
  /** The legend's mark of an unstable model. */
  static final String UNSTABLE = " (unstable)";
  private static final String MARKED = "; unstable models are marked \"(unstable)\" in the "
      + "legend";
  /**
   * In the loss-vs-layers panels the three variants' markers sit this far apart in x (GD++ left,
   * FULL right of the layer count), so that equal losses do not hide one another.
   */
  static final double DODGE = 0.15;

  /** Every figure this kind may write (PNG, SVG and PDF), in reading order. */
  static final List<String> FIGURES = List.of("fig1", "fig2a", "fig2b", "fig3", "fig4", "fig5",
      "fig6", "fig7", "omegas", "gd_by_k");

  public FiguresKind() {
    super("figures",
        7, // 7: markers differ from 8 slots before (10 noise settings); 4: Java 2D figures, text-as-text SVG and PDF, off-scale marks, one legend
        // 5: the paper's axes (log profiles, fig. 7 linear 0-1), coinciding curves lifted,
        // off-scale texts outside the frame, the paper's Table 1 in fig. 1 and 3, a colour
        // scale per matrix
        // 6: fig. 5 error bars are the standard deviation over seeds (were the standard error);
        // fig. 7 is the paper's grid, a row per depth, every layer's profile, mean over seeds
        "figures 1-7 of the paper, the DIAG omegas and the GD estimator's loss vs K, as PNG, "
            + "SVG and PDF, from the select-* and train-* stages",
        List.of());
  }

  /**
   * Adjusted losses below {@value #ABSOLUTE_FLOOR}, or below {@value #RELATIVE_FLOOR} times the
   * oracle's loss, are round-off: a difference of two losses computed in double precision, or the
   * square of a prediction error near the precision of a double (AdaRR and Bayes-optimal on
   * U(0,0) measure 2e-29 and 3e-29, six decades below the smallest trained model's 1e-21).
   */
  static final double ABSOLUTE_FLOOR = 1e-24;
  /** See {@link #ABSOLUTE_FLOOR}. */
  static final double RELATIVE_FLOOR = 1e-12;

  /** The round-off floor of the adjusted losses of one evaluation. */
  static double floor(Evaluation ev) {
    return Math.max(ABSOLUTE_FLOOR, RELATIVE_FLOOR * ev.oracleLoss().mean());
  }

  /** The caption's sentence on the floor and the off-scale marks. */
  private static final String FLOOR_NOTE = "log y, decade ticks; an adjusted loss below "
      + "max(1e-24, 1e-12 x the oracle's loss) is round-off and counts as 0; a value off the "
      + "axis range (such a 0, a blow-up more than 6 decades above the rest, or on a profile a "
      + "value more than 4 decades below the top) is marked at the panel's top or bottom edge: a "
      + "point as a triangle, a line running off the edge; the curve's extreme off-range value "
      + "is printed outside the frame in its colour (a line-only curve's with its name)";

  /** The caption's sentence on off-scale values of a linear axis. */
  private static final String OFF_NOTE = "; a value beyond 1000 times the panel's median "
      + "magnitude is off the axis range and marked at its edge (a point as a triangle, a line "
      + "running off the edge; the extreme off-range value printed outside the frame)";

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(inputs, params.stage());
    SortedMap<String, TrainedModel> ckpt = UpstreamArtifacts.checkpoints(inputs);
    Map<String, FigurePage> figs = new LinkedHashMap<>();
    figs.put("fig1", fig1(sel));
    figs.put("fig2a", fig2a(sel));
    figs.put("fig2b", fig2b(sel));
    figs.put("fig3", fig3(sel));
    figs.put("fig4", fig4(sel, ckpt));
    figs.put("fig5", fig5(sel));
    figs.put("fig6", fig6(sel));
    figs.put("fig7", fig7(sel));
    figs.put("omegas", omegas(sel, ckpt));
    figs.put("gd_by_k", gdByK(sel));
    Artifact.Builder b = Artifact.builder();
    StringBuilder readme = new StringBuilder("# Figures\n\nEach figure is a PNG (144 dpi), an "
        + "SVG and a PDF of the same picture; the SVG and the PDF keep text as text (a paper can "
        + "take them as they are, and their words can be searched and edited). Text is laid out "
        + "with the installed fonts' metrics, so the bytes differ between machines (not between "
        + "runs).\n\n| figure | content |\n| --- | --- |\n");
    StringBuilder skipped = new StringBuilder();
    int done = 0;
    for (Map.Entry<String, FigurePage> e : figs.entrySet()) {
      FigurePage d = e.getValue();
      context.progress((double) done++ / figs.size(), e.getKey());
      if (d.skipped() != null) {
        skipped.append("- `").append(e.getKey()).append("`: ").append(d.skipped()).append('\n');
        continue;
      }
      d.writeTo(b, "figures/" + e.getKey());
      readme.append("| [").append(e.getKey()).append(".png](").append(e.getKey())
          .append(".png) ([svg](").append(e.getKey()).append(".svg), [pdf](").append(e.getKey())
          .append(".pdf)) | ").append(d.caption()).append(" |\n");
    }
    readme.append("\n## Skipped\n\n").append(skipped.length() == 0 ? "None.\n" : skipped);
    readme.append("\n## Unstable models\n\n").append(unstableModels(sel));
    b.text("figures/README.md", readme.toString());
    return b.build();
  }

  // ---------------------------------------------------------------- helpers

  /** The chosen models that are unstable, one line each, for the README; or None. */
  static String unstableModels(SortedMap<String, Selection> sel) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      for (Choice c : e.getValue().choices()) {
        Optional<ModelResult> m = e.getValue().best(c.variant(), c.layers());
        if (m.isPresent() && Stability.unstable(m.get())) {
          sb.append("- ").append(PaperLayout.display(e.getKey())).append(", ")
              .append(PaperLayout.label(c.variant())).append(' ').append(c.layers()).append(" (")
              .append(m.get().stage()).append("): ").append(Stability.of(m.get()).orElseThrow())
              .append('\n');
        }
      }
    }
    return sb.length() == 0 ? "None: every chosen model is stable.\n"
        : "Drawn and marked \"(unstable)\" in the legends:\n\n" + sb;
  }

  /** {@code n} and the noun, in the plural unless n is 1: "1 layer", "7 layers". */
  static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** "1 layer", "7 layers". */
  static String layers(int n) {
    return plural(n, "layer");
  }

  /** A copy of {@code y} with the values below {@code floor} set to 0 (round-off). */
  static double[] zeroBelow(double[] y, double floor) {
    double[] out = y.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] < floor) {
        out[i] = 0;
      }
    }
    return out;
  }

  /** The legend mark of a model: {@link #UNSTABLE} or nothing. */
  static String mark(ModelResult m) {
    return Stability.unstable(m) ? UNSTABLE : "";
  }

  /** The finite points, errors NaN to 0; null when none is left. */
  private static LinePlot.Series series(String name, double[] x, double[] y, double[] err,
      Style style) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        keep.add(i);
      }
    }
    if (keep.isEmpty()) {
      return null;
    }
    double[] xs = new double[keep.size()];
    double[] ys = new double[keep.size()];
    double[] es = err == null ? null : new double[keep.size()];
    for (int k = 0; k < xs.length; k++) {
      int i = keep.get(k);
      xs[k] = x[i];
      ys[k] = y[i];
      if (es != null) {
        es[k] = Double.isFinite(err[i]) && err[i] >= 0 ? err[i] : 0;
      }
    }
    return new LinePlot.Series(name, xs, ys, es, style);
  }

  /** Adds the series if it has points; returns whether it did. */
  private static boolean add(LinePlot.Builder b, LinePlot.Series s) {
    if (s == null) {
      return false;
    }
    b.series(s);
    return true;
  }

  /** Adds the series in palette slot {@code slot} if it has points; returns whether it did. */
  private static boolean add(LinePlot.Builder b, LinePlot.Series s, int slot) {
    return add(b, s == null ? null : s.inSlot(slot));
  }

  /** The palette slot of a variant: 0..2, the same in every panel. */
  private static int slot(Variant v) {
    return PaperLayout.VARIANTS.indexOf(v);
  }

  /** The palette slot of {@link #BASELINES} entry i: after the variants. */
  private static int baselineSlot(int i) {
    return PaperLayout.VARIANTS.size() + i;
  }

  private static double[] constant(int n, double v) {
    double[] y = new double[n];
    java.util.Arrays.fill(y, v);
    return y;
  }

  private static int maxLayers(Selection s) {
    int m = 0;
    for (Choice c : s.choices()) {
      m = Math.max(m, c.layers());
    }
    return m;
  }

  private static boolean uniform(String key) {
    return key.matches("u\\d+");
  }

  private static boolean categorical(String key) {
    return key.startsWith("c");
  }

  /** Loss vs layers on one noise: the three variants as markers, baselines as lines. */
  private static Optional<LinePlot> lossVsLayers(String key, Selection s) {
    int maxL = Math.max(maxLayers(s), 1);
    double floor = floor(s.evaluation());
    LinePlot.Builder b = plot(PaperLayout.display(key), "layers", ADJ).logY(true).xRange(0.5,
        maxL + 0.5).integerX();
    boolean any = false;
    for (Variant v : PaperLayout.VARIANTS) {
      // [0]: stable points, [1]: unstable ones, drawn as a series of their own
      List<List<Double>> xs = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> ys = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> es = List.of(new ArrayList<>(), new ArrayList<>());
      for (int l = 1; l <= maxL; l++) {
        Optional<ModelResult> m = s.best(v, l);
        if (m.isPresent()) {
          int k = Stability.unstable(m.get()) ? 1 : 0;
          xs.get(k).add(l + DODGE * (slot(v) - 1));
          ys.get(k).add(m.get().adjusted().mean());
          es.get(k).add(m.get().adjusted().se());
        }
      }
      for (int k = 0; k < 2; k++) {
        any |= add(b, series(PaperLayout.label(v) + (k == 1 ? UNSTABLE : ""), toArray(xs.get(k)),
            zeroBelow(toArray(ys.get(k)), floor), toArray(es.get(k)),
            k == 1 ? Style.FLAGGED : Style.MARKERS), slot(v));
      }
    }
    if (!any) {
      return Optional.empty();
    }
    paperMarkers(b, key, maxL);
    double[] x = {0.5, maxL + 0.5};
    for (int i = 0; i < BASELINES.size(); i++) {
      Optional<PredictorResult> p = s.evaluation().baseline(BASELINES.get(i).id());
      if (p.isPresent()) {
        add(b, series(BASELINES.get(i).label(), x, zeroBelow(constant(2, p.get().adjusted().mean()),
            floor), null, Style.LINE), baselineSlot(i));
      }
    }
    return Optional.of(b.build());
  }

  /** The series name's suffix of the paper's values. */
  static final String PAPER = " (paper)";
  /** The legend entry of the paper's values (one for the three variants). */
  static final String PAPER_LEGEND = "the paper's Table 1 (hollow, same shape and colour)";

  /**
   * The paper's Table 1 values of the three variants on this noise, as hollow markers in each
   * variant's colour at its markers' x, for the layer counts this panel shows.
   */
  private static void paperMarkers(LinePlot.Builder b, String key, int maxL) {
    b.hollowLegend(PAPER_LEGEND);
    PaperTable1.Column column;
    try {
      column = PaperTable1.Column.fromKey(key);
    } catch (IllegalArgumentException e) {
      return; // a noise the paper's table has no column for
    }
    PaperTable1 paper = PaperLayout.paperTable1();
    for (Variant v : PaperLayout.VARIANTS) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int l = 1; l <= Math.min(maxL, PaperTable1.RowKey.MAX_LAYERS); l++) {
        java.util.OptionalDouble p = paper.find(PaperTable1.RowKey.of(PredictorId.of(v), l),
            column);
        if (p.isPresent()) {
          xs.add(l + DODGE * (slot(v) - 1));
          ys.add(p.getAsDouble());
        }
      }
      add(b, series(PaperLayout.label(v) + PAPER, toArray(xs), toArray(ys), null, Style.HOLLOW),
          slot(v));
    }
  }

  static double[] toArray(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  /**
   * A per-variance profile panel with the training noise shaded: the range of a uniform one, a
   * stripe at each level of a categorical one. Log y with the round-off floor: the losses span
   * decades (from ~0 at the training noise's easy end to ~1 out of it).
   */
  private static LinePlot.Builder profilePlot(String title, Evaluation ev, String y) {
    LinePlot.Builder b = plot(title, "sigma (fixed noise level)", y).logY(true)
        .floor(floor(ev)).maxDecades(PROFILE_DECADES);
    return shade(b, ev);
  }

  private static LinePlot.Builder shade(LinePlot.Builder b, Evaluation ev) {
    if (NoiseDistribution.parse(ev.noise()) instanceof NoiseDistribution.Categorical c) {
      return b.bandAt("training noise levels", c.sigmas());
    }
    double lo = NoiseMax.min(ev.noise());
    double hi = NoiseMax.of(ev.noise());
    return hi > lo ? b.band(lo, hi, "in distribution") : b;
  }

  /**
   * The decades a profile's log axis spans at most: a baseline's dip to ~0 where its fixed
   * lambda happens to be optimal is marked at the bottom edge instead of squeezing the models'
   * curves into the top of the panel.
   */
  static final int PROFILE_DECADES = 4;

  /** A per-variance profile panel on the paper's fig. 7 axis: linear, adjusted loss 0 to 1. */
  private static LinePlot.Builder fig7Plot(String title, Evaluation ev) {
    return shade(plot(title, "sigma (fixed noise level)", ADJ).yRange(0, 1)
        .dodgeErrorBars(BAR_DODGE), ev);
  }

  /**
   * In fig. 5 and 7 the error bars of the curves at one x (up to 8 depths or layers) stand this
   * many points apart, so that they do not cover one another.
   */
  static final double BAR_DODGE = 2;

  // ---------------------------------------------------------------- figures

  static FigurePage fig1(SortedMap<String, Selection> sel) {
    List<LinePlot> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (uniform(e.getKey())) {
        lossVsLayers(e.getKey(), e.getValue()).ifPresent(panels::add);
      }
    }
    return FigurePage.of(panels, 4, "Adjusted loss vs layers per U(0, sigma_max): GD++/DIAG/FULL "
        + "(markers, chosen seed, ± SE, side by side at each layer count; an unstable model's "
        + "point is an X in its variant's colour, \"DIAG (unstable)\" in the legend), the "
        + "paper's Table 1 values as hollow markers of the same shape and colour, "
        + "ConstRR/AdaRR/TunedRR and Bayes-optimal (lines); " + FLOOR_NOTE + " (every ridge "
        + "baseline on U(0,0) measures ~2e-29: 0)");
  }

  /**
   * Profiles of the deepest model of each variant on one noise, with the baselines. {@code
   * depthInTitle}: the depth goes into the panel's title and the legend names the variants only
   * (one legend entry per variant across panels of different depths); otherwise each legend
   * entry says its depth (beside a loss-vs-layers panel whose markers are the variants).
   */
  private static Optional<LinePlot> deepestProfiles(String key, Selection s, boolean adjusted,
      boolean depthInTitle) {
    Evaluation ev = s.evaluation();
    double[] sigma = ev.profileSigma();
    List<ModelResult> deepest = new ArrayList<>();
    for (Variant v : PaperLayout.VARIANTS) {
      ChosenModels.deepestModel(s, v).ifPresent(deepest::add);
    }
    String title = PaperLayout.display(key);
    if (depthInTitle && !deepest.isEmpty()) {
      boolean same = deepest.stream().allMatch(m -> m.layers() == deepest.get(0).layers());
      List<String> each = new ArrayList<>();
      for (ModelResult m : deepest) {
        each.add(PaperLayout.label(m.variant()) + " " + m.layers());
      }
      title += same ? ", " + layers(deepest.get(0).layers()) : ", " + String.join(" / ", each)
          + " layers";
    }
    LinePlot.Builder b = profilePlot(title, ev, adjusted ? ADJ : "loss");
    boolean any = false;
    for (ModelResult m : deepest) {
      Series p = adjusted ? m.profileAdjusted() : m.profileLoss();
      String depth = depthInTitle ? "" : " (" + layers(m.layers()) + ")";
      any |= add(b, series(PaperLayout.label(m.variant()) + depth + mark(m), sigma, p.mean(), p.se(),
          Style.LINE_AND_MARKERS), slot(m.variant()));
    }
    if (!any) {
      return Optional.empty();
    }
    for (int i = 0; i < BASELINES.size(); i++) {
      Optional<PredictorResult> p = ev.baseline(BASELINES.get(i).id());
      if (p.isPresent()) {
        Series ser = adjusted ? p.get().profileAdjusted() : p.get().profileLoss();
        add(b, series(BASELINES.get(i).label(), sigma, ser.mean(), null, Style.LINE),
            baselineSlot(i));
      }
    }
    return Optional.of(b.build());
  }

  static FigurePage fig2a(SortedMap<String, Selection> sel) {
    return deepestPerNoise(sel, FiguresKind::uniform, true, "Per-variance profiles (adjusted "
        + "loss at a fixed sigma) of the "
        + "deepest model of each variant per U(0, sigma_max) (its depth in the panel's title), "
        + "with the baselines; in-distribution range shaded; " + FLOOR_NOTE + MARKED);
  }

  /**
   * The deepest model of each variant against sigma, one panel per noise distribution that
   * {@code which} keeps.
   */
  private static FigurePage deepestPerNoise(SortedMap<String, Selection> sel,
      Predicate<String> which, boolean adjusted, String caption) {
    List<LinePlot> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (which.test(e.getKey())) {
        deepestProfiles(e.getKey(), e.getValue(), adjusted, true).ifPresent(panels::add);
      }
    }
    return FigurePage.of(panels, 4, caption);
  }

  /** One panel per variant, on the example noise; a variant whose panel is empty is left out. */
  private static FigurePage perVariantOnExample(SortedMap<String, Selection> sel,
      BiFunction<Selection, Variant, Optional<LinePlot>> panel,
      Function<Selection, String> caption) {
    Selection s = sel.get(PaperLayout.EXAMPLE_NOISE);
    if (s == null) {
      return FigurePage.skip("no U(0,5) selection in this profile");
    }
    List<LinePlot> panels = new ArrayList<>();
    for (Variant v : PaperLayout.VARIANTS) {
      panel.apply(s, v).ifPresent(panels::add);
    }
    return FigurePage.of(panels, 3, caption.apply(s));
  }

  static FigurePage fig2b(SortedMap<String, Selection> sel) {
    String display = PaperLayout.display(PaperLayout.EXAMPLE_NOISE);
    return perVariantOnExample(sel, (s, v) -> {
      double[] sigma = s.evaluation().profileSigma();
      LinePlot.Builder b = profilePlot(PaperLayout.label(v) + " on " + display, s.evaluation(), ADJ);
      boolean any = false;
      for (int l = 2; l <= maxLayers(s); l++) {
        Optional<ModelResult> m = s.best(v, l);
        if (m.isPresent()) {
          Series p = m.get().profileAdjusted();
          any |= add(b, series(layers(l) + mark(m.get()), sigma, p.mean(), p.se(),
              Style.LINE_AND_MARKERS));
        }
      }
      if (any) {
        PredictorId tuned = PredictorId.TUNED_RR;
        int slot = baselineSlot(BASELINES.indexOf(tuned));
        s.evaluation().baseline(tuned.id()).ifPresent(p -> add(b, series(tuned.label(), sigma,
            p.profileAdjusted().mean(), null, Style.LINE), slot));
      }
      return built(b, any);
    }, s -> "Per-variance profiles on " + display + " of the models with "
        + "2.." + maxLayers(s) + " layers (the 1-layer models are left out, as in the paper), "
        + "one panel per variant, TunedRR for reference; in-distribution range shaded; "
        + FLOOR_NOTE + MARKED);
  }

  private static Optional<LinePlot> built(LinePlot.Builder b, boolean any) {
    return any ? Optional.of(b.build()) : Optional.empty();
  }

  static FigurePage fig3(SortedMap<String, Selection> sel) {
    List<LinePlot> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (categorical(e.getKey())) {
        lossVsLayers(e.getKey(), e.getValue()).ifPresent(panels::add);
        deepestProfiles(e.getKey(), e.getValue(), true, true).ifPresent(panels::add);
        Selection s = e.getValue();
        double[] sigma = s.evaluation().profileSigma();
        LinePlot.Builder b = profilePlot("DIAG per layer count, " + PaperLayout.display(e.getKey()),
            s.evaluation(), ADJ).endLabels();
        boolean any = false;
        for (int l = 1; l <= maxLayers(s); l++) {
          Optional<ModelResult> m = s.best(Variant.DIAG, l);
          if (m.isPresent()) {
            Series p = m.get().profileAdjusted();
            any |= add(b, series(layers(l) + mark(m.get()), sigma, p.mean(), null,
                Style.LINE_AND_MARKERS));
          }
        }
        if (any) {
          panels.add(b.build());
        }
      }
    }
    return FigurePage.of(panels, 3, "Categorical noise {1,3} and {1,3,5}, one row each: adjusted "
        + "loss vs layers (the paper's Table 1 values as hollow markers), per-variance profiles "
        + "of the deepest model of each variant (its depth in the title) with the baselines, and "
        + "the DIAG profiles per layer count (each named at its right end); the training noise "
        + "levels shaded as stripes; "
        + FLOOR_NOTE + MARKED);
  }

  /**
   * P and Q of the FULL model on {1,3} with the paper's 4 layers, or, when the profile has no
   * 4-layer model (ci), the deepest one: one row per matrix kind, one colour bar per row.
   */
  static FigurePage fig4(SortedMap<String, Selection> sel, SortedMap<String, TrainedModel> ckpt) {
    Optional<ModelResult> chosen = ChosenModels.heatMapModel(sel);
    Optional<TrainedModel> t = chosen.map(m -> ckpt.get(m.stage()));
    if (t.isEmpty()) {
      return FigurePage.skip("no checkpoint of a FULL model on {1,3} among the inputs");
    }
    String unstable = mark(chosen.get());
    ModelShape shape = t.get().checkpoint().config().shape();
    double[] params = t.get().checkpoint().params();
    int dim = shape.tokenDim();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < dim - 1; i++) {
      labels.add("x" + (i + 1));
    }
    labels.add("y");
    List<Figure> panels = new ArrayList<>();
    for (int which = 0; which < 2; which++) {
      for (int l = 0; l < shape.layers(); l++) {
        // a scale per matrix: one layer's large entry leaves another's pattern visible
        panels.add(HeatMap.builder().rowLabels(labels).columnLabels(labels)
            .matrix((which == 0 ? "P" : "Q") + ", layer " + (l + 1),
                matrix(params, shape.offset(l, 0) + which * dim * dim, dim)).build());
      }
    }
    String model = "the " + shape.layers() + "-layer FULL model on {1,3} (" + t.get().stage()
        + unstable + ")";
    String depth = shape.layers() == ChosenModels.HEAT_MAP_LAYERS ? "the paper's depth"
        : "the deepest in this profile; the paper's has " + ChosenModels.HEAT_MAP_LAYERS;
    return FigurePage.of(panels, shape.layers(), "P and Q of " + model, "P^l (top row) and Q^l (bottom row) "
        + "of every layer l of " + model + ", " + depth + "; head 1, 1/n convention; one "
        + "symmetric blue-white-red colour scale per matrix (its own colour bar)");
  }

  private static double[][] matrix(double[] p, int offset, int dim) {
    double[][] m = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      System.arraycopy(p, offset + i * dim, m[i], 0, dim);
    }
    return m;
  }

  static FigurePage fig5(SortedMap<String, Selection> sel) {
    String display = PaperLayout.display(PaperLayout.EXAMPLE_NOISE);
    return perVariantOnExample(sel, (s, v) -> {
      double floor = floor(s.evaluation());
      LinePlot.Builder b = plot(PaperLayout.label(v) + " on " + display, "read-out after layer K",
          ADJ).logY(true).integerX().dodgeErrorBars(BAR_DODGE);
      boolean any = false;
      for (int l = 1; l <= maxLayers(s); l++) {
        Optional<Choice> c = s.choice(v, l);
        List<ModelResult> seeds = c.map(x -> seedModels(s, x)).orElse(List.of());
        if (!seeds.isEmpty()) {
          Spread p = Spread.over(seeds.stream().map(m -> m.perLayerAdjusted().mean()).toList());
          any |= add(b, series(layers(l) + unstableSeeds(c.get()), range(1, l),
              zeroBelow(p.mean(), floor), p.sd(), Style.LINE_AND_MARKERS));
        }
      }
      return built(b, any);
    }, s -> "Prediction read out after each layer K of the models with 1.."
        + maxLayers(s) + " layers on " + display + ", one panel per variant, as the paper's "
        + "fig. 5: the mean over " + seedCount(s) + ", error bars ± the standard deviation over "
        + "the seeds (sample, n - 1; no bar with one seed; the bars of one K side by side in the "
        + "legend's order, " + (int) BAR_DODGE + " pt apart), every seed included, unstable ones "
        + "too (the legend says how many); " + FLOOR_NOTE);
  }

  static FigurePage fig6(SortedMap<String, Selection> sel) {
    return deepestPerNoise(sel, key -> true, false, "Unadjusted loss vs the fixed noise level "
        + "sigma of the deepest "
        + "model of each variant (its depth in the panel's title) and of the baselines, one "
        + "panel per noise distribution; in-distribution range shaded; " + FLOOR_NOTE + MARKED);
  }

  /**
   * The paper's fig. 7: one row per depth of 2 or more layers on the example noise, one column per
   * variant; each panel the per-variance profile read out after every layer of that model (one
   * line per layer, coloured by the layer), mean ± standard deviation over the seeds, on the
   * paper's linear 0-1 axis. A (variant, depth) the profile did not train is a blank cell, so
   * that the rows and columns keep their meaning.
   */
  static FigurePage fig7(SortedMap<String, Selection> sel) {
    String display = PaperLayout.display(PaperLayout.EXAMPLE_NOISE);
    Selection s = sel.get(PaperLayout.EXAMPLE_NOISE);
    if (s == null) {
      return FigurePage.skip("no U(0,5) selection in this profile");
    }
    java.util.SortedSet<Integer> depths = new java.util.TreeSet<>();
    for (Choice c : s.choices()) {
      if (c.layers() >= FIG7_MIN_LAYERS && !seedModels(s, c).isEmpty()) {
        depths.add(c.layers());
      }
    }
    double[] sigma = s.evaluation().profileSigma();
    List<Figure> panels = new ArrayList<>();
    for (int l : depths) {
      for (Variant v : PaperLayout.VARIANTS) {
        String title = PaperLayout.label(v) + ", " + layers(l);
        Optional<Choice> c = s.choice(v, l);
        List<ModelResult> seeds = c.map(x -> seedModels(s, x)).orElse(List.of());
        LinePlot.Builder b = fig7Plot(title + unstableSeeds(c.orElse(null)), s.evaluation());
        boolean any = false;
        for (int k = 0; k < l && !seeds.isEmpty(); k++) {
          int layer = k;
          Spread p = Spread.over(seeds.stream()
              .map(m -> m.profileAdjustedByLayer().get(layer).mean()).toList());
          any |= add(b, series(AFTER_LAYER + (k + 1), sigma, p.mean(), p.sd(),
              Style.LINE_AND_MARKERS), k);
        }
        panels.add(any ? b.build() : new Blank("no " + PaperLayout.label(v) + " model with "
            + layers(l), FigurePage.PANEL_W, FigurePage.PANEL_H));
      }
    }
    if (panels.stream().noneMatch(p -> p instanceof LinePlot)) {
      return FigurePage.skip("no U(0,5) model with " + FIG7_MIN_LAYERS + " or more layers");
    }
    return FigurePage.of(panels, PaperLayout.VARIANTS.size(), "Per-variance profile after each "
        + "layer, trained on " + display, "The paper's fig. 7: per-variance profile (adjusted "
        + "loss at a fixed sigma, on the evaluation's sigma grid) of the prediction read out after "
        + "each layer (one line per layer, coloured by the layer) of every model trained on "
        + display + ", one row per depth (" + FIG7_MIN_LAYERS + " layers or more: a 1-layer "
        + "model has no read-out but its final one), one column per variant; the mean over "
        + seedCount(s) + ", error bars ± the standard deviation over the seeds (sample, n - 1; "
        + "no bar with one seed; the bars of one sigma side by side in the lines' order, "
        + (int) BAR_DODGE + " pt apart), every seed included, unstable ones too (counted in the "
        + "panel's title); in-distribution range shaded; linear y from 0 to 1 as in the paper: "
        + "a value outside it is drawn as its line running off the edge, and each curve's "
        + "extreme off-range value is printed outside the frame in its colour");
  }

  /** The least depth in fig. 7: a 1-layer model has only one read-out. */
  static final int FIG7_MIN_LAYERS = 2;
  /** The name of fig. 7's line of the read-out after layer k: this and k. */
  static final String AFTER_LAYER = "after layer ";

  /**
   * The mean and the sample standard deviation (n - 1) over seeds of one curve per seed, point
   * by point; the deviation is NaN with one seed (no error bar) and a point with a non-finite
   * value is NaN (left out of the plot).
   */
  record Spread(double[] mean, double[] sd) {
    static Spread over(List<double[]> curves) {
      if (curves.isEmpty()) {
        throw new IllegalArgumentException("curves must not be empty");
      }
      int n = curves.get(0).length;
      double[] mean = new double[n];
      double[] sd = new double[n];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (double[] c : curves) {
          if (c.length != n) {
            throw new IllegalArgumentException("curves: " + c.length + " points, the first has "
                + n);
          }
          sum += c[i];
        }
        mean[i] = sum / curves.size();
        // two passes: the deviations, not the squares, are summed (seeds agree to many digits)
        double squares = 0;
        for (double[] c : curves) {
          squares += (c[i] - mean[i]) * (c[i] - mean[i]);
        }
        sd[i] = curves.size() > 1 ? Math.sqrt(squares / (curves.size() - 1)) : Double.NaN;
      }
      return new Spread(mean, sd);
    }
  }

  /** Every seed's result of a choice, in the choice's order (those the evaluation has). */
  static List<ModelResult> seedModels(Selection s, Choice c) {
    List<ModelResult> out = new ArrayList<>();
    for (String stage : c.seeds()) {
      s.evaluation().models().stream().filter(m -> m.stage().equals(stage)).findFirst()
          .ifPresent(out::add);
    }
    return out;
  }

  /** " (1 of 2 seeds unstable)", or nothing when every seed is stable (or no choice). */
  private static String unstableSeeds(Choice c) {
    return c == null || c.unstable() == 0 ? "" : Prose.f(" (%d of %s unstable)", c.unstable(),
        plural(c.seeds().size(), "seed"));
  }

  /** "the 2 seeds", "the single seed", or "each model's seeds (1 to 3)" when they differ. */
  private static String seedCount(Selection s) {
    java.util.IntSummaryStatistics n = s.choices().stream().mapToInt(c -> c.seeds().size())
        .summaryStatistics();
    return n.getMin() == n.getMax() ? (n.getMax() == 1 ? "the single seed" : "the "
        + plural(n.getMax(), "seed"))
        : "each model's seeds (" + n.getMin() + " to " + n.getMax() + ")";
  }

  static FigurePage omegas(SortedMap<String, Selection> sel, SortedMap<String, TrainedModel> ckpt) {
    String[] names = {"omega_xx", "omega_xy", "omega_yx", "omega_yy"};
    // [term][0]: noise-free U(0,0), whose weights run 100x larger; [term][1]: the noisy ones
    LinePlot.Builder[][] bs = new LinePlot.Builder[4][2];
    for (int j = 0; j < 4; j++) {
      bs[j][0] = plot(names[j] + ", noise-free U(0,0)", "layer", names[j]).integerX();
      bs[j][1] = plot(names[j] + ", noisy training", "layer", names[j]).integerX();
    }
    boolean[] used = new boolean[2];
    boolean any = false;
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Optional<TrainedModel> t = Optional.empty();
      for (int l = maxLayers(e.getValue()); t.isEmpty() && l >= 1; l--) {
        t = ChosenModels.chosen(e.getValue(), Variant.DIAG, l, ckpt);
      }
      if (t.isEmpty() || t.get().variant() != Variant.DIAG) {
        continue;
      }
      String unstable = e.getValue().best(Variant.DIAG, t.get().layers()).map(FiguresKind::mark)
          .orElse("");
      ModelShape shape = t.get().checkpoint().config().shape();
      double[] p = t.get().checkpoint().params();
      double[][] om = new double[4][shape.layers()];
      for (int l = 0; l < shape.layers(); l++) {
        double[] w = shape.omegas(p, l);
        for (int j = 0; j < 4; j++) {
          om[j][l] = w[j];
        }
      }
      int col = e.getKey().equals("u0") ? 0 : 1;
      for (int j = 0; j < 4; j++) {
        boolean added = add(bs[j][col], series(PaperLayout.display(e.getKey()) + " ("
            + layers(shape.layers()) + ")" + unstable, range(1, shape.layers()), om[j], null,
            Style.LINE_AND_MARKERS), omegaSlot(e.getKey()));
        used[col] |= added;
        any |= added;
      }
    }
    if (!any) {
      return FigurePage.skip("no DIAG checkpoint among the inputs");
    }
    List<LinePlot> panels = new ArrayList<>();
    int columns = (used[0] ? 1 : 0) + (used[1] ? 1 : 0);
    for (int j = 0; j < 4; j++) {
      for (int col = 0; col < 2; col++) {
        if (used[col]) {
          panels.add(bs[j][col].build());
        }
      }
    }
    return FigurePage.of(panels, columns, "The learned DIAG weights (omega_xx, omega_xy, omega_yx, "
        + "omega_yy, one row each) per layer of the deepest DIAG model per noise distribution "
        + "(1/n convention); the noise-free U(0,0), whose weights are up to 100 times larger, "
        + "on panels of its own (left), so that it does not set the scale of the others; the "
        + "categorical settings dashed" + OFF_NOTE + MARKED);
  }

  /**
   * The palette slot of a noise setting in the omega figure: U(0,k) slot k (eight colours,
   * solid), the categorical ones after them (dashed).
   */
  private static int omegaSlot(String key) {
    if (uniform(key)) {
      return Integer.parseInt(key.substring(1));
    }
    return 8 + List.of("c13", "c135").indexOf(key) + 1;
  }

  static FigurePage gdByK(SortedMap<String, Selection> sel) {
    LinePlot.Builder b = plot("GD estimator (sec. 6)", "GD steps K", ADJ).logY(true)
        .integerX().size(340, 240);
    boolean any = false;
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Series g = e.getValue().evaluation().gdByK();
      if (g != null && g.size() > 0) {
        any |= add(b, series(PaperLayout.display(e.getKey()), range(1, g.size()),
            zeroBelow(g.mean(), floor(e.getValue().evaluation())), g.se(),
            Style.LINE_AND_MARKERS));
      }
    }
    return any ? FigurePage.of(List.of(b.build()), 1, "Adjusted loss of the GD estimator "
        + "(K steps, each K with its tuned step size), mean ± SE, per noise distribution; "
        + FLOOR_NOTE)
        : FigurePage.skip("no GD estimator results");
  }
}
