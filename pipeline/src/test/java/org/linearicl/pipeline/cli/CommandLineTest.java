package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linearicl.experiments.kinds.TrainKind;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class CommandLineTest {
  record Result(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Small sample sizes for the tests; everything else is the train kind's default. */
  private static final String[] SMALL = {"--steps", "30", "--batch", "256", "--polish-samples",
      "1024", "--polish-iterations", "3", "--validation-samples", "1000", "--tail-samples",
      "5000"};

  static String[] train(String... args) {
    String[] all = new String[1 + args.length + SMALL.length];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    System.arraycopy(SMALL, 0, all, 1 + args.length, SMALL.length);
    return all;
  }

  @Test
  void trainSavesEvaluatesAndReportsOneJsonLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("model");
    Result r = run(train("--variant", "diag", "--layers", "2", "--noise", "uniform:5",
        "--eval-samples", "1000", "--threads", "2", "--out", out.toString()));
    assertEquals(0, r.code(), r.err());
    JsonNode line = new ObjectMapper().readTree(r.lastLine());
    for (String key : new String[] {"variant", "layers", "heads", "noise", "seed", "status",
        "chosen", "adam_steps", "eval_loss", "oracle_loss", "adjusted_loss", "adjusted_loss_se",
        "seconds"}) {
      assertTrue(line.has(key), "missing " + key + " in " + line);
    }
    assertEquals("uniform:5", line.get("noise").asText());
    assertEquals(line.get("eval_loss").asDouble() - line.get("oracle_loss").asDouble(),
        line.get("adjusted_loss").asDouble(), 1e-12);
    Path model = out.resolve("checkpoint.json");
    assertTrue(Files.exists(model) && Files.exists(out.resolve("outcome.json")));

    Result warm = run(train("--variant", "diag", "--layers", "3", "--noise", "uniform:5",
        "--starts", "0", "--eval-samples", "100", "--init-from", model.toString()));
    assertEquals(0, warm.code(), warm.err());
    JsonNode w = new ObjectMapper().readTree(warm.lastLine());
    assertTrue(w.get("validation_adjusted").asDouble()
        <= line.get("validation_adjusted").asDouble(), "never worse than the warm start: " + w);
  }

  /**
   * The command runs the stage kind: the same parameters give the same artifact bytes, warm
   * starts included (GD++-2 starts from GD++-1, which the command trains first, as the pipeline
   * does).
   */
  @Test
  void trainGivesTheBytesOfThePipelineStage(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("model");
    String options = "\"noise\": \"categorical:1,3\", \"seed\": 4, \"steps\": 30,"
        + " \"batch\": 256, \"polish_samples\": 1024, \"polish_iterations\": 3,"
        + " \"validation_samples\": 1000, \"tail_samples\": 5000, \"offrange_points\": 3,"
        + " \"offrange_samples\": 200";
    Result r = run(train("--variant", "gdpp", "--layers", "2", "--noise", "categorical:1,3",
        "--seed", "4", "--offrange-points", "3", "--offrange-samples", "200", "--eval-samples",
        "100",
        "--threads", "1", "--out", out.toString()));
    assertEquals(0, r.code(), r.err());
    TrainKind kind = new TrainKind();
    // as the pipeline resolves and runs the two stages: the kind fills in the recipe first
    StageParams p1 = StageParams.resolve("train-gdpp-1-c13-s4", kind.params(),
        kind.completeParams((ObjectNode) StageParams.parseLiteral("{\"variant\": \"gdpp\","
            + " \"layers\": 1, " + options + "}")));
    Artifact a1 = kind.run(p1, StageInputs.none("train-gdpp-1-c13-s4"),
        StageContext.simple("train-gdpp-1-c13-s4", 2));
    StageParams p2 = StageParams.resolve("train-gdpp-2-c13-s4", kind.params(),
        kind.completeParams((ObjectNode) StageParams.parseLiteral("{\"variant\": \"gdpp\","
            + " \"layers\": 2, " + options + "}")));
    Artifact a = kind.run(p2, new StageInputs("train-gdpp-2-c13-s4",
        new TreeMap<>(Map.of("train-gdpp-1-c13-s4", a1))),
        StageContext.simple("train-gdpp-2-c13-s4", 2));
    for (String name : a.names()) {
      assertEquals(a.text(name), Files.readString(out.resolve(name)), name);
    }
  }

  /** FULL's recipe starts only from the models it contains: alone, the command trains them. */
  @Test
  void trainAloneTrainsTheWarmStartsItNeeds(@TempDir Path dir) throws Exception {
    Result r = run(train("--variant", "full", "--layers", "1", "--noise", "categorical:1,3",
        "--offrange-points", "3", "--offrange-samples", "200", "--warm-steps", "5",
        "--eval-samples", "100"));
    assertEquals(0, r.code(), r.err());
    JsonNode line = new ObjectMapper().readTree(r.lastLine());
    // named as the pipeline names the stage it starts from
    assertTrue(line.get("chosen").asText().startsWith("train-diag-1-c13-s0"), r.lastLine());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "train --variant nope --layers 1 --noise uniform:1 | --variant: unknown variant 'nope';"
          + " expected full, diag or gdpp",
      "train --variant diag --layers 0 --noise uniform:1 | --layers: must be >= 1, got 0",
      "train --variant diag --layers 1 --noise uniform:-1 | must be a finite number >= 0",
      "train --variant diag --layers 1 --noise gauss | expected fixed:S, uniform:S or categorical",
      "train --variant diag --layers 1 --noise uniform:1 --n 0 | --n: must be >= 1, got 0",
      "train --variant diag --layers 1 --noise uniform:1 --heads 0 | --heads: must be >= 1",
      "train --variant diag --layers 1 --noise uniform:1 --steps x | --steps: expected an integer",
      "train --layers 1 | Missing required options",
      "train --variant full --layers 2 --noise uniform:1 --warm-starts none --starts 0 | give"
          + " them with --init-from",
      "train --variant full --layers 2 --noise uniform:1 --warm-starts all | --warm-starts:"
          + " expected train or none, got 'all'",
      "bench --variant full --layers 1 --noise uniform:1 --steps 0 | --steps must be >= 1, got 0",
      "bench --variant diag --layers 7 --guard | --guard: the default thresholds are measured for"
          + " --variant full --layers 7",
      "bench --variant full --layers 7 --guard --guard-max-ratio 0 | --guard-max-ratio must be a"
          + " positive number, got 0.0",
      "bench --variant full --layers 7 --guard --guard-rounds 0 | --guard-rounds must be >= 1",
      // a typo is named with picocli's suggestion, not reported as a missing required option
      "trian | unknown command 'trian' (did you mean 'train'?) (see 'linear-icl --help')",
      "stauts | unknown command 'stauts' (did you mean 'status'?)",
      "train --varient diag | unknown option '--varient' (did you mean '--variant'?)"
          + " (see 'linear-icl train --help')",
      "train --varient=diag --layers 1 | unknown option '--varient' (did you mean '--variant'?)",
      "train --lyers 2 --variant diag --noise uniform:1 | unknown option '--lyers' (did you mean"
          + " '--layers'?)",
      "bench --variant diag --layers 1 --stesp 5 | unknown option '--stesp' (did you mean"
          + " '--steps'?)",
      "train --variant diag --layers 1 --noise uniform:1 extra | unexpected argument 'extra'",
      "frobnicate | unknown command 'frobnicate' (see 'linear-icl --help')",
      "run --keep-going | unknown option '--keep-going' (see 'linear-icl run --help')",
      "rn | unknown command 'rn' (did you mean 'run'?)",
      // --set values get the train kind's own checks, before any work, in every command
      "run -n --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-*.steps=-5 | error: --set 'train-*.steps=-5': stage 'train-gdpp-1-u0-s0':"
          + " steps must be >= 0, got -5 (and 41 more stage(s))",
      "status --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-diag-*.layers=0 | --set 'train-diag-*.layers=0': stage"
          + " 'train-diag-1-u0-s0', param 'layers': must be >= 1, got 0",
      "list --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-*.lr=-1 | lr must be a finite number > 0, got -1.0",
      "show report --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-*.noise=gaussian:3 | unknown noise kind 'gaussian'",
      "run --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-*.variant=fulll | param 'variant': unknown variant 'fulll'",
      "run -n --profile ci --file ../pipeline.yaml --cache-dir target/no-cache --set"
          + " train-*.schedule=cosine:warmup=abc | param 'schedule': schedule"
          + " 'cosine:warmup=abc': 'warmup=abc' is not KEY=NUMBER",
      "run -n --profile ci --file ../pipeline.yaml --cache-dir target/no-cache train-dag-1"
          + " | (the nearest of its 58 stages: train-diag-1-u0-s0,",
      "run --progress-seconds -1 | --progress-seconds must be a finite number >= 0",
      // verify reads no pipeline file, clean keeps every profile's stages: neither takes these
      "verify --file /nonexistent.yaml | unknown option '--file'",
      "verify --set train-*.steps=5 | unknown option '--set'",
      "clean --set train-*.steps=5 | unknown option '--set'",
  })
  void userMistakesAreExitTwoWithOneLine(String args, String expected) {
    assertUserError(expected, args.trim().split("\\s+"));
  }

  /** Exit code 2 with one line on stderr that contains {@code expected}, no stack trace. */
  static void assertUserError(String expected, String... args) {
    Result r = run(args);
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().contains(expected.trim()), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void corruptCheckpointIsExitTwo(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"linear-icl-checkpoint/1\", \"model\": ");
    Result r = run("evaluate", "--model", bad.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("bad.json: line 1"), r.err());
  }

  @Test
  void benchPrintsTimings() throws Exception {
    // no --noise: a step costs the same at every noise level, so bench has a default
    Result r = run("bench", "--variant", "gdpp", "--layers", "2", "--batch", "128",
        "--steps", "3", "--warmup", "1", "--repeats", "1", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    JsonNode b = new ObjectMapper().readTree(r.lastLine());
    for (String key : new String[] {"variant", "layers", "batch", "threads", "ms_per_step",
        "sequences_per_s"}) {
      assertTrue(b.has(key), "missing " + key + " in " + b);
    }
    assertTrue(b.get("ms_per_step").asDouble() > 0);
    assertTrue(b.get("gflops").asDouble() > 0, b.toString());
  }

  /**
   * The guard's verdict and output, not its timing: any kernel is within a ratio of 1000 of the
   * yardstick and none within 1e-9.
   */
  @Test
  void benchGuardPassesAndFailsOnItsThreshold() throws Exception {
    String[] args = {"bench", "--variant", "full", "--layers", "2", "--batch", "64", "--guard",
        "--guard-rounds", "3", "--guard-max-ratio", null};
    args[args.length - 1] = "1000";
    Result pass = run(args);
    assertEquals(0, pass.code(), pass.err());
    JsonNode b = new ObjectMapper().readTree(pass.lastLine());
    assertEquals("pass", b.get("guard").asText(), b.toString());
    assertEquals(3, b.get("rounds").asInt());
    assertTrue(b.get("ratio").asDouble() > 0 && b.get("kernel_ms").asDouble() > 0
        && b.get("yardstick_ms").asDouble() > 0, b.toString());
    args[args.length - 1] = "1e-9";
    Result fail = run(args);
    assertEquals(1, fail.code(), fail.err());
    assertEquals("fail", new ObjectMapper().readTree(fail.lastLine()).get("guard").asText());
    assertEquals(1, fail.err().strip().split("\n").length, fail.err());
    assertTrue(fail.err().startsWith("bench --guard: the kernel is too slow: kernel/yardstick"),
        fail.err());
  }

  @Test
  void benchBreaksDownAStep() throws Exception {
    Result r = run("bench", "--variant", "diag", "--layers", "3", "--noise", "uniform:5",
        "--batch", "128", "--steps",
        "2", "--warmup", "1", "--repeats", "1", "--threads", "1", "--n", "40", "--breakdown");
    assertEquals(0, r.code(), r.err());
    JsonNode b = new ObjectMapper().readTree(r.lastLine());
    assertEquals(40, b.get("n").asInt());
    JsonNode phases = b.get("breakdown_ms");
    for (String key : new String[] {"sampling", "statistics", "forward", "backward",
        "reduce_adam", "total"}) {
      assertTrue(phases.has(key), "missing " + key + " in " + b);
    }
    assertTrue(phases.get("total").asDouble() > 0, b.toString());
  }

  @Test
  void outputDirectoriesAreCheckedBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("afile");
    Files.writeString(file, "x");
    Result r = run(train("--variant", "diag", "--layers", "1", "--noise", "uniform:1", "--out",
        file.resolve("model").toString()));
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --out " + file.resolve("model") + ": " + file + " is a file, expected a"
        + " directory (the artifact: checkpoint.json, outcome.json)", r.err().strip());
    r = run(train("--variant", "diag", "--layers", "1", "--noise", "uniform:1", "--out",
        file.toString()));
    assertEquals("error: --out " + file + ": is a file, expected a directory (the artifact:"
        + " checkpoint.json, outcome.json)", r.err().strip());
    // the study trains for hours before it writes: --out is checked first
    r = run("recipes", "--study", "../docs/recipe-study.yaml", "--out", file.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: --out " + file + ": is a file"), r.err());
    assertEquals("x", Files.readString(file));
  }

  /** The commands of this package whose help is checked below. */
  private static final String[] OWN = {"run", "status", "list", "show", "dag", "clean", "train",
      "bench", "recipes", "evaluate", "baselines", "verify", "push", "pull"};

  @Test
  void theCommandListGivesEachCommandOneWholeSentence() {
    String help = run("--help").out();
    String list = help.substring(help.indexOf("Commands:"));
    for (String cmd : OWN) {
      // the summary with its wrapped continuation lines
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  " + cmd
          + " +(.*(?:\\n {4,}.*)*)").matcher(list);
      assertTrue(m.find(), cmd + " in " + list);
      String summary = m.group(1).replaceAll("\\s+", " ").trim();
      assertTrue(summary.endsWith("."), cmd + ": '" + summary + "'");
      assertEquals(1, summary.split("\\. ").length, cmd + ": one sentence: " + summary);
    }
  }

  @Test
  void everyValueLabelFollowsOneConvention() {
    // N an integer, X a decimal, FILE or DIR a path, else what the value is (NOISE, PROFILE,
    // STAGE.PARAM=VALUE)
    java.util.regex.Pattern label = java.util.regex.Pattern.compile("--[a-z0-9-]+=(\\S+?)[\\]\\[,\\s]");
    for (String cmd : OWN) {
      // picocli may wrap a long label after its '.': read the synopsis unwrapped
      String usage = run(cmd, "--help").out().replaceAll("\\.\\n\\s+", ".");
      java.util.regex.Matcher m = label.matcher(usage);
      int seen = 0;
      while (m.find()) {
        seen++;
        String l = m.group(1);
        assertTrue(l.matches("N|X|[A-Z]{3,}([._=][A-Z]{3,})*"), cmd + ": label " + m.group() + " in " + usage);
      }
      assertTrue(seen > 0 || cmd.equals("clean"), cmd + " has labelled options");
    }
  }

  @Test
  void benchHasOneStepsOptionWithItsOwnDefault() {
    String usage = run("bench", "--help").out();
    assertEquals(1, usage.split("--steps=N\\s+\\S", -1).length - 1, usage);
    assertTrue(usage.matches("(?s).*--steps=N\\s+Timed steps per run \\(default: 20\\)\\..*"),
        usage);
  }

  @Test
  void versionIsTheBuildsVersion() {
    Result r = run("-V");
    assertEquals(0, r.code(), r.err());
    // the classes directory has no manifest: the version comes from the filtered resource
    assertTrue(r.out().strip().matches("linear-icl \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
  }

  @Test
  void everySubcommandHasHelp() {
    for (String cmd : new String[] {"train", "bench", "evaluate", "baselines", "dag"}) {
      Result r = run(cmd, "--help");
      assertEquals(0, r.code(), cmd);
      assertTrue(r.out().contains("Usage: linear-icl " + cmd), r.out());
    }
  }

  @Test
  void verifyAndCleanListOnlyTheOptionsTheyTake() {
    for (String cmd : new String[] {"verify", "clean"}) {
      String usage = run(cmd, "--help").out();
      assertFalse(usage.contains("--set"), usage);
      assertTrue(usage.contains("--cache-dir"), usage);
      assertEquals(cmd.equals("clean"), usage.contains("--file"), usage);
    }
    assertTrue(run("clean", "--help").out().contains("--dry-run"));
  }

  /**
   * With no cache, status says so in one line and checks the published files against their
   * list: a copy of results/ci as committed matches it, one changed byte is named.
   */
  @Test
  void statusWithoutACacheChecksThePublishedFiles(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Path ci = Path.of("..", "results", "ci");
    try (var files = Files.walk(ci)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = results.resolve("ci").resolve(ci.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    String[] status = {"status", "--profile", "ci", "--file", "../pipeline.yaml", "--cache-dir",
        dir.resolve("no-cache").toString(), "--results-dir", results.toString(), "--exit-code"};
    Result r = run(status);
    assertEquals(0, r.code(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("no cache at " + dir.resolve("no-cache")), r.out());
    assertTrue(lines.get(1).matches("published files match .*published.json \\(\\d+ files\\)"),
        r.out());

    Path report = results.resolve("ci").resolve("REPORT.md");
    byte[] b = Files.readAllBytes(report);
    b[b.length / 2] ^= 1;
    Files.write(report, b);
    r = run(status);
    assertEquals(1, r.code(), r.out() + r.err());
    lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertEquals(report + ": differs from published.json (modified since stage report published"
        + " it)", lines.get(1));
    assertTrue(lines.get(2).matches("1 of \\d+ published file\\(s\\) differ from .*"), r.out());
  }

  /** A bad value in any profile's set is a mistake of the file, whichever profile is chosen. */
  @Test
  void everyProfilesSetIsCheckedWhenTheFileLoads(@TempDir Path dir) throws Exception {
    String yaml = Files.readString(Path.of("..", "pipeline.yaml"));
    assertTrue(yaml.contains("\"tune-*.samples\": 20000"));
    Path bad = dir.resolve("pipeline.yaml");
    Files.writeString(bad, yaml.replace("\"tune-*.samples\": 20000", "\"tune-*.samples\": 1"));
    int line = (int) yaml.substring(0, yaml.indexOf("\"tune-*.samples\": 20000")).lines().count();
    assertUserError("error: pipeline.yaml:" + line + ":", "list", "--profile", "ci", "--file", bad.toString(),
        "--cache-dir", dir.resolve("cache").toString());
    assertUserError("profile 'quick' sets 'tune-*.samples' to 1: stage 'tune-u0', param"
        + " 'samples': must be >= 2, got 1 (and 9 more stage(s))", "run", "-n", "--profile", "ci",
        "--file", bad.toString(), "--cache-dir", dir.resolve("cache").toString());
  }
}
