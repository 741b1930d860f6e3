package org.linearicl.experiments.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
        + " \"validation_samples\": 500" + extra + "}";
  }

  @BeforeAll
  static void trainTinyGrid() throws Exception {
    trained = new TreeMap<>();
    for (int seed = 0; seed < 2; seed++) {
      trained.put("train-diag-2-s" + seed, run(new TrainKind(), "train-diag-2-s" + seed,
          train("diag", 2, seed, ""), new TreeMap<>(), 2));
    }
    // a rate that cannot work and no retries: the stage records the divergence, it does not fail
    trained.put("train-full-1-s0", run(new TrainKind(), "train-full-1-s0",
        train("full", 1, 0, ", \"steps\": 80, \"lr\": 1e6, \"clip\": 0, \"retries\": 0"), new TreeMap<>(), 2));
    tuned = run(new TuneBaselinesKind(), "tune-u2",
        "{" + NOISE + ", \"samples\": 2000, \"max_k\": 2}", new TreeMap<>(), 2);
  }

  private static Artifact evaluate(int threads) throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>(trained);
    in.put("tune-u2", tuned);
    return run(new EvaluateKind(), "evaluate-u2", "{" + NOISE + ", \"samples\": 3000,"
        + " \"profile_points\": 3, \"profile_samples\": 600}", in, threads);
  }

  @Test
  void kindsAreRegisteredForTheServiceLoader() {
    assertTrue(StageKinds.installed().names().containsAll(
        Set.of("train", "tune-baselines", "evaluate", "select")));
  }

  @Test
  void trainWritesACheckpointOrRecordsTheDivergence() {
    Artifact ok = trained.get("train-diag-2-s0");
    assertEquals(Set.of("checkpoint.json", "outcome.json"), ok.names());
    Artifact bad = trained.get("train-full-1-s0");
    assertEquals(Set.of("diverged.json"), bad.names());
    assertTrue(bad.text("diverged.json").contains("\"status\": \"diverged\""));
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
    // models sorted by variant, layers and seed; the diverged one kept without numbers
    assertEquals(List.of("train-diag-2-s0", "train-diag-2-s1", "train-full-1-s0"),
        e.models().stream().map(ModelResult::stage).toList());
    ModelResult m = e.models().get(0);
    assertTrue(m.ok());
    assertEquals(2, m.perLayerAdjusted().size());
    assertEquals(m.adjusted().mean(), m.perLayerAdjusted().mean(1));
    assertEquals(3, m.profileAdjusted().size());
    assertFalse(e.models().get(2).ok());
    // the baselines' profile sigmas match the task's grid
    assertEquals(3.0, e.profileSigma()[2]);
  }

  @Test
  void selectPicksTheLowestValidationLossAndKeepsEverySeed() throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("evaluate-u2", evaluate(2));
    Artifact a = run(new SelectKind(), "select-u2", "{}", in, 1);
    Selection s = ResultsJson.selection(a, "select-u2");
    assertEquals(a.text("selection.json"), ResultsJson.writeSelection(s));
    Choice diag = s.choice("diag", 2).orElseThrow();
    assertEquals(List.of("train-diag-2-s0", "train-diag-2-s1"), diag.seeds());
    ModelResult s0 = s.evaluation().models().get(0);
    ModelResult s1 = s.evaluation().models().get(1);
    String expected = s1.validationAdjusted() < s0.validationAdjusted() ? s1.stage() : s0.stage();
    assertEquals(expected, diag.best());
    assertEquals((s0.adjusted().mean() + s1.adjusted().mean()) / 2, diag.acrossSeeds().mean(),
        1e-15);
    Choice full = s.choice("full", 1).orElseThrow();
    assertNull(full.best());
    assertEquals(1, full.diverged());
    assertTrue(s.best("full", 1).isEmpty());
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
        "{\"noise\": \"uniform:-1\", \"variant\": \"diag\", \"layers\": 1, \"steps\": 1}",
        new TreeMap<>(), 1));
    assertTrue(e.getMessage().contains("param 'noise'"), e.getMessage());
  }

  @Test
  void warmStartTakesTheShallowerModelsLayers() throws Exception {
    TreeMap<String, Artifact> in = new TreeMap<>();
    in.put("train-diag-2-s0", trained.get("train-diag-2-s0"));
    Artifact deeper = run(new TrainKind(), "train-diag-3-s0",
        train("diag", 3, 0, ", \"steps\": 0"), in, 1);
    var from = org.linearicl.experiments.artifacts.CheckpointJson.read(
        trained.get("train-diag-2-s0").text("checkpoint.json"), "from").params();
    var to = org.linearicl.experiments.artifacts.CheckpointJson.read(
        deeper.text("checkpoint.json"), "to").params();
    for (int i = 0; i < from.length; i++) {
      assertEquals(from[i], to[i]);
    }
  }
}
