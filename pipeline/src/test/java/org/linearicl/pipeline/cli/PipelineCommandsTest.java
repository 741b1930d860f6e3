package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.run.CliFixture;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.run.Runner;
import org.linearicl.pipeline.run.TestKinds;
import org.linearicl.pipeline.spec.Pipeline;

/** The pipeline commands of the cli package (run, dag, ...) on a small file of test kinds. */
class PipelineCommandsTest extends CliFixture {
  /**
   * warm-a needs src-a and optionally src-b (dashed); warm-b needs src-b both ways (solid);
   * join needs the warm stages and optionally the sources; "nothing-*" matches no stage.
   */
  static final String FILE = """
      default_profile: ci
      vars:
        letter: [a, b]
      profiles:
        ci: {}
      stages:
        "src-{letter}":
          kind: source
          foreach: [letter]
          params: {value: "{letter}"}
        "warm-{letter}":
          kind: concat
          foreach: [letter]
          needs: ["src-{letter}"]
          optional_needs: ["src-b", "nothing-{letter}"]
        join:
          kind: concat
          needs: ["warm-*"]
          optional_needs: ["src-*"]
          publish: true
      """;

  @Override
  protected String pipeline() {
    return FILE;
  }

  Result cli(String... args) {
    return execute(args);
  }

  static void assertUserError(Result r, String expected) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void aCacheDirThatIsAFileIsExitTwoBeforeAnyWork() throws Exception {
    Path f = dir.resolve("afile");
    Files.writeString(f, "not a directory");
    String[][] commands = {{"status"}, {"list"}, {"show", "join"}, {"clean"}, {"run"},
        {"run", "--dry-run"}, {"dag"}};
    for (String[] c : commands) {
      for (Path bad : List.of(f, f.resolve("under"))) {
        String[] args = concat(c, "--file", file.toString(), "--cache-dir", bad.toString());
        Result r = cli(args);
        assertUserError(r, "--cache-dir " + bad + ": ");
        assertTrue(r.err().contains("is a file, expected a directory"), r.err());
      }
    }
    assertEquals("not a directory", Files.readString(f));
  }

  @Test
  void aResultsDirThatIsAFileIsExitTwoBeforeAnyStageRuns() throws Exception {
    Path f = dir.resolve("results");
    Files.writeString(f, "x");
    for (String dry : new String[] {"--dry-run", "--jobs=1"}) {
      Result r = cli("run", dry, "--file", file.toString(), "--cache-dir", cache.toString(),
          "--results-dir", f.toString());
      assertUserError(r, "--results-dir " + f + ": is a file, expected a directory (the"
          + " published files of profile ci)");
    }
    assertFalse(Files.exists(cache.resolve("records")), "a stage ran");
    // a selection that publishes nothing does not need the directory
    Result r = cli("run", "src-a", "--file", file.toString(), "--cache-dir", cache.toString(),
        "--results-dir", f.toString(), "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void noWaitSaysItDoesNotWait() throws Exception {
    try (var held = org.linearicl.pipeline.cache.StoreLock.acquire(new Store(cache).lockFile(),
        false, m -> { })) {
      for (String[] cmd : new String[][] {{"run", "--results-dir", dir.resolve("r").toString()},
          {"clean"}}) {
        Result r = cli(concat(cmd, "--no-wait", "--file", file.toString(), "--cache-dir",
            cache.toString()));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("another runner holds the lock on"), r.err());
        assertTrue(r.err().contains("--no-wait: exiting instead of waiting"), r.err());
        assertFalse(r.err().contains("waiting for the lock"), r.err());
      }
    }
  }

  @Test
  void dagDrawsNeedsSolidAndOptionalNeedsDashed() {
    Result r = cli("dag", "--file", file.toString(), "--cache-dir", cache.toString());
    assertEquals(0, r.code(), r.err());
    String expected = """
        digraph pipeline {
          rankdir=LR;
          node [shape=box, fontname="Helvetica"];
          "src-a";
          "src-b";
          "warm-a";
          "warm-b";
          "join";
          "src-a" -> "warm-a";
          "src-b" -> "warm-a" [style=dashed];
          "src-b" -> "warm-b";
          "src-a" -> "join" [style=dashed];
          "src-b" -> "join" [style=dashed];
          "warm-a" -> "join";
          "warm-b" -> "join";
        }
        """;
    assertEquals(expected, r.out().substring(r.out().indexOf('\n') + 1), r.out());
    assertTrue(r.out().startsWith("// pipeline.yaml, profile ci: "), r.out());
  }

