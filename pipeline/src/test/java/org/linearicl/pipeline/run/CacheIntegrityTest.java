package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cli.Main;

/**
 * Every file the runner reads back is checked: a byte flipped at any position, or a truncation,
 * of an object, a manifest, a record or an index entry fails the check of that file, and for a
 * sample of them verify reports the file and a run does not trust it (the stage reruns and
 * gives the same artifact).
 */
class CacheIntegrityTest {
  static final String PIPELINE = """
      stages:
        src:
          kind: source
          params: {value: a}
        out:
          kind: concat
          needs: [src]
          params: {suffix: "!"}
          publish: true
      """;
  /** XOR masks: the lowest bit, the bit that turns '0' into ' ', the bit that breaks UTF-8. */
  static final int[] MASKS = {0x01, 0x10, 0x80};
  /** Flipped positions per file that verify and a whole run check (the file check: all). */
  static final int SAMPLES = 12;

  @TempDir Path dir;
  Path file;
  Path pristine;
  String key;
  String digest;
  /** The files of stage out, by class. */
  final Map<String, Path> files = new LinkedHashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    file = dir.resolve("pipeline.yaml");
    Files.writeString(file, PIPELINE);
    pristine = dir.resolve("pristine");
    RunReport r = run(pristine, dir.resolve("results"));
    assertEquals(0, r.exitCode());
    Store store = new Store(pristine);
    key = store.lastKey("out").orElseThrow();
    digest = store.findRecord(key).orElseThrow().artifact();
    files.put("object", Path.of("objects", store.manifestObjects(digest).get("out.txt")));
    files.put("manifest", pristine.relativize(store.manifest(digest)));
    files.put("record", pristine.relativize(store.record(key)));
    files.put("index", pristine.relativize(store.indexFile("out")));
  }

  RunReport run(Path cache, Path results) throws IOException {
    StringWriter sink = new StringWriter();
    return new Runner(new TestKinds().kinds(), new PrintWriter(sink, true),
        new PrintWriter(sink, true)).run(RunOptions.of(file, cache, results).withJobs(1)
            .withProgressSeconds(0));
  }

  static CommandsTest.Result verify(Path cache, String... extra) {
    List<String> a = new ArrayList<>(List.of("verify", "--cache-dir", cache.toString()));
    a.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        a.toArray(String[]::new));
    return new CommandsTest.Result(code, out.toString(), err.toString());
  }

  /** Every single-byte flip (each mask at each position) and some truncations of {@code b}. */
  static Map<String, byte[]> corruptions(byte[] b) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < b.length; i++) {
      for (int m : MASKS) {
        byte[] c = b.clone();
        c[i] ^= (byte) m;
        out.put("byte " + i + " ^ 0x" + Integer.toHexString(m), c);
      }
    }
    for (int n : new int[] {0, 1, b.length / 2, b.length - 1}) {
      out.put("truncated to " + n, java.util.Arrays.copyOf(b, n));
    }
    return out;
  }

  @Test
  void everyFlippedByteAndTruncationFailsItsFilesCheck() throws IOException {
    Store store = new Store(pristine, true);
    for (Map.Entry<String, Path> f : files.entrySet()) {
      Path p = pristine.resolve(f.getValue());
      byte[] orig = Files.readAllBytes(p);
      for (Map.Entry<String, byte[]> c : corruptions(orig).entrySet()) {
        Files.write(p, c.getValue());
        String what = f.getKey() + " " + c.getKey();
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> {
          switch (f.getKey()) {
            case "record" -> store.loadRecord(key);
            case "index" -> store.loadIndex("out");
            default -> store.get(digest);
          }
        }, what);
        assertEquals(p, e.path(), what);
      }
      Files.write(p, orig);
    }
    assertEquals(0, verify(pristine).code());
  }

  @Test
  void aRunNeverTrustsACorruptFileAndGivesTheSameArtifact() throws IOException {
    int n = 0;
    try (Warnings w = Warnings.capture()) {
      for (Map.Entry<String, Path> f : files.entrySet()) {
        byte[] orig = Files.readAllBytes(pristine.resolve(f.getValue()));
        int step = Math.max(1, orig.length / SAMPLES);
        for (Map.Entry<String, byte[]> c : corruptions(orig).entrySet()) {
          if (!c.getKey().startsWith("truncated") && !sampled(c.getKey(), step)) {
            continue; // a run per corruption would be slow; verify sees them all
          }
          String what = f.getKey() + " " + c.getKey();
          Path cache = dir.resolve("run" + n++);
          copy(pristine, cache);
          Path p = cache.resolve(f.getValue());
          Files.write(p, c.getValue());
          CommandsTest.Result bad = verify(cache);
          assertEquals(1, bad.code(), what);
          assertTrue(bad.out().contains(p.toString()), () -> what + ": " + bad.out());
          w.clear();
          Path results = dir.resolve("results-" + n);
          RunReport r = run(cache, results);
          assertEquals(0, r.exitCode(), what);
          Store store = new Store(cache);
          if (f.getKey().equals("index")) {
            // runs never read the index; the next reader rebuilds it from the records
            assertEquals(List.of(), r.ran(), what);
            assertEquals(key, store.lastKey("out").orElseThrow(), what);
          } else {
            assertEquals(List.of("out"), r.ran(), what);
          }
          assertTrue(w.text().contains(p.toString()), what + ": " + w.text());
          assertEquals(digest, store.findRecord(key).orElseThrow().artifact(), what);
          assertEquals("a!", Files.readString(results.resolve("default/out.txt")), what);
          CommandsTest.Result v = verify(cache);
          assertEquals(0, v.code(), () -> what + ": " + v.out());
          delete(cache);
          delete(results);
        }
      }
    }
  }

  @Test
  void legacyFilesWithoutChecksumsAreReadUncheckedAndGetChecksums() throws Exception {
    Path cache = dir.resolve("legacy");
    copy(pristine, cache);
    Store store = new Store(cache);
    // what the runner wrote before checksums: the record's JSON, the index entry's three fields
    for (String k : store.allRecordKeys()) {
      Files.write(store.record(k), Json.bytes(store.findRecord(k).orElseThrow().toJson()));
    }
    for (String stage : store.allIndexStages()) {
      Store.IndexEntry e = store.loadIndex(stage).orElseThrow().value();
      ObjectNode idx = Json.TREES.createObjectNode();
      idx.put("stage", e.stage());
      idx.put("key", e.key());
      idx.put("artifact", e.artifact());
      Files.write(store.indexFile(stage), Json.bytes(idx));
    }
    CommandsTest.Result v = verify(cache);
    assertEquals(0, v.code(), v.out());
    assertTrue(v.out().contains("4 file(s) written before checksums were added"), v.out());
    try (Warnings w = Warnings.capture()) {
      RunReport r = run(cache, dir.resolve("results-legacy"));
      assertEquals(List.of(), r.ran());
      assertEquals(1, w.text().split("without a checksum", -1).length - 1, w.text());
    }
    // the run read every record and index entry (the progress estimate reads the index too)
    assertTrue(Files.readString(store.record(key)).startsWith("{\n  \"checksum\" : \""));
    for (String stage : store.allIndexStages()) {
      assertTrue(Files.readString(store.indexFile(stage)).startsWith("{\n  \"checksum\" : \""));
    }
    CommandsTest.Result repair = verify(cache, "--repair");
    assertTrue(repair.out().contains("0 legacy file(s) given a checksum"), repair.out());
    v = verify(cache);
    assertEquals("verify: ok\n", v.out());
  }

  @Test
  void verifyOfAFileOrOfANonCacheIsAUserErrorAndOfNothingSaysNoCache() throws IOException {
    Path f = Files.writeString(dir.resolve("notes.txt"), "x");
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "x");
    for (Path p : List.of(f, other)) {
      CommandsTest.Result r = verify(p);
      assertEquals(2, r.code(), r.out());
      assertTrue(r.err().startsWith("error: --cache-dir " + p + ": not a cache"), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    Path empty = Files.createDirectories(dir.resolve("empty"));
    for (Path p : List.of(empty, dir.resolve("missing"))) {
      CommandsTest.Result r = verify(p);
      assertEquals(0, r.code(), r.err());
      assertEquals("no cache at " + p + "\n", r.out());
    }
    try (Stream<Path> s = Files.list(empty)) {
      assertEquals(0, s.count());
    }
  }

  /** Whether corruption {@code name} ("byte I ^ 0xM") is one of the sampled ones. */
  static boolean sampled(String name, int step) {
    String[] w = name.split(" ");
    return Integer.parseInt(w[1]) % step == 0 && w[3].equals("0x1");
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  static void delete(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(x);
      }
    }
  }
}
