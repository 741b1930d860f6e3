package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linearicl.pipeline.cli.CommandLineTest.assertUserError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.kinds.EvaluateKind;
import org.linearicl.experiments.kinds.TuneBaselinesKind;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;
import org.linearicl.pipeline.cli.CommandLineTest.Result;

/** {@code baselines} and {@code evaluate} run the pipeline's kinds: same values, same bytes. */
class EvaluateAndBaselinesCommandTest {
  /** Small sample sizes, as options and as the kinds' parameters. */
  private static final String[] TUNE_SMALL = {"--tune-samples", "1000", "--tune-max-k", "3"};
  private static final String TUNE_PARAMS = "\"samples\": 1000, \"max_k\": 3";
  private static final String[] EVAL_SMALL = {"--eval-samples", "1000", "--eval-confirm-samples",
      "500", "--eval-profile-points", "3", "--eval-profile-samples", "200"};
  private static final String EVAL_PARAMS = "\"samples\": 1000, \"confirm_samples\": 500,"
      + " \"profile_points\": 3, \"profile_samples\": 200";

  @TempDir static Path shared;
  /** A 2-layer DIAG model on U(0, 5), trained once for every test, and its train line. */
  private static Path model;
  private static JsonNode trained;
  /** Baselines tuned for U(0, 5) by the command. */
  private static Path baselines;

  @BeforeAll
  static void trainAndTune() throws Exception {
    Path dir = shared.resolve("model");
    Result r = CommandLineTest.run(CommandLineTest.train("--variant", "diag", "--layers", "2",
        "--noise", "uniform:5", "--eval-samples", "1000", "--threads", "2", "--out",
        dir.toString()));
    assertEquals(0, r.code(), r.err());
    trained = new ObjectMapper().readTree(r.lastLine());
    model = dir.resolve(ResultsJson.CHECKPOINT_FILE);
    baselines = shared.resolve("baselines-u5");
    Result b = run(join(List.of("baselines", "--noise", "uniform:5", "--out",
        baselines.toString()), TUNE_SMALL, EVAL_SMALL));
    assertEquals(0, b.code(), b.err());
  }

  private static Result run(String... args) {
    return CommandLineTest.run(args);
  }

  private static String[] join(List<String> first, String[]... rest) {
    List<String> all = new ArrayList<>(first);
    for (String[] r : rest) {
      all.addAll(List.of(r));
    }
    return all.toArray(String[]::new);
  }

  private static StageParams params(StageKind kind, String stage, String json) {
    return StageParams.resolve(stage, kind.params(),
        kind.completeParams((ObjectNode) StageParams.parseLiteral(json)));
  }

  private static void assertSameFiles(Artifact a, Path dir) throws Exception {
    for (String name : a.names()) {
      assertEquals(a.text(name), Files.readString(dir.resolve(name)), name);
    }
  }

  @Test
  void baselinesGiveTheBytesOfThePipelineStages(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("b");
    Result r = run(join(List.of("baselines", "--noise", "categorical:1,3", "--tune-seed", "2",
        "--eval-seed", "5", "--threads", "1", "--out", out.toString()), TUNE_SMALL, EVAL_SMALL));
    assertEquals(0, r.code(), r.err());

    // as the pipeline runs tune-c13 and evaluate-c13 (stage names do not enter the bytes)
    TuneBaselinesKind tune = new TuneBaselinesKind();
    Artifact tuned = tune.run(params(tune, "tune-c13", "{\"noise\": \"categorical:1,3\","
        + " \"seed\": 2, " + TUNE_PARAMS + "}"), StageInputs.none("tune-c13"),
        StageContext.simple("tune-c13", 2));
    EvaluateKind evaluate = new EvaluateKind();
    Artifact evaluation = evaluate.run(params(evaluate, "evaluate-c13", "{\"noise\":"
        + " \"categorical:1,3\", \"seed\": 5, " + EVAL_PARAMS + "}"),
        new StageInputs("evaluate-c13", new TreeMap<>(java.util.Map.of("tune-c13", tuned))),
        StageContext.simple("evaluate-c13", 2));
    assertSameFiles(tuned, out);
    assertSameFiles(evaluation, out);

    JsonNode b = new ObjectMapper().readTree(r.lastLine());
    assertEquals("categorical:1,3", b.get("noise").asText());
    assertEquals(1000, b.get("samples").asInt());
    assertEquals(1000, b.get("tune_samples").asInt());
    assertEquals(2, b.get("tune_seed").asInt());
    assertEquals(5, b.get("eval_seed").asInt());
    for (String p : new String[] {"oracle", "const_rr", "ada_rr", "tuned_rr", "bayes", "gd"}) {
      for (String key : new String[] {"loss", "adjusted_loss", "adjusted_loss_se"}) {
        assertTrue(b.get(p).has(key), p + " lacks " + key + ": " + b);
      }
      assertEquals(3, b.get("profile").get(p).get("adjusted_loss").size(), p);
    }
    assertEquals(0.0, b.get("oracle").get("adjusted_loss").asDouble(), 0.0);
    assertTrue(b.get("const_rr").has("lambda") && b.get("tuned_rr").has("c")
        && b.get("tuned_rr").has("t") && b.get("gd").has("eta"), b.toString());
    assertEquals(3, b.get("gd").get("K").asInt());
    assertEquals(3, b.get("gd_eta_by_k").size());
    assertEquals(3, b.get("gd_adjusted_loss_by_k").size());
    // the profile of categorical noise runs over [0, 6]
    assertEquals(6.0, b.get("profile").get("sigma").get(2).asDouble(), 0.0);
    assertEquals(b.get("gd").get("adjusted_loss").asDouble(),
        b.get("gd_adjusted_loss_by_k").get(2).asDouble(), 0.0);
  }

