package org.linearicl.experiments.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingCurve;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.experiments.stage.StageParams;

/** The experiment kinds wired together on a tiny grid, as the pipeline runs them. */
class ExperimentKindsTest {
  private static final String NOISE = "\"noise\": \"uniform:2\"";
  private static TreeMap<String, Artifact> trained;
  private static Artifact tuned;

  static Artifact run(StageKind kind, String stage, String paramsJson,
      TreeMap<String, Artifact> inputs, int threads) throws Exception {
    StageParams p = StageParams.resolve(stage, kind.params(), StageParams.parseLiteral(paramsJson));
    return kind.run(p, new StageInputs(stage, inputs), StageContext.simple(stage, threads));
  }

  static String train(String variant, int layers, int seed, String extra) {
    return "{" + NOISE + ", \"variant\": \"" + variant + "\", \"layers\": " + layers
        + ", \"seed\": " + seed + ", \"steps\": 40, \"batch\": 256, \"lr\": 0.01,"
        + " \"polish_samples\": 2048, \"polish_iterations\": 5, \"validation_samples\": 500,"
        + " \"tail_samples\": 5000, \"offrange_samples\": 2000" + extra + "}";
  }

  /**
   * A 2-layer FULL model that rescales y by (1 + lambda/n) in both layers, lambda = sum_j y_j^2
   * (a DIAG model with w_yy = 1 embedded): its prediction is of degree 5 in the data and explodes
   * on long-w, high-noise sequences. Written as a train artifact, so a stage can start from it.
   */
  static Artifact blowUp() {
    TrainingConfig cfg = TrainingConfig.builder(Variant.FULL, 2,
        TaskSpec.paper(NoiseDistribution.parse("uniform:2"))).build();
    double[] diag = {0, 1, 0, 1, 0, 1, -1, 1};
    double[] full = Embedding.embed(new ModelShape(Variant.DIAG, 2, 1, 10), diag, cfg.shape(), 1);
    PairedEvaluation none = new PairedEvaluation(new LossSummary(1, 0, 1),
        new LossSummary(1, 0, 1), new LossSummary(0, 0, 1));
    return Artifact.ofText("checkpoint.json", CheckpointJson.write(new Checkpoint(cfg, full,
        TrainingCurve.EMPTY, 1, 2, none)));
  }

  @BeforeAll
  static void trainTinyGrid() throws Exception {
    trained = new TreeMap<>();
    for (int seed = 0; seed < 2; seed++) {
      trained.put("train-diag-2-s" + seed, run(new TrainKind(), "train-diag-2-s" + seed,
          train("diag", 2, seed, ""), new TreeMap<>(), 2));
    }
    // only the exploding warm start to choose from: the stage says unstable, it does not fail
    TreeMap<String, Artifact> start = new TreeMap<>();
    start.put("blow-up", blowUp());
    trained.put("train-full-2-s0", run(new TrainKind(), "train-full-2-s0",
        train("full", 2, 0, ", \"starts\": 0, \"warm_steps\": 0, \"polish_iterations\": 0"),
        start, 2));
    tuned = run(new TuneBaselinesKind(), "tune-u2",
        "{" + NOISE + ", \"samples\": 2000, \"max_k\": 2}", new TreeMap<>(), 2);
  }

