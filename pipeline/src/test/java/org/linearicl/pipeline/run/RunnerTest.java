package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.core.util.Sha256;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.spec.Pipeline;

class RunnerTest {
  static final String BASE = """
      default_profile: full
      vars:
        letter: [a, b]
      profiles:
        full: {}
        ci:
          vars: {letter: [a]}
          set: {"src-*.suffix": "!"}
      stages:
        "src-{letter}":
          kind: source
          foreach: [letter]
          params: {value: "{letter}", note: ""}
        lone:
          kind: source
          params: {value: z}
        join:
          kind: concat
          needs: ["src-*"]
          params: {suffix: ""}
        final:
          kind: concat
          needs: [join]
          publish: true
      """;

  @TempDir Path dir;
  Path file;
  Path cache;
  Path results;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() throws IOException {
    file = dir.resolve("pipeline.yaml");
    cache = dir.resolve("cache");
    results = dir.resolve("results");
    Files.writeString(file, BASE);
  }

  RunOptions opts() {
    return RunOptions.of(file, cache, results).withJobs(2).withProgressSeconds(0);
  }

  RunReport run(TestKinds k, RunOptions o) throws IOException {
    out = new StringWriter();
    err = new StringWriter();
    return new Runner(k.kinds(), new PrintWriter(out, true), new PrintWriter(err, true)).run(o);
  }

  void edit(String from, String to) throws IOException {
    String s = Files.readString(file);
    assertTrue(s.contains(from), from);
    Files.writeString(file, s.replace(from, to));
  }

  Set<String> ran(RunReport r) {
    return Set.copyOf(r.ran());
  }

  @Test
  void secondRunOfUnchangedPipelineDoesNoWork() throws IOException {
    TestKinds k = new TestKinds();
    RunReport first = run(k, opts());
    assertEquals(0, first.exitCode(), out.toString());
    assertEquals(Set.of("src-a", "src-b", "lone", "join", "final"), ran(first));
    assertEquals("a+b", Files.readString(results.resolve("full/out.txt")));
    RunReport second = run(k, opts());
    assertEquals(List.of(), second.ran());
    assertEquals(5, second.cached().size());
    assertEquals(5, k.totalRuns());
    assertTrue(out.toString().contains("0 ran, 5 cached"), out.toString());
  }

  @Test
  void paramChangeRerunsOnlyThatStageAndDownstream() throws IOException {
    run(new TestKinds(), opts());
    edit("params: {suffix: \"\"}", "params: {suffix: \"?\"}");
    TestKinds k = new TestKinds();
    RunReport r = run(k, opts());
    assertEquals(Set.of("join", "final"), ran(r));
    assertEquals("a+b?", Files.readString(results.resolve("full/out.txt")));
  }

  @Test
  void upstreamArtifactChangeRerunsDownstreamOnly() throws IOException {
    run(new TestKinds(), opts());
    edit("letter: [a, b]", "letter: [a, c]");
    RunReport r = run(new TestKinds(), opts());
    assertEquals(Set.of("src-c", "join", "final"), ran(r));
    assertTrue(r.cached().containsAll(List.of("src-a", "lone")));
  }

  @Test
  void kindVersionChangeRerunsThatKindAndDownstream() throws IOException {
    run(new TestKinds(), opts());
    RunReport r = run(new TestKinds(2), opts());
    assertEquals(Set.of("join", "final"), ran(r));
  }

  @Test
  void earlyCutoffIdenticalUpstreamBytesLeaveDownstreamCached() throws IOException {
    run(new TestKinds(), opts());
    edit("note: \"\"", "note: \"changed, output the same\"");
    RunReport r = run(new TestKinds(), opts());
    assertEquals(Set.of("src-a", "src-b"), ran(r));
    assertTrue(r.cached().containsAll(List.of("join", "final", "lone")));
  }

