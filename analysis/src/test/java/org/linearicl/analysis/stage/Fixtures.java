package org.linearicl.analysis.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.Model;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageInputs;

/**
 * Synthetic selections for the analysis kinds' tests: every number is the paper's Table 1 value
 * (so the comparison has a known answer), with a small standard error, two seeds per model (the
 * second diverged), made-up but positive profiles.
 */
final class Fixtures {
  static final PaperTable1 PAPER = Inputs.paperTable1();

  private Fixtures() {}

  static String spec(String key) {
    if (key.equals("c13")) {
      return "categorical:1,3";
    }
    if (key.equals("c135")) {
      return "categorical:1,3,5";
    }
    return "uniform:" + key.substring(1);
  }

  static double paper(Model m, int layers, String key) {
    RowKey row = m.isBaseline() ? RowKey.baseline(m) : RowKey.of(m, layers);
    return PAPER.value(row, Column.fromKey(key));
  }

  static Model model(String variant) {
    return switch (variant) {
      case "gdpp" -> Model.GD_PLUS_PLUS;
      case "diag" -> Model.DIAG;
      default -> Model.FULL;
    };
  }

  static double se(double v) {
    return 0.01 * v + 1e-13;
  }

  static Series profile(double base, double[] sigma) {
    double[] m = new double[sigma.length];
    double[] s = new double[sigma.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = base * (1 + 0.1 * sigma[i]) + 1e-12;
      s[i] = se(m[i]);
    }
    return new Series(m, s);
  }

  /** A selection for noise {@code key} with layers 1..maxLayers of every variant. */
  static Selection selection(String key, int maxLayers) {
    NoiseDistribution noise = NoiseDistribution.parse(spec(key));
    int points = 5;
    double[] sigma = new double[points];
    for (int i = 0; i < points; i++) {
      sigma[i] = (noise.max() + 1) * i / (points - 1);
    }
    List<PredictorResult> baselines = new ArrayList<>();
    String[] names = {"oracle", "const_rr", "ada_rr", "tuned_rr", "bayes", "gd"};
    for (String name : names) {
      double adj = switch (name) {
        case "oracle" -> 0;
        case "const_rr" -> paper(Model.CONST_RR, 0, key);
        case "ada_rr" -> paper(Model.ADA_RR, 0, key);
        case "tuned_rr" -> paper(Model.TUNED_RR, 0, key);
        case "bayes" -> 0.9 * paper(Model.TUNED_RR, 0, key);
        default -> 1.1 * paper(Model.CONST_RR, 0, key) + 0.01;
      };
      baselines.add(new PredictorResult(name, new Estimate(1 + adj, 0.01, 1000),
          new Estimate(adj, se(adj), 1000), profile(1 + adj, sigma), profile(adj + 0.001, sigma)));
    }
    double[] gd = new double[10];
    for (int k = 0; k < 10; k++) {
      gd[k] = 2.0 / (k + 1);
    }
    List<ModelResult> models = new ArrayList<>();
    List<Choice> choices = new ArrayList<>();
    for (String v : Inputs.VARIANTS) {
      for (int l = 1; l <= maxLayers; l++) {
        double adj = paper(model(v), l, key);
        double[] per = new double[l];
        double[] perSe = new double[l];
        List<Series> profiles = new ArrayList<>();
        for (int k = 1; k <= l; k++) {
          per[k - 1] = paper(model(v), k, key) + 1e-13;
          perSe[k - 1] = se(per[k - 1]);
          profiles.add(profile(per[k - 1], sigma));
        }
        String s0 = String.format(Locale.ROOT, "train-%s-%d-%s-s0", v, l, key);
        String s1 = String.format(Locale.ROOT, "train-%s-%d-%s-s1", v, l, key);
        models.add(new ModelResult(s0, v, l, 1, 0, ModelResult.OK, 100, 64, 0.01, 0, adj,
            new Estimate(1 + adj, 0.01, 1000), new Estimate(adj, se(adj), 1000),
            new Series(per, perSe), profile(1 + adj, sigma), profiles));
        models.add(new ModelResult(s1, v, l, 1, 1, ModelResult.DIVERGED, 50, 64, 0.005, 1,
            Double.NaN, null, null, null, null, List.of()));
        choices.add(new Choice(v, l, s0, List.of(s0, s1), 1, new Estimate(adj, Double.NaN, 1),
            new Series(per, perSe)));
      }
    }
    double[] eta = new double[10];
    java.util.Arrays.fill(eta, 0.5);
    TunedBaselines tuned = new TunedBaselines(noise, 1.5, 1.2, 9.0, eta, 1000, 3);
    Evaluation ev = new Evaluation(noise.spec(), key, 10, 20, 1000, 99, sigma, 100,
        new Estimate(1.0, 0.01, 1000), tuned, baselines, profile(0.5, new double[10]), models);
    return new Selection(ev, choices);
  }

  /** Inputs with one select-&lt;key&gt; stage per key. */
  static SortedMap<String, Artifact> selectArtifacts(int maxLayers, String... keys) {
    SortedMap<String, Artifact> m = new TreeMap<>();
    for (String k : keys) {
      m.put("select-" + k, Artifact.ofText(ResultsJson.SELECTION_FILE,
          ResultsJson.writeSelection(selection(k, maxLayers))));
    }
    return m;
  }

  static StageInputs inputs(String stage, SortedMap<String, Artifact> m) {
    return new StageInputs(stage, m);
  }

  static OptionalInt none() {
    return OptionalInt.empty();
  }
}
