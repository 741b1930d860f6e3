package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.FigureWriter;
import org.linearicl.analysis.figure.HeatMap;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.figure.Palette;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingCurve;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class FiguresKindTest {
  /** A checkpoint with N(0, 0.1^2) parameters (the figures only read the weights). */
  static Checkpoint randomCheckpoint(Variant v, int layers, String spec, long seed) {
    TrainingConfig cfg = TrainingConfig.builder(v, layers,
        TaskSpec.paper(NoiseDistribution.parse(spec))).seed(seed).steps(10).batchSize(64)
        .adam(new AdamConfig(1e-3, 0.9, 0.99, 1e-8)).schedule(new Schedule.Constant())
        .initStd(0.1).curveEvery(5).build();
    Gaussian g = new Gaussian(Streams.of(seed, Streams.Purpose.INIT));
    double[] p = new double[cfg.shape().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.1 * g.next();
    }
    return new Checkpoint(cfg, p, new TrainingCurve(new long[] {5}, new double[] {1.0}), 10, 1,
        new PairedEvaluation(new LossSummary(1, 0.1, 10), new LossSummary(0.5, 0.1, 10),
            new LossSummary(0.5, 0.1, 10)));
  }

  static Artifact run(SortedMap<String, Artifact> in) throws Exception {
    FiguresKind k = new FiguresKind();
    return k.run(StageParams.resolve("figures", k.params(), JsonNodeFactory.instance.objectNode()),
        new StageInputs("figures", in), StageContext.simple("figures", 1));
  }

  /** The inputs of every figure: three noise settings, 4 layers, the weight checkpoints. */
  static SortedMap<String, Artifact> everything() {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(4, "u0", "u5", "c13");
    in.put("train-full-4-c13-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.FULL, 4, "categorical:1,3", 1))));
    in.put("train-diag-4-u5-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.DIAG, 4, "uniform:5", 2))));
    in.put("train-diag-4-u5-s1", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.DIAG, 4, "uniform:5", 3))));
    return in;
  }

  @Test
  void everyFigureIsDrawnAsPngSvgAndPdfWhenTheDataIsThere() throws Exception {
    Artifact a = run(everything());
    for (String f : FiguresKind.FIGURES) {
      byte[] png = a.bytes("figures/" + f + ".png");
      assertEquals((byte) 0x89, png[0], f);
      assertEquals('P', png[1], f);
      String svg = new String(a.bytes("figures/" + f + ".svg"), StandardCharsets.UTF_8);
      assertTrue(svg.contains("<svg") && svg.contains("<text"), f);
      assertTrue(svg.length() < 400_000, f + ": " + svg.length() / 1024 + " KB");
      assertEquals("%PDF-", new String(a.bytes("figures/" + f + ".pdf"), 0, 5,
          StandardCharsets.ISO_8859_1), f);
    }
    String readme = a.text("figures/README.md");
    assertTrue(readme.contains("## Skipped\n\nNone.\n"), readme);
    assertTrue(readme.contains("## Unstable models\n\nNone: every chosen model is stable.\n"),
        readme);
    assertTrue(readme.contains("[pdf](fig1.pdf)"), readme);
    Artifact again = run(everything());
    for (String f : FiguresKind.FIGURES) {
      for (String ext : List.of(".png", ".svg", ".pdf")) {
        assertArrayEquals(a.bytes("figures/" + f + ext), again.bytes("figures/" + f + ext),
            f + ext);
      }
    }
    assertEquals(a.digest(), again.digest());
  }

  /** The line plots of a drawn figure. */
  static List<LinePlot> plots(FigurePage d) {
    List<LinePlot> out = new ArrayList<>();
    for (Figure f : d.panels()) {
      out.add((LinePlot) f);
    }
    return out;
  }

  /** The series names of every panel of a drawn figure. */
  static List<Set<String>> legends(FigurePage d) {
    List<Set<String>> out = new ArrayList<>();
    for (LinePlot p : plots(d)) {
      Set<String> names = new TreeSet<>();
      for (LinePlot.Series x : p.series()) {
        names.add(x.name());
      }
      out.add(names);
    }
    return out;
  }

  /** The series named {@code name} of a panel. */
  static LinePlot.Series series(LinePlot panel, String name) {
    for (LinePlot.Series x : panel.series()) {
      if (x.name().equals(name)) {
        return x;
      }
    }
    throw new AssertionError("no series " + name);
  }

  @Test
  void anUnstableModelIsDrawnAndMarked() throws Exception {
    Selection s = Fixtures.selection("u5", 3);
    s = Fixtures.withModel(s, Fixtures.chosen(Variant.DIAG, 3, "u5"), m -> Fixtures.with(m,
        ModelResult.Status.UNSTABLE, Fixtures.unstableTail(m.adjusted().mean()), m.adjusted(),
        m.confirm()));
    SortedMap<String, Selection> sel = new TreeMap<>(Map.of("u5", s));
    // fig1: DIAG 1 and 2 in the DIAG series, DIAG 3 in a series of its own
    Set<String> fig1 = legends(FiguresKind.fig1(sel)).get(0);
    assertTrue(fig1.containsAll(List.of("GD++", "DIAG", "DIAG (unstable)", "FULL")), fig1.toString());
    assertFalse(fig1.contains("GD++ (unstable)"), fig1.toString());
    LinePlot panel = plots(FiguresKind.fig1(sel)).get(0);
    LinePlot.Series flagged = series(panel, "DIAG (unstable)");
    LinePlot.Series diag = series(panel, "DIAG");
    // DIAG is the middle variant: its markers sit at the layer counts
    assertArrayEquals(new double[] {3}, flagged.x());
    assertArrayEquals(new double[] {1, 2}, diag.x());
    assertArrayEquals(new double[] {1 - FiguresKind.DODGE, 2 - FiguresKind.DODGE,
        3 - FiguresKind.DODGE}, series(panel, "GD++").x(), 1e-12);
    // an X in DIAG's colour, a marker no stable series has
    assertEquals(diag.slot(), flagged.slot());
    assertEquals(LinePlot.Style.FLAGGED, flagged.style());
    for (String name : List.of("GD++", "DIAG", "FULL")) {
      assertEquals(LinePlot.Style.MARKERS, series(panel, name).style(), name);
    }
    // the deepest DIAG model's profile is drawn, marked
    assertTrue(legends(FiguresKind.fig2a(sel)).get(0).contains("DIAG (unstable)"),
        legends(FiguresKind.fig2a(sel)).toString());
    assertEquals("U(0,5), 3 layers", plots(FiguresKind.fig2a(sel)).get(0).title());
    assertTrue(legends(FiguresKind.fig2b(sel)).get(1).contains("3 layers (unstable)"),
        legends(FiguresKind.fig2b(sel)).toString());
    // fig5 averages every seed: the legend says how many are unstable
    assertTrue(legends(FiguresKind.fig5(sel)).get(1).contains("3 layers (1 of 2 seeds unstable)"),
        legends(FiguresKind.fig5(sel)).toString());
    String readme = run(Fixtures.artifacts(s)).text("figures/README.md");
    assertTrue(readme.contains("## Unstable models\n\nDrawn and marked \"(unstable)\" in the "
        + "legends:\n\n- U(0,5), DIAG 3 (train-diag-3-u5-s0): tail check failed"), readme);
  }

  @Test
  void labelsUseTheSingularForOne() {
    assertEquals("1 layer", FiguresKind.layers(1));
    assertEquals("7 layers", FiguresKind.layers(7));
    assertEquals("1 seed", FiguresKind.plural(1, "seed"));
    SortedMap<String, Selection> sel = new TreeMap<>(Map.of("u5", Fixtures.selection("u5", 3)));
    Set<String> fig5 = legends(FiguresKind.fig5(sel)).get(0);
    assertTrue(fig5.contains("1 layer (1 of 2 seeds unstable)")
        && fig5.contains("2 layers (1 of 2 seeds unstable)"), fig5.toString());
    for (FigurePage d : List.of(FiguresKind.fig1(sel), FiguresKind.fig2a(sel),
        FiguresKind.fig2b(sel), FiguresKind.fig5(sel), FiguresKind.fig6(sel))) {
      for (Set<String> names : legends(d)) {
        for (String n : names) {
          assertFalse(n.matches(".*\\b1 layers.*"), n);
        }
      }
    }
  }

  @Test
  void noTwoSeriesOfAFigureLookAlikeAndAVariantLooksAlikeInEveryFigure() throws Exception {
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(new StageInputs("figures",
        everything()), "figures");
    SortedMap<String, TrainedModel> ckpt = UpstreamArtifacts.checkpoints(new StageInputs("figures",
        everything()));
    Map<String, List<Object>> variantLooks = new TreeMap<>();
    for (FigurePage d : List.of(FiguresKind.fig1(sel), FiguresKind.fig2a(sel),
        FiguresKind.fig2b(sel), FiguresKind.fig3(sel), FiguresKind.fig5(sel),
        FiguresKind.fig6(sel), FiguresKind.fig7(sel), FiguresKind.omegas(sel, ckpt),
        FiguresKind.gdByK(sel))) {
      Map<String, Integer> slots = d.sheet().slots();
      Map<List<Object>, String> looks = new java.util.HashMap<>();
      for (LinePlot p : plots(d)) {
        for (LinePlot.Series x : p.series()) {
          Palette.Look l = Palette.look(slots.get(x.name()));
          List<Object> look = List.of(l.color(), l.marker(), l.dash(), x.style());
          String other = looks.putIfAbsent(look, x.name());
          assertTrue(other == null || other.equals(x.name()) || sameVariant(other, x.name()),
              d.caption() + ": " + other + " and " + x.name() + " look alike");
          for (String v : List.of("GD++", "DIAG", "FULL", "TunedRR", "Bayes-optimal")) {
            if (x.name().equals(v) || x.name().startsWith(v + " (")) {
              List<Object> prev = variantLooks.putIfAbsent(v, List.of(l.color()));
              assertTrue(prev == null || prev.equals(List.of(l.color())), v);
            }
          }
        }
      }
    }
  }

  /** "DIAG (3 layers)" in one panel, "DIAG (4 layers)" in another: one variant, one look. */
  private static boolean sameVariant(String a, String b) {
    return a.split(" ")[0].equals(b.split(" ")[0]) && a.contains("layers)")
        && b.contains("layers)");
  }

  @Test
  void aRoundOffBaselineIsZeroOffTheBottomAndDoesNotSetTheAxis() {
    Selection s = Fixtures.selection("u0", 3);
    Evaluation e = s.evaluation();
    List<PredictorResult> baselines = new ArrayList<>();
    for (PredictorResult p : e.baselines()) {
      baselines.add(!p.name().equals("ada_rr") ? p : new PredictorResult(p.name(), p.loss(),
          new Estimate(2.7e-29, 1e-30, 1000), p.profileLoss(), p.profileAdjusted()));
    }
    Selection t = new Selection(new Evaluation(e.noise(), e.noiseKey(), e.d(), e.n(),
        e.samples(), e.seed(), e.profileSigma(), e.profileSamples(), e.oracleLoss(), e.tuned(),
        baselines, e.gdByK(), e.models()), s.choices());
    assertEquals(1e-12, FiguresKind.floor(e), 0, "1e-12 x the oracle's loss of 1");
    LinePlot panel = plots(FiguresKind.fig1(new TreeMap<>(Map.of("u0", t)))).get(0);
    LinePlot.Series ada = series(panel, "AdaRR");
    assertArrayEquals(new double[] {0, 0}, ada.y(), "round-off is 0");
    assertEquals(LinePlot.Side.BELOW, panel.side(ada.y()[0]));
    assertTrue(panel.yRange().min() > 1e-12, panel.yRange().toString());
    // a model's real loss far below the others stays on the axis
    assertEquals(1e-7, FiguresKind.zeroBelow(new double[] {1e-7}, FiguresKind.floor(e))[0]);
  }

  @Test
  void fig4SaysWhichModelItShows() throws Exception {
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(new StageInputs("figures",
        everything()), "figures");
    FigurePage d = FiguresKind.fig4(sel, UpstreamArtifacts.checkpoints(new StageInputs("figures",
        everything())));
    assertEquals("P and Q of the 4-layer FULL model on {1,3} (train-full-4-c13-s0)", d.title());
    assertEquals(8, d.panels().size(), "P and Q of 4 layers, each with its own colour bar");
    assertEquals(4, d.columns(), "one row of P, one of Q");
    // a scale per matrix: one matrix's large entry does not whiten another
    HeatMap p1 = (HeatMap) d.panels().get(0);
    HeatMap p2 = (HeatMap) d.panels().get(1);
    assertNotEquals(p1.scale(), p2.scale());
    assertTrue(d.caption().contains("the paper's depth"), d.caption());
    FigureWriter.Sheet sheet = d.sheet();
    assertTrue(sheet.width() > 0 && sheet.legend().isEmpty());
  }

  @Test
  void missingDataSkipsFiguresAndListsThem() throws Exception {
    Artifact a = run(Fixtures.selectArtifacts(1, "u3"));
    assertTrue(a.has("figures/fig1.png") && a.has("figures/fig1.svg"));
    assertFalse(a.has("figures/fig4.png"));
    String readme = a.text("figures/README.md");
    for (String f : new String[] {"fig2b", "fig3", "fig4", "fig5", "fig7", "omegas"}) {
      assertTrue(readme.contains("- `" + f + "`: "), f + "\n" + readme);
    }
  }

  @Test
  void theSpreadOverSeedsIsTheMeanAndTheSampleStandardDeviation() {
    // a known value: 1, 2, 3, 4 have mean 2.5 and sample variance 5/3
    FiguresKind.Spread known = FiguresKind.Spread.over(List.of(new double[] {1},
        new double[] {2}, new double[] {3}, new double[] {4}));
    assertEquals(2.5, known.mean()[0], 0);
    assertEquals(Math.sqrt(5.0 / 3), known.sd()[0], 2 * Math.ulp(Math.sqrt(5.0 / 3)));
    // against the standard error of the seeds' values times sqrt(n), point by point
    java.util.Random r = new java.util.Random(7);
    List<double[]> curves = new ArrayList<>();
    for (int seed = 0; seed < 5; seed++) {
      double[] c = new double[9];
      for (int i = 0; i < c.length; i++) {
        c[i] = Math.exp(3 * r.nextGaussian());
      }
      curves.add(c);
    }
    FiguresKind.Spread p = FiguresKind.Spread.over(curves);
    for (int i = 0; i < 9; i++) {
      double[] v = new double[curves.size()];
      double sum = 0;
      for (int k = 0; k < v.length; k++) {
        v[k] = curves.get(k)[i];
        sum += v[k];
      }
      Estimate e = Estimate.over(v);
      // sums of five positive terms, in another order or by another formula: a few ulps apart
      assertEquals(sum / v.length, p.mean()[i], 8 * Math.ulp(p.mean()[i]), "mean " + i);
      assertEquals(e.se() * Math.sqrt(v.length), p.sd()[i], 1e-13 * p.sd()[i] + 8 * Math.ulp(
          p.mean()[i]), "sd " + i);
    }
    // seeds that agree to 9 digits: the deviations, not 1e16-sized squares, are summed; the
    // inputs themselves are exact to ulp(1e8) = 1.5e-8
    FiguresKind.Spread close = FiguresKind.Spread.over(List.of(new double[] {1e8 + 0.1},
        new double[] {1e8 + 0.2}, new double[] {1e8 + 0.3}));
    assertEquals(0.1, close.sd()[0], 2 * Math.ulp(1e8));
    // one seed: no error bar
    assertTrue(Double.isNaN(FiguresKind.Spread.over(List.of(new double[] {0.5})).sd()[0]));
  }

  /** {@code m} with another per-layer read-out. */
  private static ModelResult withPerLayer(ModelResult m, double[] perLayer) {
    return new ModelResult(m.stage(), m.variant(), m.layers(), m.heads(), m.seed(), m.status(),
        m.chosen(), m.adamSteps(), m.rejectedSteps(), m.trainSequences(),
        m.validationAdjusted(), m.tail(), m.loss(), m.adjusted(), m.confirm(),
        new org.linearicl.experiments.results.Series(perLayer, new double[perLayer.length]),
        m.perLayerDiff(), m.profileLoss(), m.profileAdjustedByLayer());
  }

  @Test
  void fig5DrawsTheMeanOverSeedsWithTheStandardDeviationAsBars() {
    Selection s = Fixtures.selection("u5", 2);
    String s1 = Fixtures.chosen(Variant.DIAG, 2, "u5").replace("-s0", "-s1");
    s = Fixtures.withModel(s, s1, m -> withPerLayer(m, new double[] {0.9, 0.1}));
    double[] s0 = s.best(Variant.DIAG, 2).orElseThrow().perLayerAdjusted().mean();
    FigurePage d = FiguresKind.fig5(new TreeMap<>(Map.of("u5", s)));
    LinePlot.Series diag2 = series(plots(d).get(1), "2 layers (1 of 2 seeds unstable)");
    for (int k = 0; k < 2; k++) {
      double other = k == 0 ? 0.9 : 0.1;
      // two values: mean (a + b) / 2, sample standard deviation |a - b| / sqrt(2)
      assertEquals((s0[k] + other) / 2, diag2.y()[k], 1e-15, "mean " + k);
      assertEquals(Math.abs(s0[k] - other) / Math.sqrt(2), diag2.yError()[k], 1e-15, "sd " + k);
    }
    assertTrue(d.caption().contains("standard deviation over the seeds"), d.caption());
    assertTrue(d.caption().contains("the 2 seeds"), d.caption());
  }

  @Test
  void fig7IsAGridOfARowPerDepthAndAColumnPerVariantWithALinePerLayer() {
    Selection s = Fixtures.selection("u5", 4);
    // no FULL model with 3 layers: its cell stays blank, the others keep their places
    List<org.linearicl.experiments.results.Choice> choices = new ArrayList<>(s.choices());
    choices.removeIf(c -> c.variant() == Variant.FULL && c.layers() == 3);
    s = new Selection(s.evaluation(), choices);
    FigurePage d = FiguresKind.fig7(new TreeMap<>(Map.of("u5", s)));
    assertEquals(3, d.columns(), "one column per variant");
    assertEquals(3 * 3, d.panels().size(), "depths 2, 3 and 4 (1 layer left out) x 3 variants");
    List<String> variants = List.of("GD++", "DIAG", "FULL");
    for (int row = 0; row < 3; row++) {
      int depth = row + FiguresKind.FIG7_MIN_LAYERS;
      for (int col = 0; col < 3; col++) {
        Figure f = d.panels().get(row * 3 + col);
        if (depth == 3 && col == 2) {
          assertEquals("no FULL model with 3 layers",
              ((org.linearicl.analysis.figure.Blank) f).note(), "FULL 3 is blank");
          continue;
        }
        LinePlot p = (LinePlot) f;
        assertTrue(p.title().startsWith(variants.get(col) + ", " + depth + " layers"),
            p.title());
        assertEquals(depth, p.series().size(), p.title() + ": one line per layer");
        for (int k = 0; k < depth; k++) {
          LinePlot.Series x = p.series().get(k);
          assertEquals(FiguresKind.AFTER_LAYER + (k + 1), x.name());
          assertEquals(k, x.slot(), "coloured by the layer");
        }
        assertEquals(new LinePlot.Range(0, 1), p.yRange(), p.title());
      }
    }
    Map<String, Integer> slots = d.sheet().slots();
    assertEquals(4, slots.size(), "one legend entry per layer: " + slots);
  }

  @Test
  void fig7DrawsTheMeanOverSeedsOfEachLayersProfileWithTheStandardDeviationAsBars() {
    Selection s = Fixtures.selection("u5", 2);
    String s1 = Fixtures.chosen(Variant.DIAG, 2, "u5").replace("-s0", "-s1");
    // the second seed's profiles twice the first's: mean 1.5 a, deviation |2a - a| / sqrt(2)
    s = Fixtures.withModel(s, s1, m -> {
      List<org.linearicl.experiments.results.Series> twice = new ArrayList<>();
      for (org.linearicl.experiments.results.Series p : m.profileAdjustedByLayer()) {
        twice.add(new org.linearicl.experiments.results.Series(
            java.util.Arrays.stream(p.mean()).map(v -> 2 * v).toArray(), p.se()));
      }
      return new ModelResult(m.stage(), m.variant(), m.layers(), m.heads(), m.seed(),
          m.status(), m.chosen(), m.adamSteps(), m.rejectedSteps(), m.trainSequences(),
          m.validationAdjusted(), m.tail(), m.loss(), m.adjusted(), m.confirm(),
          m.perLayerAdjusted(), m.perLayerDiff(), m.profileLoss(), twice);
    });
    ModelResult s0 = s.best(Variant.DIAG, 2).orElseThrow();
    FigurePage d = FiguresKind.fig7(new TreeMap<>(Map.of("u5", s)));
    assertEquals(3, d.panels().size(), "one depth (2) x 3 variants");
    LinePlot diag = (LinePlot) d.panels().get(1);
    for (int k = 0; k < 2; k++) {
      double[] a = s0.profileAdjustedByLayer().get(k).mean();
      LinePlot.Series x = diag.series().get(k);
      for (int i = 0; i < a.length; i++) {
        assertEquals(1.5 * a[i], x.y()[i], 2 * Math.ulp(1.5 * a[i]), "mean " + k + "/" + i);
        assertEquals(a[i] / Math.sqrt(2), x.yError()[i], 4 * Math.ulp(a[i]), "sd " + k + "/" + i);
      }
    }
  }
}