  @Test
  void forceRerunsOnlyTheNamedStages() throws IOException {
    run(new TestKinds(), opts());
    RunReport r = run(new TestKinds(), opts().withTargets(List.of("join")).withForce(true));
    assertEquals(Set.of("join"), ran(r));
    assertEquals(Set.of("src-a", "src-b"), Set.copyOf(r.cached()));
  }

  @Test
  void profileReplacesVarsAndSetsParams() throws IOException {
    RunReport r = run(new TestKinds(), opts().withProfile("ci"));
    assertEquals(Set.of("src-a", "lone", "join", "final"), ran(r));
    assertEquals("a!", Files.readString(results.resolve("ci/out.txt")));
  }

  @Test
  void targetGlobSelectsStagesAndTheirUpstream() throws IOException {
    RunReport r = run(new TestKinds(), opts().withTargets(List.of("jo*")));
    assertEquals(Set.of("src-a", "src-b", "join"), ran(r));
    assertThrows(IllegalArgumentException.class,
        () -> run(new TestKinds(), opts().withTargets(List.of("nothing-*"))));
  }

  private Path objectOf(String stage) throws IOException {
    Store store = new Store(cache);
    String key = store.lastKey(stage).orElseThrow();
    String digest = store.findRecord(key).orElseThrow().artifact();
    return store.object(store.manifestObjects(digest).values().iterator().next());
  }

  @Test
  void truncatedObjectIsQuarantinedAndRecomputed() throws IOException {
    run(new TestKinds(), opts());
    Path obj = objectOf("final");
    Files.write(obj, new byte[] {'a'});
    // join and final both hold "a+b": one shared object; join reads it first and is recomputed,
    // which restores the object, so final is a valid cache hit
    RunReport r = run(new TestKinds(), opts());
    assertEquals(Set.of("join"), ran(r));
    assertTrue(r.cached().contains("final"));
    assertTrue(err.toString().contains("corrupt object " + obj), err.toString());
    assertTrue(err.toString().contains("recomputing"), err.toString());
    try (Stream<Path> q = Files.list(cache.resolve("quarantine"))) {
      assertEquals(1, q.count());
    }
    assertEquals("a+b", new String(Files.readAllBytes(obj), StandardCharsets.UTF_8));
  }

  @Test
  void bitFlippedObjectIsQuarantinedAndRecomputed() throws IOException {
    run(new TestKinds(), opts());
    Path obj = objectOf("join");
    byte[] b = Files.readAllBytes(obj);
    b[0] ^= 1;
    Files.write(obj, b);
    // join and every stage reading it: join is recomputed (same bytes), final stays cached
    RunReport r = run(new TestKinds(), opts());
    assertEquals(Set.of("join"), ran(r));
    assertTrue(err.toString().contains("SHA-256 mismatch"), err.toString());
    assertEquals(Sha256.hex(Files.readAllBytes(obj)), obj.getFileName().toString());
  }

  /** A full disk: exit 1, one line with the cause, the stack trace in the stage's log only. */
  @Test
  void aFailedCacheWriteIsOneLineWithItsCause() throws IOException {
    Files.writeString(file, "stages:\n  full-disk: {kind: nospace, params: {dir: '"
        + cache.resolve("objects") + "'}}\n");
    try (Warnings w = Warnings.capture()) {
      RunReport r = run(new TestKinds(), opts());
      assertEquals(1, r.exitCode());
      assertTrue(r.failed().get("full-disk").startsWith("cache I/O: "), r.failed().toString());
      assertTrue(w.text().startsWith("stage full-disk: cache I/O failed: "), w.text());
      assertEquals(1, w.text().lines().count(), w.text());
      assertFalse(w.thrown(), "a stack trace on the terminal: " + w.text());
    }
    String log = Files.readString(new Store(cache).log("full-disk"));
    assertTrue(log.contains("FAILED (cache I/O)") && log.contains("\tat "), log);
    assertEquals("No space left on device",
        Runner.ioCause(new IOException("No space left on device")));
    assertEquals("/c/objects/x: No space left on device", Runner.ioCause(
        new java.nio.file.FileSystemException("/c/objects/x", null, "No space left on device")));
  }

