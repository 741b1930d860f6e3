package org.linearicl.pipeline.cache.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cli.PipelineOptions;
import org.linearicl.pipeline.run.CliFixture;
import org.linearicl.pipeline.run.TestKinds;
import org.linearicl.pipeline.run.Warnings;

/**
 * The remote cache against a real S3 server in this JVM: write-once puts, read-through and
 * write-through runs, push and pull, corrupt remote copies refused, concurrent writers of one
 * object, and the one-line errors for bad addresses and credentials.
 */
class RemoteCacheTest extends CliFixture {
  static final String BUCKET = "linear-icl-test";
  static final String PIPELINE = """
      default_profile: full
      profiles:
        full: {}
      stages:
        a:
          kind: source
          params: {value: x}
        b:
          kind: source
          params: {value: y}
        join:
          kind: concat
          needs: [a, b]
          params: {suffix: "!"}
          publish: true
      """;

  @TempDir static Path serverDir;
  static S3TestStore server;

  TestKinds kinds;
  String remote;
  RemoteAddress address;

  @BeforeAll
  static void start() throws Exception {
    server = new S3TestStore(serverDir, BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  protected String pipeline() {
    return PIPELINE;
  }

  @BeforeEach
  void countingKinds(TestInfo info) {
    kinds = new TestKinds();
    PipelineOptions.kinds = () -> kinds.kinds();
    // a prefix per test: the tests share the server
    remote = "s3://" + BUCKET + "/" + info.getTestMethod().orElseThrow().getName();
    address = RemoteAddress.parse(remote);
  }

  Result cli(String cmd, Path cacheDir, String... more) {
    List<String> a = new ArrayList<>(List.of(cmd));
    if (!cmd.equals("verify")) { // verify reads no pipeline file
      a.addAll(List.of("--file", file.toString()));
    }
    a.addAll(List.of("--cache-dir", cacheDir.toString()));
    if (cmd.equals("run")) {
      a.addAll(List.of("--progress-seconds", "0", "--results-dir",
          dir.resolve("results-" + cacheDir.getFileName()).toString()));
    }
    a.addAll(List.of(more));
    return execute(a.toArray(String[]::new));
  }

  @Test
  void putGetHeadAndWriteOnce() throws Exception {
    try (S3Blobs b = S3Blobs.open(address)) {
      b.probe();
      byte[] one = "one".getBytes(StandardCharsets.UTF_8);
      assertEquals(Optional.empty(), b.get("objects/x"));
      assertEquals(Optional.empty(), b.head("objects/x"));
      assertTrue(b.putIfAbsent("objects/x", one));
      assertArrayEquals(one, b.get("objects/x").orElseThrow());
      assertEquals(Optional.of(3L), b.head("objects/x"));
      // write-once: the store answers 412 and keeps the first bytes
      assertFalse(b.putIfAbsent("objects/x", "two".getBytes(StandardCharsets.UTF_8)));
      assertArrayEquals(one, b.get("objects/x").orElseThrow());
    }
  }

  @Test
  void concurrentWritersOfOneObject() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (S3Blobs b = S3Blobs.open(address)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> wrote = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] mine = ("writer " + i).getBytes(StandardCharsets.UTF_8);
        wrote.add(pool.submit(() -> {
          go.await();
          return b.putIfAbsent("records/same.json", mine);
        }));
      }
      go.countDown();
      int first = -1;
      for (int i = 0; i < writers; i++) {
        if (wrote.get(i).get()) {
          assertEquals(-1, first, "two writers both created the object");
          first = i;
        }
      }
      assertTrue(first >= 0, "no writer created the object");
      assertEquals("writer " + first, new String(b.get("records/same.json").orElseThrow(),
          StandardCharsets.UTF_8));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoCachesUploadTheSameStageAtOnce() throws Exception {
    // two runners computed the same stages (different provenance times) and upload together
    Path c1 = dir.resolve("c1");
    Path c2 = dir.resolve("c2");
    assertEquals(0, cli("run", c1).code());
    assertEquals(0, cli("run", c2).code());
    Store s1 = new Store(c1);
    Store s2 = new Store(c2);
    List<String> keys = s1.allRecordKeys();
    assertEquals(3, keys.size());
    assertEquals(keys, s2.allRecordKeys());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RemoteCache r1 = RemoteCache.open(remote); RemoteCache r2 = RemoteCache.open(remote)) {
      CountDownLatch go = new CountDownLatch(1);
      Future<?> f1 = pool.submit(() -> {
        go.await();
        for (String k : keys) {
          r1.upload(s1.findRecord(k).orElseThrow(), s1);
        }
        return null;
      });
      Future<?> f2 = pool.submit(() -> {
        go.await();
        for (String k : keys) {
          r2.upload(s2.findRecord(k).orElseThrow(), s2);
        }
        return null;
      });
      go.countDown();
      f1.get();
      f2.get();
      // each record written once, by one of them; the other found it there (412 or HEAD)
      assertEquals(3, r1.uploaded() + r2.uploaded());
      assertEquals(0, r1.failures() + r2.failures());
      Path c3 = dir.resolve("c3");
      Result r = cli("run", c3, "--remote", remote);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("3 stages, 0 ran, 3 cached"), r.out());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readThroughAndWriteThrough() throws Exception {
    Result r = cli("run", dir.resolve("a"), "--remote", remote);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 stages, 3 ran, 0 cached"), r.out());
    assertTrue(r.out().contains("remote " + remote + ": 0 stage(s) fetched, 3 uploaded"),
        r.out());
    assertEquals(3, kinds.totalRuns());

    // an empty cache on another machine: every stage comes from the remote, none is run
    r = cli("run", dir.resolve("b"), "--remote", remote);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 stages, 0 ran, 3 cached"), r.out());
    assertTrue(r.out().contains(": 3 stage(s) fetched, 0 uploaded"), r.out());
    assertEquals(3, kinds.totalRuns());
    assertEquals(Files.readString(dir.resolve("results-a/full/out.txt")),
        Files.readString(dir.resolve("results-b/full/out.txt")));
    assertEquals("x+y!", Files.readString(dir.resolve("results-b/full/out.txt")));
    // what was fetched is a cache like any other: verify finds nothing wrong
    assertEquals(0, cli("verify", dir.resolve("b")).code());
  }

  @Test
  void pushPullAndStatus() throws Exception {
    Path a = dir.resolve("a");
    assertEquals(0, cli("run", a).code());
    Result p = cli("push", a, "--remote", remote);
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains(": 3 uploaded, 0 already there, 0 failed, 0 not cached here"),
        p.out());
    p = cli("push", a, "--remote", remote);
    assertTrue(p.out().contains(": 0 uploaded, 3 already there"), p.out());

    Path b = dir.resolve("b");
    Result s = cli("status", b, "--remote", remote, "--exit-code");
    assertEquals(0, s.code(), s.out());
    assertTrue(s.out().contains("remote join  (cached on the remote"), s.out());
    assertTrue(s.out().contains("profile full: 0 fresh, 3 on the remote, 0 stale"), s.out());

    Result pull = cli("pull", b, "join", "--remote", remote);
    assertEquals(0, pull.code(), pull.err());
    assertTrue(pull.out().contains(": 3 pulled, 0 already here, 0 not on the remote"),
        pull.out());
    Result run = cli("run", b);
    assertTrue(run.out().contains("3 stages, 0 ran, 3 cached"), run.out());
    assertEquals(3, kinds.totalRuns());

    // an empty remote prefix: pull finds nothing and says so
    pull = cli("pull", dir.resolve("c"), "--remote", remote + "-empty");
    assertEquals(0, pull.code(), pull.err());
    assertTrue(pull.out().contains(": 0 pulled, 0 already here, 2 not on the remote, 1 more"
        + " need one of those"), pull.out());
  }

