package org.linearicl.analysis.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.knowm.xchart.internal.chartpart.Chart;
import org.linearicl.analysis.figure.FigureWriter;
import org.linearicl.analysis.figure.HeatMap;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.figure.LinePlot.Style;
import org.linearicl.analysis.table.Comparison;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code figures}: the paper's figures as {@code figures/<name>.png} and {@code .svg}
 * ({@link ReportKind#FIGURES}), from the {@code select-*} stages and, for the weight figures
 * ({@code fig4}, {@code omegas}), the {@code train-*} checkpoints of the chosen seeds. A figure
 * whose data the profile did not compute is skipped; {@code figures/README.md} lists what was
 * drawn and what was skipped and why. An unstable model ({@link Stability}) is drawn like any
 * other and marked: in the loss-vs-layers panels its point is an X in its variant's colour, a
 * series of its own named {@code <variant> (unstable)}; in the other figures its legend entry
 * ends in {@code (unstable)}; the README lists every unstable chosen model. Every variant and
 * baseline keeps one colour in every panel.
 */
public final class FiguresKind implements StageKind {
  private static final int PANEL_W = 460;
  private static final int PANEL_H = 320;
  private static final String ADJ = "adjusted loss";
  private static final String[] BASELINES = {"const_rr", "ada_rr", "tuned_rr", "bayes"};
  private static final String[] BASELINE_LABELS = {"ConstRR", "AdaRR", "TunedRR",
      "Bayes-optimal"};
  /** The legend's mark of an unstable model. */
  static final String UNSTABLE = " (unstable)";
  private static final String MARKED = "; unstable models are marked \"(unstable)\" in the "
      + "legend";

  @Override
  public String name() {
    return "figures";
  }

  @Override
  public int version() {
    return 3; // 3: baselines at round-off are left off the log axis
  }

  @Override
  public String description() {
    return "figures 1-7 of the paper, the DIAG omegas and the GD estimator's loss vs K, as PNG "
        + "and SVG, from the select-* and train-* stages";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of();
  }

  /** A drawn figure: its panels and columns, or the reason it was skipped. */
  record Drawn(List<Chart<?, ?>> panels, int columns, String caption, String skipped) {
    static Drawn skip(String why) {
      return new Drawn(List.of(), 1, "", why);
    }

    static Drawn of(List<Chart<?, ?>> panels, int columns, String caption) {
      return panels.isEmpty() ? skip("no data in this profile") : new Drawn(panels, columns,
          caption, null);
    }
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    SortedMap<String, Selection> sel = Inputs.selections(inputs, params.stage());
    SortedMap<String, Inputs.Trained> ckpt = Inputs.checkpoints(inputs);
    Map<String, Drawn> figs = new LinkedHashMap<>();
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
    StringBuilder readme = new StringBuilder("# Figures\n\nEach figure is a PNG (144 dpi) and an "
        + "SVG of the same picture. Text is drawn with the installed fonts, so the bytes differ "
        + "between machines (not between runs).\n\n| figure | content |\n| --- | --- |\n");
    StringBuilder skipped = new StringBuilder();
    int done = 0;
    for (Map.Entry<String, Drawn> e : figs.entrySet()) {
      Drawn d = e.getValue();
      context.progress((double) done++ / figs.size(), e.getKey());
      if (d.skipped() != null) {
        skipped.append("- `").append(e.getKey()).append("`: ").append(d.skipped()).append('\n');
        continue;
      }
      b.bytes("figures/" + e.getKey() + ".png", FigureWriter.png(d.panels(), d.columns()));
      b.bytes("figures/" + e.getKey() + ".svg", FigureWriter.svg(d.panels(), d.columns()));
      readme.append("| [").append(e.getKey()).append(".png](").append(e.getKey())
          .append(".png) ([svg](").append(e.getKey()).append(".svg)) | ").append(d.caption())
          .append(" |\n");
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
          sb.append("- ").append(Inputs.display(e.getKey())).append(", ")
              .append(Inputs.label(c.variant())).append(' ').append(c.layers()).append(" (")
              .append(m.get().stage()).append("): ").append(Stability.of(m.get()).orElseThrow())
              .append('\n');
        }
      }
    }
    return sb.length() == 0 ? "None: every chosen model is stable.\n"
        : "Drawn and marked \"(unstable)\" in the legends:\n\n" + sb;
  }

  /** The legend mark of a model: {@link #UNSTABLE} or nothing. */
  static String mark(ModelResult m) {
    return Stability.unstable(m) ? UNSTABLE : "";
  }

  private static LinePlot.Builder plot(String title, String x, String y) {
    return LinePlot.builder().title(title).xTitle(x).yTitle(y).size(PANEL_W, PANEL_H);
  }

  /** Points with a positive y (for log axes), errors NaN to 0; null when none is left. */
  private static LinePlot.Series series(String name, double[] x, double[] y, double[] err,
      Style style, boolean positive) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
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
    return Inputs.VARIANTS.indexOf(v);
  }

  /** The palette slot of baseline i: after the variants. */
  private static int baselineSlot(int i) {
    return Inputs.VARIANTS.size() + i;
  }

  private static double[] range(int from, int to) {
    double[] x = new double[to - from + 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = from + i;
    }
    return x;
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
  private static Optional<Chart<?, ?>> lossVsLayers(String key, Selection s) {
    int maxL = Math.max(maxLayers(s), 1);
    LinePlot.Builder b = plot(Inputs.display(key), "layers", ADJ).logY(true).xRange(0.5,
        maxL + 0.5).xPattern("0");
    boolean any = false;
    for (Variant v : Inputs.VARIANTS) {
      // [0]: stable points, [1]: unstable ones, drawn as a series of their own
      List<List<Double>> xs = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> ys = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> es = List.of(new ArrayList<>(), new ArrayList<>());
      for (int l = 1; l <= maxL; l++) {
        Optional<ModelResult> m = s.best(v, l);
        if (m.isPresent()) {
          int k = Stability.unstable(m.get()) ? 1 : 0;
          xs.get(k).add((double) l);
          ys.get(k).add(m.get().adjusted().mean());
          es.get(k).add(m.get().adjusted().se());
        }
      }
      for (int k = 0; k < 2; k++) {
        any |= add(b, series(Inputs.label(v) + (k == 1 ? UNSTABLE : ""), toArray(xs.get(k)),
            toArray(ys.get(k)), toArray(es.get(k)), k == 1 ? Style.FLAGGED : Style.MARKERS,
            true), slot(v));
      }
    }
    if (!any) {
      return Optional.empty();
    }
    double[] x = {0.5, maxL + 0.5};
    for (int i = 0; i < BASELINES.length; i++) {
      Optional<PredictorResult> p = s.evaluation().baseline(BASELINES[i]);
      // a baseline at round-off (AdaRR on U(0,0): 1e-29) is 0: it must not set the log axis
      if (p.isPresent() && p.get().adjusted().mean() >= Comparison.ROUND_OFF) {
        add(b, series(BASELINE_LABELS[i], x, constant(2, p.get().adjusted().mean()), null,
            Style.LINE, true), baselineSlot(i));
      }
    }
    return Optional.of(b.build().toChart());
  }

  static double[] toArray(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  /** A per-variance profile panel with the in-distribution band. */
  private static LinePlot.Builder profilePlot(String title, Evaluation ev, String y) {
    LinePlot.Builder b = plot(title, "sigma (fixed noise level)", y);
    double lo = NoiseMax.min(ev.noise());
    double hi = NoiseMax.of(ev.noise());
    if (hi > lo) {
      b.band(lo, hi, "in distribution");
    }
    return b;
  }

  // ---------------------------------------------------------------- figures

  static Drawn fig1(SortedMap<String, Selection> sel) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (uniform(e.getKey())) {
        lossVsLayers(e.getKey(), e.getValue()).ifPresent(panels::add);
      }
    }
    return Drawn.of(panels, 4, "Adjusted loss vs layers per U(0, sigma_max): GD++/DIAG/FULL "
        + "(markers, chosen seed, ± SE; an unstable model's point is an X in its variant's "
        + "colour, \"DIAG (unstable)\" in the legend), ConstRR/AdaRR/TunedRR and Bayes-optimal "
        + "(lines; a loss of 0, as every ridge baseline on U(0,0) up to round-off below 1e-18, "
        + "has no place on the log axis and is left out)");
  }

  /** Profiles of the deepest model of each variant on one noise, with TunedRR. */
  private static Optional<Chart<?, ?>> deepestProfiles(String key, Selection s, boolean adjusted) {
    Evaluation ev = s.evaluation();
    double[] sigma = ev.profileSigma();
    LinePlot.Builder b = profilePlot(Inputs.display(key), ev, adjusted ? ADJ : "loss");
    boolean any = false;
    for (Variant v : Inputs.VARIANTS) {
      Optional<ModelResult> m = Inputs.deepestModel(s, v);
      if (m.isPresent()) {
        Series p = adjusted ? m.get().profileAdjusted() : m.get().profileLoss();
        any |= add(b, series(Inputs.label(v) + " (" + m.get().layers() + " layers)"
            + mark(m.get()), sigma, p.mean(), p.se(), Style.LINE_AND_MARKERS, false), slot(v));
      }
    }
    if (!any) {
      return Optional.empty();
    }
    for (int i = 0; i < BASELINES.length; i++) {
      Optional<PredictorResult> p = ev.baseline(BASELINES[i]);
      if (p.isPresent()) {
        Series ser = adjusted ? p.get().profileAdjusted() : p.get().profileLoss();
        add(b, series(BASELINE_LABELS[i], sigma, ser.mean(), null, Style.LINE, false),
            baselineSlot(i));
      }
    }
    return Optional.of(b.build().toChart());
  }

  static Drawn fig2a(SortedMap<String, Selection> sel) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (uniform(e.getKey())) {
        deepestProfiles(e.getKey(), e.getValue(), true).ifPresent(panels::add);
      }
    }
    return Drawn.of(panels, 4, "Per-variance profiles (adjusted loss at a fixed sigma) of the "
        + "deepest model of each variant per U(0, sigma_max), with the baselines; in-distribution "
        + "range shaded" + MARKED);
  }

  static Drawn fig2b(SortedMap<String, Selection> sel) {
    Selection s = sel.get(Inputs.EXAMPLE_NOISE);
    if (s == null) {
      return Drawn.skip("no U(0,5) selection in this profile");
    }
    List<Chart<?, ?>> panels = new ArrayList<>();
    double[] sigma = s.evaluation().profileSigma();
    for (Variant v : Inputs.VARIANTS) {
      LinePlot.Builder b = profilePlot(Inputs.label(v) + " on U(0,5)", s.evaluation(), ADJ);
      boolean any = false;
      for (int l = 2; l <= maxLayers(s); l++) {
        Optional<ModelResult> m = s.best(v, l);
        if (m.isPresent()) {
          Series p = m.get().profileAdjusted();
          any |= add(b, series(l + " layers" + mark(m.get()), sigma, p.mean(), p.se(),
              Style.LINE_AND_MARKERS, false));
        }
      }
      if (any) {
        s.evaluation().baseline("tuned_rr").ifPresent(p -> add(b, series("TunedRR", sigma,
            p.profileAdjusted().mean(), null, Style.LINE, false)));
        panels.add(b.build().toChart());
      }
    }
    return Drawn.of(panels, 3, "Per-variance profiles on U(0,5) of models with 2..7 layers "
        + "(needs layers >= 2), one panel per variant, TunedRR for reference" + MARKED);
  }

  static Drawn fig3(SortedMap<String, Selection> sel) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      if (categorical(e.getKey())) {
        lossVsLayers(e.getKey(), e.getValue()).ifPresent(panels::add);
        deepestProfiles(e.getKey(), e.getValue(), true).ifPresent(panels::add);
        Selection s = e.getValue();
        double[] sigma = s.evaluation().profileSigma();
        LinePlot.Builder b = profilePlot("DIAG per layer count, " + Inputs.display(e.getKey()),
            s.evaluation(), ADJ);
        boolean any = false;
        for (int l = 1; l <= maxLayers(s); l++) {
          Optional<ModelResult> m = s.best(Variant.DIAG, l);
          if (m.isPresent()) {
            Series p = m.get().profileAdjusted();
            any |= add(b, series(l + " layers" + mark(m.get()), sigma, p.mean(), null,
                Style.LINE, false));
          }
        }
        if (any) {
          panels.add(b.build().toChart());
        }
      }
    }
    return Drawn.of(panels, 3, "Categorical noise {1,3} and {1,3,5}: loss vs layers, "
        + "per-variance profiles of the deepest models, and DIAG profiles per layer count"
        + MARKED);
  }

  static Drawn fig4(SortedMap<String, Selection> sel, SortedMap<String, Inputs.Trained> ckpt) {
    Selection s = sel.get("c13");
    if (s == null) {
      return Drawn.skip("no {1,3} selection in this profile");
    }
    Optional<Inputs.Trained> t = Inputs.chosen(s, Variant.FULL, 4, ckpt);
    for (int l = maxLayers(s); t.isEmpty() && l >= 1; l--) {
      t = Inputs.chosen(s, Variant.FULL, l, ckpt);
    }
    if (t.isEmpty()) {
      return Drawn.skip("no checkpoint of a FULL model on {1,3} among the inputs");
    }
    String unstable = s.best(Variant.FULL, t.get().layers()).map(FiguresKind::mark).orElse("");
    ModelShape shape = t.get().checkpoint().config().shape();
    double[] params = t.get().checkpoint().params();
    int dim = shape.tokenDim();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < dim - 1; i++) {
      labels.add("x" + (i + 1));
    }
    labels.add("y");
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (int which = 0; which < 2; which++) {
      double scale = 0;
      for (int l = 0; l < shape.layers(); l++) {
        scale = Math.max(scale, maxAbs(matrix(params, shape.offset(l, 0) + which * dim * dim,
            dim)));
      }
      for (int l = 0; l < shape.layers(); l++) {
        double[][] m = matrix(params, shape.offset(l, 0) + which * dim * dim, dim);
        HeatMap.Builder hb = HeatMap.builder(m).title((which == 0 ? "P" : "Q") + " of layer "
            + (l + 1) + unstable).rowLabels(labels).columnLabels(labels).size(360, 320);
        if (scale > 0) {
          hb.scale(scale);
        }
        panels.add(hb.build().toChart());
      }
    }
    return Drawn.of(panels, shape.layers(), "P^l (top) and Q^l (bottom) of the "
        + shape.layers() + "-layer FULL model on {1,3} (" + t.get().stage() + unstable
        + ", head 1, 1/n convention), one colour scale per row");
  }

  private static double[][] matrix(double[] p, int offset, int dim) {
    double[][] m = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      System.arraycopy(p, offset + i * dim, m[i], 0, dim);
    }
    return m;
  }

  private static double maxAbs(double[][] m) {
    double x = 0;
    for (double[] r : m) {
      for (double v : r) {
        x = Math.max(x, Math.abs(v));
      }
    }
    return x;
  }

  static Drawn fig5(SortedMap<String, Selection> sel) {
    Selection s = sel.get(Inputs.EXAMPLE_NOISE);
    if (s == null) {
      return Drawn.skip("no U(0,5) selection in this profile");
    }
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Variant v : Inputs.VARIANTS) {
      LinePlot.Builder b = plot(Inputs.label(v) + " on U(0,5)", "read-out after layer K", ADJ)
          .logY(true).xPattern("0");
      boolean any = false;
      for (int l = 1; l <= maxLayers(s); l++) {
        Optional<Choice> c = s.choice(v, l);
        if (c.isPresent()) {
          Series p = c.get().perLayerAcrossSeeds();
          int u = c.get().unstable();
          any |= add(b, series(l + " layers" + (u == 0 ? "" : Inputs.f(" (%d of %d seeds "
              + "unstable)", u, c.get().seeds().size())), range(1, p.size()), p.mean(), p.se(),
              Style.LINE_AND_MARKERS, true));
        }
      }
      if (any) {
        panels.add(b.build().toChart());
      }
    }
    return Drawn.of(panels, 3, "Prediction read out after each layer K of the models with 1..7 "
        + "layers on U(0,5): mean ± SE over every seed, unstable ones included (the legend "
        + "says how many); log y");
  }

  static Drawn fig6(SortedMap<String, Selection> sel) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      deepestProfiles(e.getKey(), e.getValue(), false).ifPresent(panels::add);
    }
    return Drawn.of(panels, 4, "Unadjusted loss vs the fixed noise level sigma, deepest models "
        + "and baselines, per noise distribution" + MARKED);
  }

  static Drawn fig7(SortedMap<String, Selection> sel) {
    Selection s = sel.get(Inputs.EXAMPLE_NOISE);
    if (s == null) {
      return Drawn.skip("no U(0,5) selection in this profile");
    }
    List<Chart<?, ?>> panels = new ArrayList<>();
    double[] sigma = s.evaluation().profileSigma();
    for (Variant v : Inputs.VARIANTS) {
      Optional<ModelResult> m = Inputs.deepestModel(s, v);
      if (m.isEmpty()) {
        continue;
      }
      LinePlot.Builder b = profilePlot(Inputs.label(v) + ", " + m.get().layers()
          + " layers, U(0,5)" + mark(m.get()), s.evaluation(), ADJ);
      boolean any = false;
      List<Series> byLayer = m.get().profileAdjustedByLayer();
      for (int k = 0; k < byLayer.size(); k++) {
        any |= add(b, series("after layer " + (k + 1), sigma, byLayer.get(k).mean(), null,
            Style.LINE, false));
      }
      if (any) {
        panels.add(b.build().toChart());
      }
    }
    return Drawn.of(panels, 3, "Per-variance profile of the read-out after each layer of the "
        + "deepest model of each variant on U(0,5); an unstable model is marked \"(unstable)\" "
        + "in its panel's title");
  }

  static Drawn omegas(SortedMap<String, Selection> sel, SortedMap<String, Inputs.Trained> ckpt) {
    String[] names = {"omega_xx", "omega_xy", "omega_yx", "omega_yy"};
    List<LinePlot.Builder> bs = new ArrayList<>();
    for (String n : names) {
      bs.add(plot(n + " of DIAG per layer", "layer", n).xPattern("0"));
    }
    boolean any = false;
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Optional<Inputs.Trained> t = Optional.empty();
      for (int l = maxLayers(e.getValue()); t.isEmpty() && l >= 1; l--) {
        t = Inputs.chosen(e.getValue(), Variant.DIAG, l, ckpt);
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
      for (int j = 0; j < 4; j++) {
        any |= add(bs.get(j), series(Inputs.display(e.getKey()) + " (" + shape.layers() + "L)"
            + unstable, range(1, shape.layers()), om[j], null, Style.LINE_AND_MARKERS, false));
      }
    }
    if (!any) {
      return Drawn.skip("no DIAG checkpoint among the inputs");
    }
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (LinePlot.Builder b : bs) {
      panels.add(b.build().toChart());
    }
    return Drawn.of(panels, 2, "The learned DIAG weights (omega_xx, omega_xy, omega_yx, "
        + "omega_yy) per layer of the deepest DIAG model per noise distribution (1/n "
        + "convention)" + MARKED);
  }

  static Drawn gdByK(SortedMap<String, Selection> sel) {
    LinePlot.Builder b = plot("GD estimator (sec. 6)", "GD steps K", ADJ).logY(true)
        .xPattern("0").size(640, 420);
    boolean any = false;
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Series g = e.getValue().evaluation().gdByK();
      if (g != null && g.size() > 0) {
        any |= add(b, series(Inputs.display(e.getKey()), range(1, g.size()), g.mean(), g.se(),
            Style.LINE_AND_MARKERS, true));
      }
    }
    return any ? Drawn.of(List.of(b.build().toChart()), 1, "Adjusted loss of the GD estimator "
        + "(K steps, each K with its tuned step size) per noise distribution; log y")
        : Drawn.skip("no GD estimator results");
  }
}