  @Test
  void failingStageStopsOnlyItsDescendants() throws IOException {
    Files.writeString(file, """
        stages:
          ok-1: {kind: source, params: {value: x}}
          bad: {kind: fail}
          after-bad: {kind: concat, needs: [bad, ok-1]}
          ok-2: {kind: concat, needs: [ok-1]}
        """);
    RunReport r = run(new TestKinds(), opts());
    assertEquals(1, r.exitCode());
    assertEquals(Set.of("ok-1", "ok-2"), ran(r));
    assertEquals(List.of("after-bad"), r.skipped());
    assertTrue(r.failed().get("bad").contains("boom"));
    Path log = r.logs().get("bad");
    assertTrue(Files.readString(log).contains("StageException: boom"));
    assertTrue(Files.readString(log).contains("WARN  fail - about to fail"),
        Files.readString(log));
    String s = out.toString();
    assertTrue(s.contains("FAILED:  bad: StageException: boom (log: " + log + ")"), s);
    assertTrue(s.contains("skipped (an upstream failed): after-bad"), s);
    // every option that shaped the run, so that the line reruns exactly what stopped
    assertTrue(s.contains("resume with: linear-icl run --profile default --file " + file
        + " --cache-dir " + cache + " --results-dir " + results), s);
    // the finished siblings were committed: a rerun only retries the failed part
    TestKinds k = new TestKinds();
    RunReport again = run(k, opts());
    assertEquals(Set.of("bad"), k.runs.keySet());
    assertEquals(Set.of("ok-1", "ok-2"), Set.copyOf(again.cached()));
  }

  @Test
  void dryRunChangesNothingAndSaysWhy() throws IOException {
    RunReport r = run(new TestKinds(), opts().withDryRun(true));
    assertTrue(out.toString().contains("would run  join  (never run)"), out.toString());
    assertFalse(Files.exists(cache.resolve("records")));
    run(new TestKinds(), opts());
    edit("params: {suffix: \"\"}", "params: {suffix: \"?\"}");
    Set<String> before = listing(cache);
    TestKinds k = new TestKinds();
    run(k, opts().withDryRun(true));
    assertEquals(0, k.totalRuns());
    assertEquals(before, listing(cache));
    String s = out.toString();
    assertTrue(s.contains("would run  join  (params changed [suffix])"), s);
    assertTrue(s.contains("would run  final  (input changed"), s);
    assertTrue(s.contains("cached     src-a"), s);
    assertTrue(s.contains("2 would run, 3 cached"), s);
    assertEquals(0, r.exitCode());
  }

  private static Set<String> listing(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> {
        try {
          return root.relativize(p) + " " + (Files.isRegularFile(p) ? Files.size(p) : -1);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.toSet());
    }
  }