  @Test
  void dagCollapsesForeachGroupsAndMarksCachedStages() {
    assertEquals(0, cli("run", "src-*", "--file", file.toString(), "--cache-dir",
        cache.toString(), "--progress-seconds", "0").code());
    Result r = cli("dag", "--collapse", "--format", "mermaid", "--file", file.toString(),
        "--cache-dir", cache.toString());
    assertEquals(0, r.code(), r.err());
    String expected = """
        flowchart LR
          n0["src-{letter} (2 stages)"]
          n1["warm-{letter} (2 stages)"]
          n2["join"]
          n0 --> n1
          n0 -.-> n2
          n1 --> n2
          classDef cached fill:#d9d9d9
          class n0 cached
        """;
    assertEquals(expected, r.out().substring(r.out().indexOf('\n') + 1), r.out());

    Result dot = cli("dag", "warm-a", "--file", file.toString(), "--cache-dir",
        cache.toString());
    assertEquals(0, dot.code(), dot.err());
    assertTrue(dot.out().contains("\"src-a\" [style=filled, fillcolor=gray85];"), dot.out());
    assertFalse(dot.out().contains("join"), "only warm-a and what it needs: " + dot.out());
    assertUserError(cli("dag", "--format", "svg", "--file", file.toString()), "--format");
  }

  @Test
  void runPlanSaysWhatRunsHowLongAndThatStoppingIsSafe() throws Exception {
    Runner runner = new Runner(new TestKinds().kinds(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    Pipeline p = runner.load(file, null);
    Store store = new Store(cache, true);
    String line = RunPlan.line("ci", "pipeline.yaml", Inspector.inspect(p.topological(), store,
        Set.of()), true, 2, cache);
    // no previous run: the measured time of the profile named ci
    assertTrue(line.startsWith("run: profile ci of pipeline.yaml, 5 stage(s): 5 to run, 0 cached;"
        + " expected wall time about 1 min (the whole profile, measured on 2 cores)"), line);
    assertTrue(line.endsWith("an interruption (Ctrl-C) is safe: every finished stage is in the"
        + " cache " + cache + " and the same command resumes from there"), line);

    assertEquals(0, cli("run", "--file", file.toString(), "--cache-dir", cache.toString(),
        "--results-dir", dir.resolve("results").toString(), "--progress-seconds", "0").code());
    assertTrue(RunPlan.line("ci", "pipeline.yaml", Inspector.inspect(p.topological(), store,
        Set.of()), true, 2, cache).endsWith("5 cached; nothing to run"));
    // forced (and warm-a, downstream of src-a): every stage has run before, so the estimate
    // comes from their recorded wall times
    line = RunPlan.line("ci", "pipeline.yaml", Inspector.inspect(p.topological(), store,
        Set.of("src-a")), false, 2, cache);
    // test stages take milliseconds: no "about 1 min" for them
    assertTrue(line.contains("3 to run, 2 cached; expected wall time under a second (from the"
        + " stages' previous runs in the cache)"), line);
  }

  @Test
  void readmeQuotesTheMeasuredProfileTimes() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (var e : RunPlan.MEASURED.entrySet()) {
      String row = readme.lines().filter(l -> l.startsWith("| `" + e.getKey() + "`"))
          .findFirst().orElseThrow(() -> new AssertionError("no README row for " + e.getKey()));
      assertTrue(row.contains("| " + RunPlan.minutes(e.getValue())), e.getKey() + ": " + row);
    }
    assertEquals("8 min", RunPlan.minutes(RunPlan.MEASURED.get("quick")));
    assertEquals("under a second", RunPlan.estimate(java.time.Duration.ofMillis(499)));
    assertEquals("about 1 s", RunPlan.estimate(java.time.Duration.ofMillis(700)));
    assertEquals("about 42 s", RunPlan.estimate(java.time.Duration.ofMillis(41_600)));
    assertEquals("about 1 min", RunPlan.estimate(java.time.Duration.ofMillis(59_500)));
    assertEquals("about 3 min", RunPlan.estimate(java.time.Duration.ofSeconds(170)));
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
