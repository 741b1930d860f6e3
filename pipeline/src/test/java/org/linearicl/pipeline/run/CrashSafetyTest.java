package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;

/** A runner killed with SIGKILL mid-run leaves nothing that is later used. */
class CrashSafetyTest {
  @Test
  void killedRunnerLeavesNoUsableGarbageAndTheNextRunCompletes(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Path cache = dir.resolve("cache");
    Path results = dir.resolve("results");
    Files.writeString(file, """
        stages:
          fast: {kind: source, params: {value: x}}
          big: {kind: slow, params: {size: 20000000}}
          after: {kind: concat, needs: [fast, big], params: {file: out.bin}}
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Dslow.millis=1000",
        "-cp", System.getProperty("java.class.path"), KillableRunMain.class.getName(),
        file.toString(), cache.toString(), results.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    Path tmp = cache.resolve("tmp");
    Path bigLog = cache.resolve("logs/big.log");
    long t0 = System.nanoTime();
    boolean midWrite = false;
    while (child.isAlive() && System.nanoTime() - t0 < 60e9) {
      if (Files.exists(bigLog) && Files.isDirectory(tmp)) {
        try (Stream<Path> s = Files.list(tmp)) {
          if (s.findAny().isPresent()) {
            midWrite = true;
            break;
          }
        }
      }
      if (Files.exists(bigLog) && System.nanoTime() - t0 > 30e9) {
        break;
      }
      Thread.sleep(2);
    }
    assertTrue(child.isAlive(), "the child finished before it could be killed: "
        + Files.readString(dir.resolve("child.log")));
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    Store store = new Store(cache);
    assertTrue(store.lastKey("after").isEmpty(), "'after' cannot have committed");

    StringWriter out = new StringWriter();
    TestKinds k = new TestKinds();
    RunReport r = new Runner(k.kinds(), new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true)).run(
            RunOptions.of(file, cache, results).withJobs(1).withProgressSeconds(0));
    assertEquals(0, r.exitCode(), out.toString());
    assertTrue(r.ran().containsAll(List.of("big", "after")), r + " (killed mid-write: "
        + midWrite + ")");
    assertTrue(r.cached().contains("fast"), "committed before the kill: " + r);
    for (String stage : List.of("fast", "big", "after")) {
      ActionRecord rec = store.findRecord(store.lastKey(stage).orElseThrow()).orElseThrow();
      Artifact a = store.get(rec.artifact());
      assertEquals(rec.artifact(), a.digest());
    }
    for (String o : store.allObjects()) {
      assertEquals(o, Sha256.hex(Files.readAllBytes(store.object(o))));
    }
    // the killed child's temporary directory is removed at the start of the next run; what is
    // left is this process's own (its lock file, no temporary file)
    String killed = child.pid() + "-";
    try (Stream<Path> s = Files.walk(tmp)) {
      List<String> left = s.filter(p -> !p.equals(tmp)).map(p -> tmp.relativize(p).toString())
          .toList();
      assertTrue(left.stream().noneMatch(n -> n.startsWith(killed) || n.endsWith(".tmp")),
          "tmp/ is cleaned at the start of the next run: " + left);
    }
  }
}
