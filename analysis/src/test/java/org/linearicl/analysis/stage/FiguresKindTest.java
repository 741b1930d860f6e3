package org.linearicl.analysis.stage;

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
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.junit.jupiter.api.Test;
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

  @Test
  void everyFigureIsDrawnAsPngAndSvgWhenTheDataIsThere() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(4, "u0", "u5", "c13");
    in.put("train-full-4-c13-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.FULL, 4, "categorical:1,3", 1))));
    in.put("train-diag-4-u5-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.DIAG, 4, "uniform:5", 2))));
    in.put("train-diag-4-u5-s1", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.DIAG, 4, "uniform:5", 3))));
    Artifact a = run(in);
    for (String f : ReportKind.FIGURES) {
      byte[] png = a.bytes("figures/" + f + ".png");
      assertEquals((byte) 0x89, png[0], f);
      assertEquals('P', png[1], f);
      String svg = new String(a.bytes("figures/" + f + ".svg"), StandardCharsets.UTF_8);
      assertTrue(svg.contains("<svg"), f);
    }
    String readme = a.text("figures/README.md");
    assertTrue(readme.contains("## Skipped\n\nNone.\n"), readme);
    assertTrue(readme.contains("## Unstable models\n\nNone: every chosen model is stable.\n"),
        readme);
    Artifact again = run(in);
    assertArrayEquals(a.bytes("figures/fig1.png"), again.bytes("figures/fig1.png"));
    assertEquals(a.digest(), again.digest());
  }

  /** The series names of every panel of a drawn figure. */
  static List<Set<String>> legends(FiguresKind.Drawn d) {
    List<Set<String>> out = new ArrayList<>();
    for (Chart<?, ?> c : d.panels()) {
      Set<String> names = new TreeSet<>();
      for (XYSeries x : ((XYChart) c).getSeriesCollection()) {
        names.add(x.getName());
      }
      out.add(names);
    }
    return out;
  }

  /** The series named {@code name} of a panel. */
  static XYSeries series(Chart<?, ?> panel, String name) {
    for (XYSeries x : ((XYChart) panel).getSeriesCollection()) {
      if (x.getName().equals(name)) {
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
    Chart<?, ?> panel = FiguresKind.fig1(sel).panels().get(0);
    XYSeries flagged = series(panel, "DIAG (unstable)");
    XYSeries diag = series(panel, "DIAG");
    assertArrayEquals(new double[] {3}, flagged.getXData());
    assertArrayEquals(new double[] {1, 2}, diag.getXData());
    // an X in DIAG's colour, a marker no stable series has
    assertEquals(diag.getMarkerColor(), flagged.getMarkerColor());
    assertEquals(SeriesMarkers.CROSS, flagged.getMarker());
    for (String name : List.of("GD++", "DIAG", "FULL")) {
      assertNotEquals(SeriesMarkers.CROSS, series(panel, name).getMarker(), name);
    }
    // the deepest DIAG model's profile is drawn, marked
    assertTrue(legends(FiguresKind.fig2a(sel)).get(0).contains("DIAG (3 layers) (unstable)"),
        legends(FiguresKind.fig2a(sel)).toString());
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
  void missingDataSkipsFiguresAndListsThem() throws Exception {
    Artifact a = run(Fixtures.selectArtifacts(1, "u3"));
    assertTrue(a.has("figures/fig1.png") && a.has("figures/fig1.svg"));
    assertFalse(a.has("figures/fig4.png"));
    String readme = a.text("figures/README.md");
    for (String f : new String[] {"fig2b", "fig3", "fig4", "fig5", "fig7", "omegas"}) {
      assertTrue(readme.contains("- `" + f + "`: "), f + "\n" + readme);
    }
  }
}
