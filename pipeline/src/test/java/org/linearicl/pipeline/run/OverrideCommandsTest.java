package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cli.Main;
import org.linearicl.pipeline.cli.PipelineOptions;

/** {@code --set} on the commands that load the pipeline, through {@link Main#execute}. */
class OverrideCommandsTest {
  record Result(int code, String out, String err) {}

  @TempDir Path dir;
  Path file;
  Supplier<StageKinds> saved;

  @BeforeEach
  void setUp() throws Exception {
    saved = PipelineOptions.kinds;
    PipelineOptions.kinds = () -> new TestKinds().kinds();
    file = dir.resolve("pipeline.yaml");
    Files.writeString(file, RunnerTest.BASE);
  }

  @AfterEach
  void tearDown() {
    PipelineOptions.kinds = saved;
  }

  Result cli(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--file", file.toString(), "--cache-dir", dir.resolve("cache").toString()));
    if (args[0].equals("run")) {
      a.addAll(List.of("--results-dir", dir.resolve("results").toString(),
          "--progress-seconds", "0"));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        a.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
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
    assertTrue(verify.err().startsWith("error: --set: 'verify' does not expand the pipeline"),
        verify.err());
  }
}