  @Test
  void aCorruptRemoteObjectIsRefusedAndReplaced() throws Exception {
    Path a = dir.resolve("a");
    assertEquals(0, cli("run", a, "--remote", remote).code());
    Store sa = new Store(a);
    ActionRecord rec = sa.findRecord(sa.lastKey("a").orElseThrow()).orElseThrow();
    String sha = sa.manifestObjects(rec.artifact()).get("out.txt");
    try (S3Blobs b = S3Blobs.open(address); Warnings w = Warnings.capture()) {
      b.put("objects/" + sha, "z".getBytes(StandardCharsets.UTF_8)); // same length, other bytes
      Result r = cli("run", dir.resolve("b"), "--remote", remote);
      assertEquals(0, r.code(), r.err());
      assertTrue(w.text().contains(address.url("objects/" + sha) + ": corrupt (file 'out.txt',"
          + " SHA-256 mismatch); not used"), w.text());
      // the stage whose object was bad is recomputed, the others fetched; its twin on the
      // remote replaced with the checked bytes
      assertEquals(2, kinds.runs("a"));
      assertEquals(4, kinds.totalRuns());
      assertTrue(r.out().contains("3 stages, 1 ran, 2 cached"), r.out());
      assertEquals("x", new String(b.get("objects/" + sha).orElseThrow(),
          StandardCharsets.UTF_8));

      // a record with a flipped byte is refused as well
      String rn = "records/" + rec.key() + ".json";
      byte[] bad = b.get(rn).orElseThrow();
      int at = new String(bad, StandardCharsets.UTF_8).indexOf("\"stage\"");
      bad[at + 1] = 'S';
      b.put(rn, bad);
      r = cli("run", dir.resolve("c"), "--remote", remote);
      assertEquals(0, r.code(), r.err());
      assertTrue(w.text().contains(address.url(rn) + ": checksum mismatch; not used"), w.text());
      assertEquals(3, kinds.runs("a"));
      assertEquals(5, kinds.totalRuns());
    }
  }

  @Test
  void badAddressesAndCredentialsAreOneLineErrors() throws Exception {
    for (String bad : List.of("s3:/bucket", "https://bucket/x", "s3://Bad_Bucket/x", "s3://ab",
        "s3://bucket//x")) {
      Result r = cli("run", dir.resolve("a"), "--remote", bad);
      assertEquals(2, r.code(), bad + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("error: --remote '" + bad + "': "), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
    String saved = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.secretAccessKey", "wrong");
    try {
      for (String cmd : List.of("run", "status", "push", "pull")) {
        Result r = cli(cmd, dir.resolve("a"), "--remote", remote);
        assertEquals(2, r.code(), cmd + ": " + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("access denied (HTTP 403"), r.err());
      }
    } finally {
      System.setProperty("aws.secretAccessKey", saved);
    }
    Result r = cli("run", dir.resolve("a"), "--remote", "s3://no-such-bucket-here");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no such bucket (HTTP 404"), r.err());
    assertEquals(0, kinds.totalRuns(), "nothing runs before the remote is checked");
    r = cli("push", dir.resolve("a"));
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: push: missing --remote"), r.err());
    assertThrows(IllegalArgumentException.class, () -> RemoteAddress.parse("s3://"));
    assertEquals("s3://bucket/a/b", RemoteAddress.parse("s3://bucket/a/b/").toString());
    assertEquals("a/b/c", RemoteAddress.parse("s3://bucket/a/b").key("c"));
  }
}
