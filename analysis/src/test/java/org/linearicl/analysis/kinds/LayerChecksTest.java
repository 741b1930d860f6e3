package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;

/** The report's layer-step and off-range checks on hand-built selections. */
class LayerChecksTest {
  /** {@code m} with other per-layer steps and per-layer profiles. */
  static ModelResult copy(ModelResult m, Series steps, List<Series> profiles) {
    return new ModelResult(m.stage(), m.variant(), m.layers(), m.heads(), m.seed(), m.status(),
        m.chosen(), m.adamSteps(), m.rejectedSteps(), m.trainSequences(),
        m.validationAdjusted(), m.tail(), m.loss(), m.adjusted(), m.confirm(),
        m.perLayerAdjusted(), steps, m.profileLoss(), profiles);
  }

  static Selection steps(Selection s, Variant v, int layers, double[] mean, double[] se) {
    return Fixtures.withModel(s, Fixtures.chosen(v, layers, s.evaluation().noiseKey()),
        m -> copy(m, new Series(mean, se), m.profileAdjustedByLayer()));
  }

  /** The chosen model's final profile with the value at {@code i} replaced. */
  static Selection finalProfileAt(Selection s, Variant v, int layers, int i, double value) {
    return Fixtures.withModel(s, Fixtures.chosen(v, layers, s.evaluation().noiseKey()), m -> {
      List<Series> p = new ArrayList<>(m.profileAdjustedByLayer());
      double[] mean = m.profileAdjusted().mean();
      mean[i] = value;
      p.set(layers - 1, new Series(mean, m.profileAdjusted().se()));
      return copy(m, m.perLayerDiff(), p);
    });
  }

  static SortedMap<String, Selection> map(Selection... sel) {
    SortedMap<String, Selection> m = new TreeMap<>();
    for (Selection s : sel) {
      m.put(s.evaluation().noiseKey(), s);
    }
    return m;
  }

  @Test
  void stepsCountTheChosenDiagAndFullModelsOnTheirSettings() {
    Selection u5 = Fixtures.selection("u5", 3);
    u5 = steps(u5, Variant.DIAG, 2, new double[] {-1, -0.5}, new double[] {0.01, 0.1});
    u5 = steps(u5, Variant.DIAG, 3, new double[] {-1, -0.2, 0.2},
        new double[] {0.01, 0.1, 0.05});
    u5 = steps(u5, Variant.FULL, 2, new double[] {-1, 0.01}, new double[] {0.01, 0.01});
    u5 = steps(u5, Variant.FULL, 3, new double[] {-1, -1, -1}, new double[] {0.01, 0.01, 0.01});
    // GD++ and U(0,1) are not counted, whatever their steps
    Selection u1 = steps(Fixtures.selection("u1", 2), Variant.DIAG, 2, new double[] {-1, 5},
        new double[] {0.01, 0.01});
    u5 = steps(u5, Variant.GDPP, 2, new double[] {-1, 5}, new double[] {0.01, 0.01});
    List<LayerChecks.Step> steps = LayerChecks.layerSteps(map(u5, u1));
    // DIAG-2: 1, DIAG-3: 2, FULL-2: 1, FULL-3: 2 steps
    assertEquals(6, steps.size());
    assertEquals(3, steps.stream().filter(LayerChecks.Step::lower).count());
    List<LayerChecks.Step> up = steps.stream().filter(LayerChecks.Step::higher).toList();
    assertEquals(1, up.size());
    assertEquals("train-diag-3-u5-s0", up.get(0).model().stage());
    assertEquals(3, up.get(0).layer());
    String text = LayerChecks.layerStepsSection(map(u5, u1));
    assertTrue(text.contains("3 of 6 steps lower the adjusted loss by more than 3 SE, 1 raise "
        + "it by more than 3 SE, 2 are within 3 SE"), text);
    assertTrue(text.contains("- DIAG-3 on U(0,5) (train-diag-3-u5-s0), layer 3: +"), text);
    assertTrue(text.contains("(+4.0 SE)"), text);
  }

