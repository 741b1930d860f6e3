package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.figure.SvgChecks;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageInputs;

/**
 * The rules every published figure meets, measured on the written SVG: every text inside the
 * canvas and its panel, no curve drawn exactly on another, a legend no taller than a plot, and
 * the paper's axis per figure.
 */
class FigureRulesTest {

  private static Map<String, byte[]> svgs(Artifact a, List<String> names) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String f : names) {
      if (a.has("figures/" + f + ".svg")) {
        out.put(f, a.bytes("figures/" + f + ".svg"));
      }
    }
    return out;
  }

  private static void textAndCurves(Map<String, byte[]> svgs) throws Exception {
    for (Map.Entry<String, byte[]> e : svgs.entrySet()) {
      List<String> outside = SvgChecks.textOutside(e.getValue());
      assertTrue(outside.isEmpty(), e.getKey() + ": " + outside);
      List<String> hidden = SvgChecks.identicalCurves(e.getValue());
      assertTrue(hidden.isEmpty(), e.getKey() + ": " + hidden);
    }
  }

  @Test
  void everyFigureKeepsItsTextInsideAndNoCurveUnderAnother() throws Exception {
    Map<String, byte[]> svgs = svgs(FiguresKindTest.run(FiguresKindTest.everything()),
        FiguresKind.FIGURES);
    assertEquals(FiguresKind.FIGURES.size(), svgs.size(), "every figure drawn");
    textAndCurves(svgs);
  }

  @Test
  void everyMechanismFigureKeepsItsTextInsideAndNoCurveUnderAnother() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(3, "u5", "c13");
    Checkpoint diag2 = FiguresKindTest.randomCheckpoint(Variant.DIAG, 2, "uniform:5", 4);
    in.put("train-diag-2-u5-s0", MechanismKindTest.checkpoint(diag2));
    in.put("train-diag-3-u5-s0", MechanismKindTest.checkpoint(
        FiguresKindTest.randomCheckpoint(Variant.DIAG, 3, "uniform:5", 5)));
    Checkpoint full2 = FiguresKindTest.randomCheckpoint(Variant.FULL, 2, "uniform:5", 6);
    in.put("train-full-2-u5-s0", MechanismKindTest.checkpoint(new Checkpoint(full2.config(),
        Embedding.embed(diag2.config().shape(), diag2.params(), full2.config().shape(), 0.0),
        full2.curve(), full2.evalSamples(), full2.evalSeed(), full2.evaluation())));
    Map<String, byte[]> svgs = svgs(MechanismKindTest.run(in), MechanismKind.FIGURES);
    assertFalse(svgs.isEmpty());
    textAndCurves(svgs);
  }

  private static Map<String, FigurePage> drawn() {
    StageInputs in = new StageInputs("figures", FiguresKindTest.everything());
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(in, "figures");
    SortedMap<String, TrainedModel> ckpt = UpstreamArtifacts.checkpoints(in);
    Map<String, FigurePage> d = new LinkedHashMap<>();
    d.put("fig1", FiguresKind.fig1(sel));
    d.put("fig2a", FiguresKind.fig2a(sel));
    d.put("fig2b", FiguresKind.fig2b(sel));
    d.put("fig3", FiguresKind.fig3(sel));
    d.put("fig4", FiguresKind.fig4(sel, ckpt));
    d.put("fig5", FiguresKind.fig5(sel));
    d.put("fig6", FiguresKind.fig6(sel));
    d.put("fig7", FiguresKind.fig7(sel));
    d.put("omegas", FiguresKind.omegas(sel, ckpt));
    d.put("gd_by_k", FiguresKind.gdByK(sel));
    return d;
  }

  @Test
  void noLegendIsTallerThanAPlot() {
    for (Map.Entry<String, FigurePage> e : drawn().entrySet()) {
      double legend = SvgChecks.legendHeight(e.getValue().sheet());
      double plot = SvgChecks.plotHeight(e.getValue().sheet());
      assertTrue(legend <= plot, e.getKey() + ": legend " + legend + " pt, plot " + plot);
    }
  }

  private static List<LinePlot> plots(FigurePage d) {
    List<LinePlot> out = new ArrayList<>();
    for (Figure f : d.panels()) {
      if (f instanceof LinePlot p) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void eachFigureHasThePapersAxis() {
    Map<String, FigurePage> d = drawn();
    // the losses span decades: log, as the paper's fig. 1, 3 and 5
    for (String f : List.of("fig1", "fig2a", "fig2b", "fig3", "fig5", "fig6", "gd_by_k")) {
      assertFalse(plots(d.get(f)).isEmpty(), f);
      for (LinePlot p : plots(d.get(f))) {
        assertTrue(p.logY(), f + " " + p.title() + " has a log y axis");
      }
    }
    // the paper's fig. 7: linear, adjusted loss 0 to 1
    for (LinePlot p : plots(d.get("fig7"))) {
      assertFalse(p.logY(), p.title());
      assertEquals(new LinePlot.Range(0, 1), p.yRange(), p.title());
    }
    // signed weights: linear; the noise-free setting on panels of its own
    for (LinePlot p : plots(d.get("omegas"))) {
      assertFalse(p.logY(), p.title());
      assertTrue(p.series().stream().allMatch(s -> s.name().startsWith("U(0,0)"))
          || p.series().stream().noneMatch(s -> s.name().startsWith("U(0,0)")), p.title());
    }
  }

  @Test
  void fig1ShowsThePapersValuesAsHollowMarkers() {
    for (LinePlot p : plots(drawn().get("fig1"))) {
      for (String v : List.of("GD++", "DIAG", "FULL")) {
        assertTrue(p.series().stream().anyMatch(s -> s.name().equals(v + FiguresKind.PAPER)
            && s.style() == LinePlot.Style.HOLLOW), p.title() + " " + v);
      }
    }
  }
}