  private static Artifact evaluate(int threads) throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>(trained);
    in.put("tune-u2", tuned);
    return run(new EvaluateKind(), "evaluate-u2", "{" + NOISE + ", \"samples\": 3000,"
        + " \"confirm_samples\": 1000, \"profile_points\": 3, \"profile_samples\": 600}", in,
        threads);
  }

  @Test
  void kindsAreRegisteredForTheServiceLoader() {
    assertTrue(StageKinds.installed().names().containsAll(
        Set.of("train", "tune-baselines", "evaluate", "select")));
  }

  @Test
  void trainWritesACheckpointAndItsOutcome() {
    Artifact ok = trained.get("train-diag-2-s0");
    assertEquals(Set.of("checkpoint.json", "outcome.json"), ok.names());
    OutcomeJson.Summary o = OutcomeJson.read(ok.text("outcome.json"), "outcome.json");
    assertTrue(o.stable(), ok.text("outcome.json"));
    assertEquals("scratch-0", o.chosen());
    assertEquals(5000, o.tail().samples());
    // 40 Adam steps leave it above the one-step optimum even in range, but within the default
    // factor of it: no blow-up, so it passes
    assertTrue(o.offRangePassed() && o.offRange().passed(), ok.text("outcome.json"));
    assertTrue(o.offRange().worstRatio() > 1, ok.text("outcome.json"));
    assertEquals(17, o.offRange().points());
    assertEquals(2000, o.offRange().samples());
    Artifact bad = trained.get("train-full-2-s0");
    OutcomeJson.Summary b = OutcomeJson.read(bad.text("outcome.json"), "outcome.json");
    assertFalse(b.stable(), bad.text("outcome.json"));
    assertEquals("blow-up", b.chosen());
    assertTrue(b.tail().explodedShare() > 0.1, bad.text("outcome.json"));
    // set aside off range, then checked as the last resort: fails both, marked for both
    assertFalse(b.offRangePassed(), bad.text("outcome.json"));
    assertFalse(b.offRange().passed());
  }

  @Test
  void evaluationIsTheSameForAnyThreadCountAndRoundTrips() throws Exception {
    Artifact one = evaluate(1);
    Artifact three = evaluate(3);
    assertEquals(one.digest(), three.digest());
    Evaluation e = ResultsJson.evaluation(one, "evaluate-u2");
    assertEquals(one.text("evaluation.json"), ResultsJson.writeEvaluation(e));
    assertEquals("u2", e.noiseKey());
    assertEquals(List.of("oracle", "const_rr", "ada_rr", "tuned_rr", "bayes", "gd"),
        e.baselines().stream().map(b -> b.name()).toList());
    assertEquals(0.0, e.baseline("oracle").orElseThrow().adjusted().mean(), 1e-12);
    assertEquals(2, e.gdByK().size());
    // models sorted by variant, layers and seed; the unstable one kept with its numbers
    assertEquals(List.of("train-diag-2-s0", "train-diag-2-s1", "train-full-2-s0"),
        e.models().stream().map(ModelResult::stage).toList());
    ModelResult m = e.models().get(0);
    assertTrue(m.stable());
    assertEquals(2, m.perLayerAdjusted().size());
    assertEquals(m.adjusted().mean(), m.perLayerAdjusted().mean(1));
    assertEquals(3, m.profileAdjusted().size());
    assertEquals(1000, m.confirm().count());
    ModelResult unstable = e.models().get(2);
    assertFalse(unstable.stable());
    assertTrue(unstable.adjusted().mean() > m.adjusted().mean());
    // the baselines' profile sigmas match the task's grid
    assertEquals(3.0, e.profileSigma()[2]);
    // the layer steps add up to the final adjusted loss less the zero predictor's (the same
    // sums in another order: agreement to round-off of the per-sequence losses, about 1e-12)
    for (ModelResult r : e.models()) {
      assertEquals(r.layers(), r.perLayerDiff().size());
      double step2 = r.perLayerAdjusted().mean(1) - r.perLayerAdjusted().mean(0);
      assertEquals(step2, r.perLayerDiff().mean(1), 1e-9 * (1 + Math.abs(step2)), r.stage());
      assertTrue(r.perLayerDiff().se(1) > 0, r.stage());
    }
  }

  @Test
  void layerStepsAreThePairedDifferencesOfConsecutiveReadOuts() {
    java.util.Random rng = new java.util.Random(7);
    int n = 50;
    double[] y = new double[n];
    double[][] per = new double[3][n];
    for (int s = 0; s < n; s++) {
      y[s] = rng.nextGaussian();
      for (int l = 0; l < 3; l++) {
        per[l][s] = y[s] + rng.nextGaussian() / (l + 1);
      }
    }
    org.linearicl.experiments.results.Series steps = EvaluateKind.layerSteps(per, y);
    for (int l = 0; l < 3; l++) {
      // directly: the per-sequence loss after layer l minus after layer l-1 (zero before layer
      // 1), its mean, and the sample standard deviation over sqrt(n) in the one-pass form
      double sum = 0;
      double sumSq = 0;
      for (int s = 0; s < n; s++) {
        double before = l == 0 ? 0 : per[l - 1][s];
        double d = 0.5 * Math.pow(per[l][s] - y[s], 2) - 0.5 * Math.pow(before - y[s], 2);
        sum += d;
        sumSq += d * d;
      }
      double mean = sum / n;
      double se = Math.sqrt((sumSq - n * mean * mean) / (n - 1) / n);
      // one-pass and two-pass sums of O(1) terms over 50 sequences agree to ~1e-14
      assertEquals(mean, steps.mean(l), 1e-12);
      assertEquals(se, steps.se(l), 1e-12);
      // the step is the change of the adjusted loss: the oracle cancels
      double[] oracle = new double[n];
      double before = l == 0 ? PairedEvaluation.of(new double[n], oracle, y).adjusted().mean()
          : PairedEvaluation.of(per[l - 1], oracle, y).adjusted().mean();
      assertEquals(PairedEvaluation.of(per[l], oracle, y).adjusted().mean() - before,
          steps.mean(l), 1e-12);
    }
  }

  @Test
  void profileMaxSetsTheUpperEndOfTheProfileGrid() throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("tune-u2", tuned);
    Artifact a = run(new EvaluateKind(), "evaluate-u2", "{" + NOISE + ", \"samples\": 200,"
        + " \"confirm_samples\": 100, \"profile_points\": 5, \"profile_samples\": 100,"
        + " \"profile_max\": 10}", in, 1);
    Evaluation e = ResultsJson.evaluation(a, "evaluate-u2");
    assertArrayEquals(new double[] {0, 2.5, 5, 7.5, 10}, e.profileSigma());
    assertEquals(5, e.baseline("const_rr").orElseThrow().profileAdjusted().size());
    StageException bad = assertThrows(StageException.class, () -> run(new EvaluateKind(),
        "evaluate-u2", "{" + NOISE + ", \"profile_max\": -1}", in, 1));
    assertTrue(bad.getMessage().contains("profile_max"), bad.getMessage());
  }

  @Test
  void selectPicksTheLowestValidationLossAndKeepsEverySeed() throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("evaluate-u2", evaluate(2));
    Artifact a = run(new SelectKind(), "select-u2", "{}", in, 1);
    Selection s = ResultsJson.selection(a, "select-u2");
    assertEquals(a.text("selection.json"), ResultsJson.writeSelection(s));
    Choice diag = s.choice(Variant.DIAG, 2).orElseThrow();
    assertEquals(List.of("train-diag-2-s0", "train-diag-2-s1"), diag.seeds());
    ModelResult s0 = s.evaluation().models().get(0);
    ModelResult s1 = s.evaluation().models().get(1);
    String expected = s1.validationAdjusted() < s0.validationAdjusted() ? s1.stage() : s0.stage();
    assertEquals(expected, diag.best());
    assertEquals((s0.adjusted().mean() + s1.adjusted().mean()) / 2, diag.acrossSeeds().mean(),
        1e-15);
    Choice full = s.choice(Variant.FULL, 2).orElseThrow();
    assertEquals("train-full-2-s0", full.best()); // the only seed: chosen, and counted unstable
    assertEquals(1, full.unstable());
    assertFalse(s.best(Variant.FULL, 2).orElseThrow().stable());
  }

  @Test
  void evaluateNamesWhatIsWrongWithItsInputs() {
    TreeMap<String, Artifact> noTune = new TreeMap<>(trained);
    StageException e = assertThrows(StageException.class, () -> run(new EvaluateKind(),
        "evaluate-u2", "{" + NOISE + ", \"samples\": 100}", noTune, 1));
    assertTrue(e.getMessage().contains("needs a tune-baselines stage"), e.getMessage());
    TreeMap<String, Artifact> wrongNoise = new TreeMap<>(trained);
    wrongNoise.put("tune-u2", tuned);
    e = assertThrows(StageException.class, () -> run(new EvaluateKind(), "evaluate-u3",
        "{\"noise\": \"uniform:3\", \"samples\": 100}", wrongNoise, 1));
    assertTrue(e.getMessage().contains("uniform:2"), e.getMessage());
    e = assertThrows(StageException.class, () -> run(new TrainKind(), "t",
        "{\"noise\": \"uniform:-1\", \"variant\": \"diag\", \"layers\": 1}",
        new TreeMap<>(), 1));
    assertTrue(e.getMessage().contains("param 'noise'"), e.getMessage());
  }

  @Test
  void warmStartEmbedsTheShallowerModel() throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("train-diag-2-s0", trained.get("train-diag-2-s0"));
    Artifact deeper = run(new TrainKind(), "train-diag-3-s0", train("diag", 3, 0,
        ", \"starts\": 0, \"warm_steps\": 0, \"polish_iterations\": 0"), in, 1);
    double[] from = CheckpointJson.read(trained.get("train-diag-2-s0").text("checkpoint.json"),
        "from").params();
    double[] to = CheckpointJson.read(deeper.text("checkpoint.json"), "to").params();
    // an identity layer (P = 0, Q = I) first, then the trained layers
    assertArrayEquals(new double[] {0, 0, 1, 1}, Arrays.copyOf(to, 4));
    assertArrayEquals(from, Arrays.copyOfRange(to, 4, 12));
    assertEquals("train-diag-2-s0",
        OutcomeJson.read(deeper.text("outcome.json"), "outcome").chosen());
  }

  @Test
  void aWarmStartMustBeContainedInTheModel() {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("train-full-2-s0", trained.get("train-full-2-s0"));
    StageException e = assertThrows(StageException.class, () -> run(new TrainKind(),
        "train-diag-2-s0", train("diag", 2, 0, ""), in, 1));
    assertTrue(e.getMessage().contains("cannot start from 'train-full-2-s0'"), e.getMessage());
  }

  /**
   * The train kind's defaults are each variant's recipe, filled in before resolution, so the
   * pipeline and the command line see the same values and a given value wins.
   */
  @Test
  void theRecipeDefaultsDependOnTheVariant() {
    TrainKind kind = new TrainKind();
    for (Variant v : Variant.values()) {
      ObjectNode given = (ObjectNode) StageParams.parseLiteral("{\"variant\": \"" + v.cliName()
          + "\", \"layers\": 2, " + NOISE + ", \"steps\": 7}");
      ObjectNode completed = kind.completeParams(given);
      TrainingConfig c = TrainKind.config(StageParams.resolve("t", kind.params(), completed));
      TrainingConfig.VariantRecipe r = TrainingConfig.VariantRecipe.of(v, 2);
      assertEquals(r.splitLayers(), completed.get("split_layers").asInt(), v.toString());
      TrainingConfig defaults = TrainingConfig.builder(v, 2, c.task()).steps(7).build();
      assertEquals(defaults, c, v.toString());
      assertEquals(7, c.steps()); // given
      assertEquals(r.starts(), c.starts());
      assertEquals(r.polishIterations(), c.polishIterations());
      assertEquals(r.fullRank(), c.fullRank());
      assertEquals(r.warmPolish(), c.warmPolish());
    }
    ObjectNode bad = (ObjectNode) StageParams.parseLiteral("{\"variant\": \"nope\"}");
    assertEquals(bad, kind.completeParams(bad.deepCopy())); // left for the resolution to report
  }
}