  @Test
  void offRangeBoundsTheFinalProfileUpToSigmaMaxPlusOne() {
    Selection u5 = Fixtures.selection("u5", 3);
    Evaluation ev = u5.evaluation();
    double[] sigma = ev.profileSigma(); // 0 .. 6 = sigma_max + 1: every point counts
    // 5 points of GD++-3, DIAG-3, FULL-3; the fixture's models are within the bound
    List<LayerChecks.Point> points = LayerChecks.offRange(map(u5));
    assertEquals(3 * sigma.length, points.size());
    assertEquals(0, points.stream().filter(LayerChecks.Point::violates).count());
    // directly: the bound at the last point, max(2 x the worst ridge, the 1-layer DIAG)
    int i = sigma.length - 1;
    double worst = Math.max(ev.baseline("const_rr").orElseThrow().profileAdjusted().mean(i),
        Math.max(ev.baseline("ada_rr").orElseThrow().profileAdjusted().mean(i),
            ev.baseline("tuned_rr").orElseThrow().profileAdjusted().mean(i)));
    double bound = Math.max(2 * worst,
        u5.best(Variant.DIAG, 1).orElseThrow().profileAdjusted().mean(i));
    Selection bad = finalProfileAt(u5, Variant.DIAG, 3, i, 1.5 * bound);
    List<LayerChecks.Point> v = LayerChecks.offRange(map(bad)).stream()
        .filter(LayerChecks.Point::violates).toList();
    assertEquals(1, v.size());
    assertEquals(bound, v.get(0).bound());
    assertEquals(1.5 * bound, v.get(0).value());
    assertEquals(sigma[i], v.get(0).sigma());
    String text = LayerChecks.offRangeSection(map(bad));
    assertTrue(text.contains("(3 on U(0,5))"), text);
    assertTrue(text.contains("1 of 15 points exceed it"), text);
    assertTrue(text.contains("- DIAG-3 on U(0,5) (train-diag-3-u5-s0), sigma = 6"), text);
  }

  /**
   * On {1,3} the fixture's grid is 0..4, so sigma = 4 alone is in (3, 6]: FULL-3
   * at twice DIAG-3's loss there is 2.00 times worse; a FULL profile equal to DIAG's is DIAG's
   * model.
   */
  @Test
  void fullAgainstDiagComparesThemAboveTheTrainingNoiseLevels() {
    Selection c13 = Fixtures.selection("c13", 3);
    int top = c13.evaluation().profileSigma().length - 1;
    double diag = c13.best(Variant.DIAG, 3).orElseThrow().profileAdjusted().mean(top);
    Selection worse = finalProfileAt(c13, Variant.FULL, 3, top, 2 * diag);
    String text = LayerChecks.fullAgainstDiag(map(worse));
    assertTrue(text.contains("sigmas in (3.00, 6.00] of FULL's adjusted loss over DIAG's: 3 "
        + "layers: 2.00 x (at sigma = 4.00: FULL "), text);
    assertTrue(text.contains("worse of the two there in 1 of the 1 depths"), text);
    Selection same = Fixtures.withModel(c13, Fixtures.chosen(Variant.FULL, 3, "c13"),
        m -> copy(m, m.perLayerDiff(), c13.best(Variant.DIAG, 3).orElseThrow()
            .profileAdjustedByLayer()));
    String sameText = LayerChecks.fullAgainstDiag(map(same));
    assertTrue(sameText.contains("3 layers: the DIAG model itself"), sameText);
    assertEquals("", LayerChecks.fullAgainstDiag(map(Fixtures.selection("u5", 3))));
  }

  @Test
  void offRangeLeavesOutSigmasBeyondTheStandardGrid() {
    // a grid to 10, as profile_max 10 gives: 0, 2.5 and 5 are within sigma_max + 1 = 6
    Selection u5 = Fixtures.selection("u5", 3);
    Evaluation e = u5.evaluation();
    Selection wide = new Selection(new Evaluation(e.noise(), e.noiseKey(), e.d(), e.n(),
        e.samples(), e.seed(), new double[] {0, 2.5, 5, 7.5, 10}, e.profileSamples(),
        e.oracleLoss(), e.tuned(), e.baselines(), e.gdByK(), e.models()), u5.choices());
    wide = finalProfileAt(wide, Variant.FULL, 3, 4, 1e9);
    List<LayerChecks.Point> points = LayerChecks.offRange(map(wide));
    assertEquals(9, points.size());
    assertEquals(0, points.stream().filter(LayerChecks.Point::violates).count());
    assertEquals(6.0, LayerChecks.offRangeMax("uniform:5"));
    assertEquals(6.0, LayerChecks.offRangeMax("categorical:1,3"));
  }
}
