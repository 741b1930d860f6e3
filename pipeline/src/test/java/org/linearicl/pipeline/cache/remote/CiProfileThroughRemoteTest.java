package org.linearicl.pipeline.cache.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.run.RunOptions;
import org.linearicl.pipeline.run.RunReport;
import org.linearicl.pipeline.run.Runner;

/**
 * The remote cache end to end on the real pipeline: the {@code ci} profile run into cache A
 * with the remote, then into an empty cache B from the same remote, recomputes no stage and
 * publishes the committed results/ci byte for byte (tables and REPORT.md; figures and the
 * published list as run A wrote them). The profile runs once here (about a minute on 2 cores).
 */
class CiProfileThroughRemoteTest {
  /** surefire runs in the module directory; the repository's files are one level up. */
  static final Path REPO = Path.of("..");

  @TempDir Path dir;

  RunReport run(RemoteCache remote, String cache) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    RunOptions o = RunOptions.of(REPO.resolve("pipeline.yaml"), dir.resolve(cache),
        dir.resolve("results-" + cache)).withProfile("ci").withProgressSeconds(0);
    RunReport r = new Runner(StageKinds.installed(), new PrintWriter(out, true),
        new PrintWriter(err, true)).tier(remote).run(o);
    assertEquals(0, r.exitCode(), out + "\n" + err);
    return r;
  }

  @Test
  void ciProfileFromAnEmptyCacheRecomputesNothingAndGivesTheSameTables() throws Exception {
    try (S3TestStore server = new S3TestStore(dir.resolve("s3"), "ci-remote")) {
      int stages;
      try (RemoteCache a = RemoteCache.open("s3://ci-remote/linear-icl")) {
        RunReport ra = run(a, "a");
        stages = ra.ran().size() + ra.cached().size();
        assertEquals(stages, ra.ran().size(), "cache A starts empty");
        // every record of cache A is on the remote (stages of equal key share one), whichever
        // of two concurrent writers of a key wrote it
        assertEquals(0, a.failures());
        for (String key : new Store(dir.resolve("a")).allRecordKeys()) {
          assertTrue(a.readRecord(key).isPresent(), "record " + key + " not on the remote");
        }
        assertTrue(a.uploaded() > 0 && a.uploaded() <= stages, a.uploaded() + " uploaded");
      }
      try (RemoteCache b = RemoteCache.open("s3://ci-remote/linear-icl")) {
        RunReport rb = run(b, "b");
        assertEquals(List.of(), rb.ran(), "no stage recomputed");
        assertEquals(stages, rb.cached().size());
        // a key shared by two stages is fetched once, or twice when both ask at once
        int records = new Store(dir.resolve("b")).allRecordKeys().size();
        assertTrue(b.fetched() >= records && b.fetched() <= stages, b.fetched() + " fetched");
        assertEquals(0, b.uploaded());
        assertEquals(0, b.failures());
      }
    }
    Path a = dir.resolve("results-a/ci");
    Path b = dir.resolve("results-b/ci");
    List<Path> published = files(b);
    assertEquals(files(a), published);
    for (Path f : published) {
      // everything as run A published it, figures and published.json included
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)),
          f.toString());
    }
    // the tables and REPORT.md as committed (figures depend on the installed fonts)
    Path committed = REPO.resolve("results/ci");
    // (nor index.html, which inlines them and carries wall times, nor timings.json)
    List<Path> compared = published.stream().filter(f -> !f.startsWith("figures")
        && !Set.of("published.json", "index.html", "timings.json").contains(f.toString()))
        .toList();
    assertTrue(compared.contains(Path.of("REPORT.md")), compared.toString());
    assertTrue(compared.stream().filter(f -> f.startsWith("tables")).count() > 3,
        compared.toString());
    for (Path f : compared) {
      assertArrayEquals(Files.readAllBytes(committed.resolve(f)), Files.readAllBytes(
          b.resolve(f)), "results/ci/" + f + " differs from the committed file");
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