  @Test
  void evaluateGivesTheBytesOfThePipelineStage(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("e");
    Result r = run(join(List.of("evaluate", "--model", model.toString(), "--baselines",
        baselines.toString(), "--threads", "1", "--out", out.toString()), EVAL_SMALL));
    assertEquals(0, r.code(), r.err());

    // the model's input is named by its file, as the command names it
    Artifact train = Artifact.builder()
        .text(ResultsJson.CHECKPOINT_FILE, Files.readString(model))
        .text(OutcomeJson.FILE, Files.readString(model.resolveSibling(OutcomeJson.FILE)))
        .build();
    Artifact tuned = Artifact.ofText(ResultsJson.BASELINES_FILE,
        Files.readString(baselines.resolve(ResultsJson.BASELINES_FILE)));
    TreeMap<String, Artifact> inputs = new TreeMap<>();
    inputs.put(model.toString(), train);
    inputs.put("tune-u5", tuned);
    EvaluateKind evaluate = new EvaluateKind();
    Artifact evaluation = evaluate.run(params(evaluate, "evaluate-u5",
        "{\"noise\": \"uniform:5\", " + EVAL_PARAMS + "}"),
        new StageInputs("evaluate-u5", inputs), StageContext.simple("evaluate-u5", 2));
    assertSameFiles(evaluation, out);
    assertEquals(List.of(ResultsJson.EVALUATION_FILE), List.of(out.toFile().list()),
        "the tuning came from --baselines");

    JsonNode line = new ObjectMapper().readTree(r.lastLine());
    assertEquals("uniform:5", line.get("noise").asText());
    assertEquals(1000, line.get("eval_samples").asInt());
    JsonNode m = line.get("models").get(0);
    assertEquals(model.toString(), m.get("model").asText());
    assertEquals("diag", m.get("variant").asText());
    assertEquals(2, m.get("adjusted_loss_after_layer").size());
    assertEquals(m.get("adjusted_loss").asDouble(),
        m.get("adjusted_loss_after_layer").get(1).asDouble(), 0.0);
    // train evaluated on the same sequences (same count and seed): the same number
    assertEquals(trained.get("adjusted_loss").asDouble(), m.get("adjusted_loss").asDouble(), 0.0);
    assertEquals(trained.get("oracle_loss").asDouble(), line.get("oracle_loss").asDouble(), 0.0);
    assertTrue(line.get("baselines").get("tuned_rr").has("adjusted_loss"), line.toString());
  }

