package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.util.Sha256;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.cli.Main;

/** The pipeline commands through {@link Main#execute}. */
class CommandsTest extends CliFixture {
  @Override
  protected String pipeline() {
    return RunnerTest.BASE;
  }

  Result cli(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (!args[0].equals("verify")) { // verify reads no pipeline file
      a.addAll(List.of("--file", file.toString()));
    }
    a.addAll(List.of("--cache-dir", cache.toString()));
    if (args[0].equals("run") || args[0].equals("status")) {
      a.addAll(List.of("--results-dir", dir.resolve("results").toString()));
    }
    if (args[0].equals("run")) {
      a.addAll(List.of("--progress-seconds", "0"));
    }
    return execute(a.toArray(String[]::new));
  }

  void edit(String from, String to) throws Exception {
    Files.writeString(file, Files.readString(file).replace(from, to));
  }

  @Test
  void runStatusWhyListShow() throws Exception {
    Result r = cli("run");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("5 stages, 5 ran, 0 cached"), r.out());
    Result s = cli("status", "--exit-code");
    assertEquals(0, s.code(), s.out());
    assertTrue(s.out().contains("fresh  final"), s.out());

    edit("params: {suffix: \"\"}", "params: {suffix: \"?\"}");
    s = cli("status", "--exit-code");
    assertEquals(1, s.code());
    assertTrue(s.out().contains("stale  join  (params changed [suffix])"), s.out());
    assertTrue(s.out().contains("stale  final  (input changed [join])"), s.out());
    Result why = cli("status", "--why", "join");
    assertTrue(why.out().contains("param suffix: \"\" -> \"?\""), why.out());
    why = cli("status", "--why", "final");
    assertTrue(why.out().contains("input join: "), why.out());
    assertTrue(why.out().contains("(upstream stale, will rerun)"), why.out());

    Result list = cli("list");
    assertTrue(list.out().matches("(?s).*join\\s+concat@1\\s+stale.*"), list.out());
    assertTrue(list.out().matches("(?s).*src-a\\s+source@1\\s+fresh.*"), list.out());