  @Test
  void secondRunnerWaitsForTheLockOrFailsWithNoWait() throws Exception {
    Path lockFile = new Store(cache).lockFile();
    CompletableFuture<RunReport> waiting;
    try (StoreLock held = StoreLock.acquire(lockFile, false, m -> { })) {
      StoreLock.BusyException e = assertThrows(StoreLock.BusyException.class,
          () -> run(new TestKinds(), opts().withNoWait(true)));
      assertEquals("waiting for the lock on " + lockFile + " held by another runner",
          e.getMessage());
      StringWriter werr = new StringWriter();
      TestKinds k = new TestKinds();
      waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return new Runner(k.kinds(), new PrintWriter(new StringWriter()),
              new PrintWriter(werr, true)).run(opts());
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      });
      long t0 = System.nanoTime();
      while (!werr.toString().contains("waiting for the lock") && System.nanoTime() - t0 < 10e9) {
        Thread.sleep(20);
      }
      assertTrue(werr.toString().contains("waiting for the lock on " + lockFile), werr.toString());
      assertFalse(waiting.isDone());
    }
    assertEquals(0, waiting.get(30, TimeUnit.SECONDS).exitCode());
  }

  @Test
  void publishClashIsAnError() throws IOException {
    Files.writeString(file, """
        stages:
          one: {kind: source, params: {value: x}, publish: true}
          two: {kind: source, params: {value: y}, publish: true}
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(new TestKinds(), opts()));
    assertTrue(e.getMessage().contains("'out.txt' (stages one and two)"), e.getMessage());
  }

  @Test
  void aFileAStageNoLongerPublishesIsRemovedUnlessChangedByHand() throws IOException {
    String yaml = """
        stages:
          src: {kind: source, params: {value: x}}
          pub: {kind: concat, needs: [src], params: {file: "m/NAME/f.txt"}, publish: true}
        """;
    Path dir = results.resolve("default");
    Files.writeString(file, yaml.replace("NAME", "a"));
    run(new TestKinds(), opts());
    assertEquals("x", Files.readString(dir.resolve("m/a/f.txt")));
    Files.writeString(file, yaml.replace("NAME", "b"));
    run(new TestKinds(), opts());
    assertEquals("x", Files.readString(dir.resolve("m/b/f.txt")));
    assertFalse(Files.exists(dir.resolve("m/a")), "the old file and its empty directory go");
    // a published file someone changed since stays
    Files.writeString(dir.resolve("m/b/f.txt"), "edited");
    Files.writeString(file, yaml.replace("NAME", "c"));
    run(new TestKinds(), opts());
    assertEquals("x", Files.readString(dir.resolve("m/c/f.txt")));
    assertEquals("edited", Files.readString(dir.resolve("m/b/f.txt")));
  }

  @Test
  void aProvenancedKindsPublishedFileCarriesTheRecordsBehindIt() throws IOException {
    Files.writeString(file, """
        stages:
          src: {kind: source, params: {value: x}}
          page: {kind: stamped, needs: [src], publish: true}
        """);
    TestKinds k = new TestKinds();
    run(k, opts());
    Path page = results.resolve("default/page.txt");
    Store store = new Store(cache, true);
    Pipeline p = new Runner(k.kinds(), new PrintWriter(out), new PrintWriter(err)).load(file,
        null);
    Map<String, Inspector.State> states = Inspector.inspect(p.topological(), store, Set.of());
    List<String> lines = Files.readAllLines(page);
    assertEquals(List.of("default", "src", "page"), lines.stream().map(l -> l.split(" ")[0])
        .toList());
    assertTrue(lines.get(1).startsWith("src " + states.get("src").key() + " "), lines.get(1));
    assertTrue(lines.get(2).startsWith("page " + states.get("page").key() + " "), lines.get(2));
    // status recomputes the stamp from the same records: nothing out of date
    assertEquals(List.of(), Inspector.published(p, states, store, results));
    // a rerun that finds everything cached publishes the same bytes
    byte[] before = Files.readAllBytes(page);
    run(k, opts());
    assertEquals(1, k.runs("page"));
    assertArrayEquals(before, Files.readAllBytes(page));
    // a page whose provenance is not the current records' is out of date
    Files.writeString(page, "default\nsrc 0 0\n");
    assertTrue(Inspector.published(p, states, store, results).get(0)
        .endsWith("page.txt: modified since it was published; run `run` to republish"));
  }

  @Test
  void parallelStagesAndProgressLine() throws IOException {
    Files.writeString(file, """
        stages:
          s1: {kind: slow, params: {millis: 400}}
          s2: {kind: slow, params: {millis: 400, size: 8}}
        """);
    RunReport r = run(new TestKinds(), opts().withProgressSeconds(0.1));
    assertEquals(Set.of("s1", "s2"), ran(r));
    // "2 running" proves the two stages overlapped (no wall-time bound: CI machines are shared)
    assertTrue(err.toString().matches("(?s).*\\[0/2 done, 2 running: s1 \\d+% sleeping; s2 \\d+%"
        + " sleeping\\] [0-9.]+s elapsed.*"), err.toString());
  }
}