  @Test
  void evaluateTakesSeveralModelsOfOneTask(@TempDir Path dir) throws Exception {
    // a copy of the model under another name: two inputs, two rows
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    for (String name : new String[] {ResultsJson.CHECKPOINT_FILE, OutcomeJson.FILE}) {
      Files.copy(model.resolveSibling(name), copy.resolve(name));
    }
    Result r = run(join(List.of("evaluate", "--model", model.toString(), "--model",
        copy.resolve(ResultsJson.CHECKPOINT_FILE).toString(), "--baselines",
        baselines.toString()), EVAL_SMALL));
    assertEquals(0, r.code(), r.err());
    JsonNode models = new ObjectMapper().readTree(r.lastLine()).get("models");
    assertEquals(2, models.size());
    assertEquals(models.get(0).get("adjusted_loss").asDouble(),
        models.get(1).get("adjusted_loss").asDouble(), 0.0);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "baselines --noise uniform:1 --eval-samples 1 | --eval-samples: must be >= 2, got 1",
      "baselines --noise uniform:1 --tune-samples 1 | --tune-samples: must be >= 2, got 1",
      "baselines --noise uniform:1 --tune-max-k 0 | --tune-max-k: must be >= 1, got 0",
      "baselines --noise uniform:1 --eval-profile-points 1 | --eval-profile-points: must be >= 2",
      "baselines --noise uniform:1 --eval-confirm-seed 1 | --eval-confirm-seed: must differ",
      "baselines --noise uniform:1 --tune-seed x | --tune-seed: expected an integer, got 'x'",
      "baselines --noise uniform:1 --n 0 | --n: must be >= 1, got 0",
      "baselines --noise categorical: | --noise:",
      "baselines --noise uniform:1 --seed 0 | unknown option '--seed'",
      "baselines --eval-samples 10 | Missing required option: '--noise=NOISE'",
      "evaluate --model /nonexistent/m.json | --model /nonexistent/m.json: no such file",
      "evaluate --eval-samples 10 | Missing required option: '--model=FILE'",
  })
  void userMistakesAreExitTwoWithOneLine(String args, String expected) {
    assertUserError(expected, args.trim().split("\\s+"));
  }

  @Test
  void badInputsAreExitTwo(@TempDir Path dir) throws Exception {
    String m = model.toString();
    String b = baselines.toString();
    assertUserError("--eval-samples: must be >= 2, got 1",
        "evaluate", "--model", m, "--baselines", b, "--eval-samples", "1");
    assertUserError("--baselines " + dir.resolve(ResultsJson.BASELINES_FILE)
        + ": no such file, expected tuned baselines",
        "evaluate", "--model", m, "--baselines", dir.toString());
    assertUserError("no such directory", "evaluate", "--model", m, "--baselines",
        dir.resolve("none").toString());
    assertUserError("not a directory", "evaluate", "--model", m, "--baselines", m);
    // a checkpoint without the outcome of its training
    Path lone = dir.resolve("lone.json");
    Files.copy(model, lone);
    assertUserError("--model " + lone + ": no outcome.json beside it", "evaluate", "--model",
        lone.toString(), "--baselines", b);
    assertUserError("is given twice", "evaluate", "--model", m, "--model", m, "--baselines", b);

    // baselines of another noise: the kind refuses them
    Path other = dir.resolve("baselines-u1");
    Result t = run(join(List.of("baselines", "--noise", "uniform:1", "--out", other.toString()),
        TUNE_SMALL, EVAL_SMALL));
    assertEquals(0, t.code(), t.err());
    assertUserError("evaluates uniform:5, but its input '" + other + "' is for uniform:1",
        join(List.of("evaluate", "--model", m, "--baselines", other.toString()), EVAL_SMALL));

    // models of two tasks
    Path u1 = dir.resolve("model-u1");
    Result u = run(CommandLineTest.train("--variant", "gdpp", "--layers", "1", "--noise",
        "uniform:1", "--eval-samples", "100", "--out", u1.toString()));
    assertEquals(0, u.code(), u.err());
    assertUserError("was trained on uniform:1 with d, n = 10, 20, --model " + m
        + " on uniform:5", "evaluate", "--model", m, "--model",
        u1.resolve(ResultsJson.CHECKPOINT_FILE).toString());
  }

  /** Every parameter of the kinds is an option, with the kind's help and default. */
  @Test
  void theOptionsAreTheKindsParameters() {
    String baselinesHelp = run("baselines", "--help").out().replaceAll("\\s+", " ");
    String evaluateHelp = run("evaluate", "--help").out().replaceAll("\\s+", " ");
    for (ParamSpec p : new EvaluateKind().params()) {
      boolean task = List.of("noise", "d", "n").contains(p.name());
      String option = task ? "--" + p.name() : "--eval-" + p.name().replace('_', '-');
      assertTrue(baselinesHelp.contains(option + "="), option);
      assertTrue(baselinesHelp.contains(p.help()), p.help());
      // evaluate takes the task from the models
      assertEquals(!task, evaluateHelp.contains(option + "="), option);
    }
    for (ParamSpec p : new TuneBaselinesKind().params()) {
      if (!List.of("noise", "d", "n").contains(p.name())) {
        String option = "--tune-" + p.name().replace('_', '-');
        assertTrue(baselinesHelp.contains(option + "=N " + p.help() + " (default: "
            + p.defaultValue() + ")"), option + " in " + baselinesHelp);
        assertFalse(evaluateHelp.contains(option), option);
      }
    }
    assertTrue(evaluateHelp.contains("tuned first as the pipeline's tune-baselines stage tunes"
        + " them by default (samples 100000, seed 0, max_k 10)"), evaluateHelp);
  }

  @Test
  void outputPathsAreCheckedFirst(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("file");
    Files.writeString(file, "x");
    assertUserError("--out " + file + ": is a file, expected a directory",
        "baselines", "--noise", "uniform:1", "--out", file.toString());
    assertUserError("--out " + file.resolve("sub") + ": " + file + " is a file, expected a"
        + " directory",
        "baselines", "--noise", "uniform:1", "--out", file.resolve("sub").toString());
    // without --baselines it would tune first (tens of seconds): the path is checked before
    assertUserError("--out " + file + ": is a file, expected a directory",
        "evaluate", "--model", model.toString(), "--out", file.toString());
  }
}
