package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.spec.Pipeline;

/** Several writers on one cache: write-once objects and one writer per stage. */
class MultiWriterTest {
  @TempDir Path dir;

  @Test
  void writeOnceKeepsTheFirstFile() throws Exception {
    Path target = dir.resolve("objects/x");
    assertTrue(AtomicFiles.writeOnce(dir.resolve("tmp"), target, "first".getBytes()));
    assertFalse(AtomicFiles.writeOnce(dir.resolve("tmp"), target, "second".getBytes()));
    assertEquals("first", Files.readString(target));
    try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, s.count(), "no temporary file is left behind");
    }
  }

  @Test
  void writersOfTheSameObjectAllSucceedAndOneValidFileStays() throws Exception {
    Path cache = dir.resolve("cache");
    Artifact a = Artifact.builder().bytes("a.bin", new byte[200_000])
        .bytes("b.txt", "same".getBytes(StandardCharsets.UTF_8)).build();
    int writers = 8;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<String>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        done.add(pool.submit(() -> {
          Store s = new Store(cache); // a store per writer, as in separate processes
          s.init();
          start.await();
          return s.put(a);
        }));
      }
      for (Future<String> f : done) {
        assertEquals(a.digest(), f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    Store store = new Store(cache);
    assertEquals(a.digest(), store.get(a.digest()).digest());
    assertEquals(2, store.allObjects().size());
    try (Stream<Path> s = Files.list(store.quarantine())) {
      assertEquals(0, s.count(), "nothing a racing writer left was taken for corrupt");
    }
  }

  @Test
  void aCorruptObjectFoundWhileStoringIsReplaced() throws Exception {
    Store store = new Store(dir.resolve("cache"));
    store.init();
    Artifact a = Artifact.ofText("t.txt", "payload");
    store.put(a);
    String obj = store.allObjects().get(0);
    Files.writeString(store.object(obj), "garbage");
    store.put(a);
    assertEquals("payload", Files.readString(store.object(obj)));
    try (Stream<Path> s = Files.list(store.quarantine())) {
      assertEquals(1, s.count());
    }
  }

  static final String ONE_SLOW_STAGE = """
      stages:
        src: {kind: source, params: {value: x}}
        slow: {kind: slow, needs: [src], params: {millis: 600}}
      """;

  @Test
  void twoJobsOfTheSameStageComputeItOnce() throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, ONE_SLOW_STAGE);
    Path cache = dir.resolve("cache");
    TestKinds k = new TestKinds();
    Runner r = new Runner(k.kinds(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
    Pipeline p = r.load(file, null);
    RunOptions base = RunOptions.of(file, cache, dir.resolve("results")).withJobs(1)
        .withProgressSeconds(0);
    assertEquals(0, r.run(p, base.withTargets(List.of("src"))).exitCode());
    RunOptions job = base.withTargets(List.of("slow")).withStageJob(true);
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<RunReport> one = () -> {
        start.await();
        return r.run(p, job);
      };
      Future<RunReport> a = pool.submit(one);
      Future<RunReport> b = pool.submit(one);
      RunReport ra = a.get(60, TimeUnit.SECONDS);
      RunReport rb = b.get(60, TimeUnit.SECONDS);
      assertEquals(0, ra.exitCode());
      assertEquals(0, rb.exitCode());
      assertEquals(1, k.runs("slow"), "the second writer waited and used the first's record");
      assertEquals(1, ra.ran().size() + rb.ran().size());
      assertEquals(1, ra.cached().size() + rb.cached().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStageClaimedByAnotherProcessIsWaitedForThenReused() throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, ONE_SLOW_STAGE);
    Path cache = dir.resolve("cache");
    TestKinds k = new TestKinds();
    Runner r = new Runner(k.kinds(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
    Pipeline p = r.load(file, null);
    RunOptions base = RunOptions.of(file, cache, dir.resolve("results")).withJobs(1)
        .withProgressSeconds(0);
    Path claim = new Store(cache).claimFile("slow");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process holder = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), ClaimHolder.class.getName(), claim.toString(),
        "1500").redirectErrorStream(true).start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertEquals("held", in.readLine());
      long t0 = System.nanoTime();
      StringWriter err = new StringWriter();
      RunReport rep = new Runner(k.kinds(), new PrintWriter(new StringWriter(), true),
          new PrintWriter(err, true)).run(p, base.withTargets(List.of("slow")));
      double waited = (System.nanoTime() - t0) / 1e9;
      assertEquals(0, rep.exitCode());
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      assertTrue(waited >= 0.8, "the runner computed the stage while another process held its"
          + " claim (" + waited + " s)");
      assertTrue(err.toString().contains("waiting for stage slow, which another writer is"
          + " computing"), err.toString());
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Holds the claim file {@code args[0]} for {@code args[1]} ms, like a job computing it. */
  public static final class ClaimHolder {
    public static void main(String[] args) throws Exception {
      try (StoreLock l = StoreLock.acquire(Path.of(args[0]), false, m -> { })) {
        System.out.println("held");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]));
      }
    }
  }
}