    Result show = cli("show", "src-a");
    assertEquals(0, show.code(), show.err());
    for (String x : new String[] {"kind:     source@1", "params:   {\"note\":\"\",\"suffix\":\"\","
        + "\"value\":\"a\"}", "key:      ", "artifact: ", "out.txt", "\"git_commit\"", "\"jdk\"",
        "\"input_digests\"", "\"wall_seconds\"", "\"threads\""}) {
      assertTrue(show.out().contains(x), x + " in " + show.out());
    }
    assertEquals(2, cli("show", "nope").code());
  }

  @Test
  void verifyRepairAndClean() throws Exception {
    assertEquals(0, cli("run").code());
    assertEquals(0, cli("verify").code());
    Store store = new Store(cache);
    String digest = store.findRecord(store.lastKey("lone").orElseThrow()).orElseThrow()
        .artifact();
    Path obj = store.object(store.manifestObjects(digest).values().iterator().next());
    Files.writeString(obj, "tampered");
    Result v = cli("verify");
    assertEquals(1, v.code());
    assertTrue(v.out().contains("corrupt object " + obj), v.out());
    Result repair = cli("verify", "--repair");
    assertEquals(0, repair.code(), repair.out());
    assertTrue(repair.out().contains("1 corrupt file(s) quarantined, 1 record(s) deleted"),
        repair.out());
    Result again = cli("run");
    assertTrue(again.out().contains("ran:     lone\n"), again.out());

    edit("params: {suffix: \"\"}", "params: {suffix: \"?\"}");
    assertEquals(0, cli("run").code());
    Result clean = cli("clean");
    assertEquals(0, clean.code(), clean.err());
    assertTrue(clean.out().contains("removed 2 record(s)"), clean.out());
    Result status = cli("status", "--exit-code");
    assertEquals(0, status.code(), status.out());
  }

  @Test
  void userErrorsExitTwoAndBusyLockExitsOne() throws Exception {
    Files.writeString(file, "stages:\n  a: {kind: nokind}\n  b: {kind: source, params: {}}\n");
    Result r = cli("run");
    assertEquals(2, r.code());
    String name = file.getFileName().toString();
    assertTrue(r.err().contains("error: " + name + ":2:"), r.err());
    assertTrue(r.err().contains("unknown kind 'nokind'"), r.err());
    assertTrue(r.err().contains("error: " + name + ":3:"), r.err());
    Files.writeString(file, RunnerTest.BASE);
    assertEquals(2, cli("run", "nothing-*").code());
    assertEquals(2, cli("run", "--profile", "nope").code());
    try (StoreLock held = StoreLock.acquire(new Store(cache).lockFile(), false, m -> { })) {
      Result busy = cli("run", "--no-wait");
      assertEquals(1, busy.code());
      assertTrue(busy.err().contains("another runner holds the lock on"), busy.err());
    }
    Result dry = cli("run", "--dry-run");
    assertEquals(0, dry.code());
    assertTrue(dry.out().contains("5 would run, 0 cached"), dry.out());
  }

  @Test
  void noArgumentsMeansRunInTheWorkingDirectory() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // surefire's working directory (the module) has no pipeline.yaml: run says so
    assertTrue(!Files.exists(Path.of("pipeline.yaml")));
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("no pipeline file"), err.toString());
  }

  Path published() {
    return dir.resolve("results/full/out.txt");
  }

  String republish(String what) {
    return published() + ": " + what + "; run `run` to republish";
  }

  @Test
  void statusReportsPublishedFilesFromAnotherKeyModifiedOrMissing() throws Exception {
    assertEquals(0, cli("run").code());
    Result s = cli("status", "--exit-code");
    assertEquals(0, s.code(), s.out());
    Path list = dir.resolve("results/full/published.json");
    String json = Files.readString(list);
    assertTrue(json.startsWith("{\n  \"checksum\" : \""), json);
    assertTrue(json.contains("\"out.txt\""), json);
    assertTrue(json.contains(Sha256.hex(Files.readAllBytes(published()))), json);

    // another parameter set published, then the first one back with a subset run: every
    // stage is fresh, but results/ still holds the other parameter set's file
    edit("params: {suffix: \"\"}", "params: {suffix: \"?\"}");
    assertEquals(0, cli("run").code());
    assertEquals("a+b?", Files.readString(published()));
    edit("params: {suffix: \"?\"}", "params: {suffix: \"\"}");
    assertEquals(0, cli("run", "src-a").code());
    s = cli("status", "--exit-code");
    assertEquals(1, s.code(), s.out());
    assertTrue(s.out().contains(republish("published from an older key")), s.out());
    assertTrue(s.out().contains("5 fresh, 0 stale, 1 published file(s) out of date"), s.out());
    assertEquals(0, cli("run").code());
    s = cli("status", "--exit-code");
    assertEquals(0, s.code(), s.out());

    Files.writeString(published(), "edited by hand");
    s = cli("status", "--exit-code");
    assertEquals(1, s.code(), s.out());
    assertTrue(s.out().contains(republish("modified since it was published")), s.out());
    Files.delete(published());
    assertTrue(cli("status").out().contains(republish("missing")));
    assertEquals(0, cli("run").code());
    assertEquals(0, cli("status", "--exit-code").code());

    // the list carries its own checksum: a flipped byte is reported, and the next run rewrites it
    byte[] b = Files.readAllBytes(list);
    b[b.length / 2] ^= 1;
    Files.write(list, b);
    s = cli("status", "--exit-code");
    assertEquals(1, s.code(), s.out());
    assertTrue(s.out().contains(list + ": "), s.out());
    assertEquals(0, cli("run").code());
    assertEquals(0, cli("status", "--exit-code").code(), cli("status").out());
    assertEquals(json, Files.readString(list));

    edit("    publish: true\n", "");
    s = cli("status", "--exit-code");
    assertEquals(1, s.code(), s.out());
    assertTrue(s.out().contains(published() + ": published by stage final, which no longer"
        + " publishes it"), s.out());
  }

  @Test
  void aStaleStageFromTheCurrentKeyIsNotReportedTwice() throws Exception {
    assertEquals(0, cli("run").code());
    // the record of final is lost: final is stale, but results/ holds its current key's file
    Path records = dir.resolve("cache/records");
    try (var s = Files.list(records)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.readString(p).contains("\"stage\" : \"final\"")) {
          Files.delete(p);
        }
      }
    }
    Result s = cli("status");
    assertTrue(s.out().contains("stale  final"), s.out());
    assertFalse(s.out().contains("republish"), s.out());
  }

  /**
   * An override changes the matching stages' params and so their keys: the dry run, status,
   * list and show see exactly those stages (and what needs them) stale; run runs them.
   */
  @Test
  void anOverrideMakesTheMatchingStagesStale() throws Exception {
    assertEquals(0, cli("run").code());
    Result dry = cli("run", "-n", "--set", "src-*.suffix=X");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("would run  src-a  (params changed [suffix])"), dry.out());
    assertTrue(dry.out().contains("would run  src-b  (params changed [suffix])"), dry.out());
    assertTrue(dry.out().contains("cached     lone"), dry.out());
    assertTrue(dry.out().contains("4 would run, 1 cached"), dry.out());
    Result status = cli("status", "--set", "src-a.suffix=X", "--set", "lone.note=x");
    assertTrue(status.out().contains("stale  src-a  (params changed [suffix])"), status.out());
    assertTrue(status.out().contains("fresh  src-b"), status.out());
    assertTrue(status.out().contains("stale  lone  (params changed [note])"), status.out());
    Result list = cli("list", "--set", "src-a.suffix=X");
    assertTrue(list.out().matches("(?s).*src-a +source@1 +stale.*src-b +source@1 +fresh.*"),
        list.out());
    Result show = cli("show", "src-b", "--set", "src-?.suffix=X");
    assertTrue(show.out().contains("\"suffix\":\"X\""), show.out());
    Result run = cli("run", "--set", "src-*.suffix=X");
    assertEquals(0, run.code(), run.err());
    assertEquals("aX+bX", Files.readString(dir.resolve("results/full/out.txt")));
    assertTrue(cli("status", "--set", "src-*.suffix=X").out().contains("0 stale"));
  }

  /** With --set, the published files go to a --results-dir of the user's, never the profile's. */
  @Test
  void anOverrideNeedsItsOwnResultsDirectory() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run",
        "--set", "src-*.suffix=X", "--file", file.toString(), "--cache-dir", cache.toString(),
        "--progress-seconds", "0");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().startsWith("error: --set changes the parameters of profile full:"
        + " give --results-dir DIR"), err.toString());
    assertEquals(1, err.toString().strip().split("\n").length, err.toString());
  }

  /** Each mistake is one line on stderr naming the --set argument, exit code 2. */
  @Test
  void mistakesAreOneLineExitTwo() {
    String[][] cases = {
        {"nope-*.suffix=x", "error: --set 'nope-*.suffix=x': 'nope-*' matches no stage — expected"
            + " a glob over "},
        {"src-*.sufix=x", "error: --set 'src-*.sufix=x': kind [source] has no param 'sufix' —"
            + " expected one of [note, suffix, value]"},
        {"*.value=x", "error: --set '*.value=x': kind [concat] has no param 'value' — expected"
            + " one of [file, suffix]"},
        {"src-a.suffix=[1]", "error: --set 'src-a.suffix=[1]': param 'suffix' is [1] — expected a"
            + " string"},
        {"src-a.suffix", "error: --set 'src-a.suffix': expected STAGE_OR_GLOB.PARAM=VALUE, like"
            + " 'train-*.steps=200' (see 'linear-icl run --help')"},
    };
    for (String[] c : cases) {
      Result r = cli("run", "-n", "--set", c[0]);
      assertEquals(2, r.code(), c[0] + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith(c[1]), "'" + r.err() + "' lacks '" + c[1] + "'");
    }
    Result verify = cli("verify", "--set", "src-a.suffix=x");
    assertEquals(2, verify.code(), verify.err());
    assertTrue(verify.err().startsWith("error: unknown option '--set'"), verify.err());
  }
}
