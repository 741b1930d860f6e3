package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.baselines.PredictorId;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.train.TailCheck;
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
 * Synthetic selections for the analysis kinds' tests: every number of a chosen model is the
 * paper's Table 1 value (so the comparison has a known answer), with a small standard error,
 * two seeds per model (the first stable and chosen, the second unstable: its tail check failed
 * and its loss is three times the paper's), made-up but positive profiles.
 */
final class Fixtures {
  static final PaperTable1 PAPER = PaperLayout.paperTable1();

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

  static double paper(PredictorId m, int layers, String key) {
    RowKey row = m.isTransformer() ? RowKey.of(m, layers) : RowKey.baseline(m);
    return PAPER.value(row, Column.fromKey(key));
  }

  /** Fresh sequences of every fixture tail check. */
  static final int TAIL_SAMPLES = 1_000_000;

  /** A passing tail check of a model with adjusted loss {@code adj}. */
  static TailCheck.Stats stableTail(double adj) {
    return new TailCheck.Stats(TAIL_SAMPLES, 0, new LossSummary(1 + adj, 0.01, TAIL_SAMPLES),
        new LossSummary(adj, se(adj), TAIL_SAMPLES), 40 * (1 + adj), 120, 0.02, 0, 0.0);
  }

  /** A failing one: two exploding sequences, one with a loss of 3.2e80, carry 95%. */
  static TailCheck.Stats unstableTail(double adj) {
    return new TailCheck.Stats(TAIL_SAMPLES, 2, new LossSummary(1 + adj, 1e74, TAIL_SAMPLES),
        new LossSummary(adj, 1e74, TAIL_SAMPLES), 3.2e80, 4, 0.97, 2, 0.95);
  }

  /**
   * {@code m} with another status, tail check, adjusted loss and confirm estimate (the rest as
   * it was).
   */
  static ModelResult with(ModelResult m, ModelResult.Status status, TailCheck.Stats tail,
      Estimate adjusted, Estimate confirm) {
    return new ModelResult(m.stage(), m.variant(), m.layers(), m.heads(), m.seed(), status,
        m.chosen(), m.adamSteps(), m.rejectedSteps(), m.trainSequences(),
        m.validationAdjusted(), tail, m.loss(), adjusted, confirm, m.perLayerAdjusted(),
        m.perLayerDiff(), m.profileLoss(), m.profileAdjustedByLayer());
  }

  /** The selection with the model of {@code stage} replaced by {@code f} of it. */
  static Selection withModel(Selection s, String stage, UnaryOperator<ModelResult> f) {
    List<ModelResult> ms = new ArrayList<>();
    boolean found = false;
    for (ModelResult m : s.evaluation().models()) {
      if (m.stage().equals(stage)) {
        m = f.apply(m);
        found = true;
      }
      ms.add(m);
    }
    if (!found) {
      throw new IllegalArgumentException("no model " + stage);
    }
    Evaluation e = s.evaluation();
    return new Selection(new Evaluation(e.noise(), e.noiseKey(), e.d(), e.n(), e.samples(),
        e.seed(), e.profileSigma(), e.profileSamples(), e.oracleLoss(), e.tuned(),
        e.baselines(), e.gdByK(), ms), s.choices());
  }

  /** The stage of the chosen (first) seed of a model. */
  static String chosen(Variant v, int layers, String key) {
    return String.format(Locale.ROOT, "train-%s-%d-%s-s0", v.cliName(), layers, key);
  }

  /** Inputs with one select-&lt;key&gt; stage per selection. */
  static SortedMap<String, Artifact> artifacts(Selection... selections) {
    SortedMap<String, Artifact> m = new TreeMap<>();
    for (Selection s : selections) {
      m.put("select-" + s.evaluation().noiseKey(), Artifact.ofText(ResultsJson.SELECTION_FILE,
          ResultsJson.writeSelection(s)));
    }
    return m;
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
        case "const_rr" -> paper(PredictorId.CONST_RR, 0, key);
        case "ada_rr" -> paper(PredictorId.ADA_RR, 0, key);
        case "tuned_rr" -> paper(PredictorId.TUNED_RR, 0, key);
        case "bayes" -> 0.9 * paper(PredictorId.TUNED_RR, 0, key);
        default -> 1.1 * paper(PredictorId.CONST_RR, 0, key) + 0.01;
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
    for (Variant v : PaperLayout.VARIANTS) {
      for (int l = 1; l <= maxLayers; l++) {
        double adj = paper(PredictorId.of(v), l, key);
        double[] per = new double[l];
        double[] perSe = new double[l];
        double[] step = new double[l];
        List<Series> profiles = new ArrayList<>();
        for (int k = 1; k <= l; k++) {
          per[k - 1] = paper(PredictorId.of(v), k, key) + 1e-13;
          perSe[k - 1] = se(per[k - 1]);
          // from the zero predictor's adjusted loss, 1 + the first layer's, to each layer's
          step[k - 1] = per[k - 1] - (k == 1 ? 1 + per[0] : per[k - 2]);
          profiles.add(profile(per[k - 1], sigma));
        }
        Series steps = new Series(step, perSe);
        String s0 = chosen(v, l, key);
        String s1 = String.format(Locale.ROOT, "train-%s-%d-%s-s1", v.cliName(), l, key);
        models.add(new ModelResult(s0, v, l, 1, 0, ModelResult.Status.STABLE, "scratch-0", 100,
            0, 100 * 64 + 65536, adj, stableTail(adj), new Estimate(1 + adj, 0.01, 1000),
            new Estimate(adj, se(adj), 1000), new Estimate(adj, se(adj), 1000),
            new Series(per, perSe), steps, profile(1 + adj, sigma), profiles));
        models.add(new ModelResult(s1, v, l, 1, 1, ModelResult.Status.UNSTABLE, "WARM+train",
            50, 3, 50 * 64, 3 * adj, unstableTail(3 * adj), new Estimate(1 + 3 * adj, 0.01,
            1000), new Estimate(3 * adj, 2 * adj, 1000), new Estimate(3 * adj, 2 * adj, 1000),
            new Series(per, perSe), steps, profile(1 + 3 * adj, sigma), profiles));
        choices.add(new Choice(v, l, s0, List.of(s0, s1), 1,
            new Estimate(2 * adj, adj, 2), new Series(per, perSe)));
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
