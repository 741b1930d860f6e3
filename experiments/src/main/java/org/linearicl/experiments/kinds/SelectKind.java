package org.linearicl.experiments.kinds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * {@code select}: per (variant, layers), the stable seed with the lowest validation loss (the
 * paper reports the best of its seeds; we choose on validation sequences, not on the evaluation
 * set, so the choice does not flatter the reported number; an unstable seed only when no seed is
 * stable), keeping every seed's numbers and their mean and standard error over seeds. Needs one evaluate stage. Artifact: {@value
 * ResultsJson#SELECTION_FILE}, which embeds the evaluation, so the analysis needs nothing else.
 */
public final class SelectKind extends DeclaredKind {
  public SelectKind() {
    super("select",
        3, // 2: stable seeds first; 3: selection/3 (models carry their per-layer steps)
        "chooses the best seed per model on validation loss, keeping every seed's numbers",
        List.of());
  }

  @Override
  public Artifact run(StageParams p, StageInputs inputs, StageContext ctx) {
    String from = inputs.all().isEmpty() ? "" : inputs.all().firstKey();
    Evaluation e = ResultsJson.evaluation(inputs.only(), from);
    return Artifact.ofText(ResultsJson.SELECTION_FILE,
        ResultsJson.writeSelection(select(e)));
  }

  /** The selection of {@code e}; models keep the evaluation's order. */
  public static Selection select(Evaluation e) {
    Map<String, List<ModelResult>> groups = new LinkedHashMap<>();
    for (ModelResult m : e.models()) {
      groups.computeIfAbsent(m.variant().cliName() + "/" + m.layers(), k -> new ArrayList<>())
          .add(m);
    }
    List<Choice> choices = new ArrayList<>();
    for (List<ModelResult> group : groups.values()) {
      ModelResult first = group.get(0);
      List<String> seeds = new ArrayList<>();
      ModelResult best = null;
      int unstable = 0;
      for (ModelResult m : group) {
        seeds.add(m.stage());
        unstable += m.stable() ? 0 : 1;
        if (best == null || better(m, best)) {
          best = m;
        }
      }
      double[] adjusted = new double[group.size()];
      for (int i = 0; i < group.size(); i++) {
        adjusted[i] = group.get(i).adjusted().mean();
      }
      double[] mean = new double[first.layers()];
      double[] se = new double[first.layers()];
      for (int l = 0; l < first.layers(); l++) {
        double[] v = new double[group.size()];
        for (int i = 0; i < group.size(); i++) {
          v[i] = group.get(i).perLayerAdjusted().mean(l);
        }
        Estimate est = Estimate.over(v);
        mean[l] = est.mean();
        se[l] = est.se();
      }
      choices.add(new Choice(first.variant(), first.layers(), best.stage(), seeds, unstable,
          Estimate.over(adjusted), new Series(mean, se)));
    }
    return new Selection(e, choices);
  }

  /**
   * Whether {@code m} is preferred to {@code best}: a stable model to an unstable one, then the
   * lower validation loss (strict: ties keep the earlier seed; NaN never wins).
   */
  private static boolean better(ModelResult m, ModelResult best) {
    if (m.stable() != best.stable()) {
      return m.stable();
    }
    return m.validationAdjusted() < best.validationAdjusted()
        || (Double.isNaN(best.validationAdjusted()) && !Double.isNaN(m.validationAdjusted()));
  }
}
