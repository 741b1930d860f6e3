package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CacheKey;
import org.linearicl.pipeline.cache.Provenance;
import org.linearicl.pipeline.cache.Store;

class ProgressTest {
  @TempDir Path dir;

  final AtomicLong now = new AtomicLong();
  final StringWriter err = new StringWriter();
  final List<String> plain = new ArrayList<>();

  Progress progress(int total, boolean terminal) {
    return new Progress(new PrintWriter(err), plain::add, total, 0, terminal, 60, now::get);
  }

  void at(double seconds) {
    now.set(Math.round(seconds * 1e9));
  }

  static double seconds(OptionalDouble d) {
    assertTrue(d.isPresent());
    return d.getAsDouble();
  }

  @Test
  void theTimeLeftAddsTheMeasuredCostsAndCountsAStageNeverMeasuredAsTheirMedian() {
    Progress p = progress(4, false);
    // d never ran: it counts as the median of 10, 20 and 60, 20
    p.expect(List.of("a", "b", "c", "d"), Map.of("a", 10.0, "b", 20.0, "c", 60.0), 1);
    assertEquals(110, seconds(p.secondsLeft()), 1e-9);
    assertTrue(p.line().endsWith("] 0.0s elapsed, about 1m50s left"), p.line());
    // a runs: its cost minus the time it has run
    p.started("a");
    at(4);
    assertEquals(106, seconds(p.secondsLeft()), 1e-9);
    // overrunning its cost leaves 0 for it, not a negative time
    at(15);
    assertEquals(100, seconds(p.secondsLeft()), 1e-9);
    // from a tenth done on, its own rate: 15 s for 25% leaves 45 s
    p.update("a", 0.25, "step 25/100");
    assertEquals(145, seconds(p.secondsLeft()), 1e-9);
    p.finished("a");
    assertEquals(100, seconds(p.secondsLeft()), 1e-9);
  }

  @Test
  void parallelStagesShareTheWorkButNoStageIsSplit() {
    Progress p = progress(3, false);
    p.expect(List.of("a", "b", "c"), Map.of("a", 10.0, "b", 20.0, "c", 90.0), 2);
    assertEquals(90, seconds(p.secondsLeft()), 1e-9); // c alone, not 120 / 2
    p.finished("c");
    assertEquals(20, seconds(p.secondsLeft()), 1e-9); // b alone, not 30 / 2
    Progress q = progress(4, false);
    q.expect(List.of("a", "b", "c", "d"), Map.of("a", 30.0, "b", 30.0, "c", 30.0, "d", 30.0), 2);
    assertEquals(60, seconds(q.secondsLeft()), 1e-9);
  }

  @Test
  void withoutAnyMeasuredStageThereIsNoEstimate() {
    Progress p = progress(2, false);
    p.expect(List.of("a", "b"), Map.of(), 2);
    assertFalse(p.secondsLeft().isPresent());
    assertTrue(p.line().endsWith("] 0.0s elapsed"), p.line());
    // a measured stage that is not in the run does not count
    p.expect(List.of("a", "b"), Map.of("z", 5.0), 2);
    assertFalse(p.secondsLeft().isPresent());
  }

  @Test
  void notOnATerminalEveryTickIsAPlainLineWithNoControlCharacters() {
    Progress p = progress(2, false);
    p.expect(List.of("s1", "s2"), Map.of("s1", 30.0, "s2", 30.0), 1);
    p.started("s1");
    at(10);
    p.update("s1", 0.5, "sleeping");
    p.tick();
    p.finished("s1");
    at(75);
    p.tick();
    p.close();
    assertEquals(List.of("[0/2 done, 1 running: s1 50% sleeping] 10.0s elapsed, about 40.0s left",
        "[1/2 done] 1m15s elapsed, about 30.0s left"), plain);
    assertEquals("", err.toString());
  }

  @Test
  void onATerminalTheLineUpdatesInPlaceAndNeverWraps() {
    Progress p = progress(2, true);
    p.started("train-diag-3-u5-s0");
    p.update("train-diag-3-u5-s0", 0.45, "step 1350/3000 loss 0.41");
    p.tick();
    at(1);
    p.tick();
    String s = err.toString();
    assertFalse(s.contains("\n"), s);
    String[] draws = s.split("\r", -1);
    assertEquals(3, draws.length, s); // "", then one redraw per tick
    for (int i = 1; i < draws.length; i++) {
      assertTrue(draws[i].endsWith("\u001b[K"), draws[i]);
      assertEquals(59, draws[i].length() - 3, draws[i]); // cut to the 60 columns less one
      assertTrue(draws[i].startsWith("[0/2 done, 1 running: train-diag-3-u5-s0 45% step"),
          draws[i]);
    }
    assertTrue(draws[2].endsWith("...\u001b[K"), draws[2]);
    assertEquals(List.of(), plain); // the log gets them at debug level instead
    p.close();
    assertTrue(err.toString().endsWith("\r\u001b[K"), "the summary starts on a clean line");
  }

  @Test
  void theTerminalWidthComesFromColumns() {
    assertEquals(132, Progress.columns("132"));
    assertEquals(Progress.DEFAULT_COLUMNS, Progress.columns(null));
    assertEquals(Progress.DEFAULT_COLUMNS, Progress.columns("wide"));
    assertEquals(Progress.DEFAULT_COLUMNS, Progress.columns("3"));
  }

  @Test
  void theMeasuredCostsAreTheCachesLastWallSecondsPerStage() throws IOException {
    Store store = new Store(dir.resolve("cache"));
    store.init();
    commit(store, "train-a", 1, 12.5);
    commit(store, "train-a", 2, 40.25); // the last run counts
    commit(store, "evaluate", 1, 3);
    Map<String, Double> m = Progress.measured(store, List.of("train-a", "evaluate", "never"));
    assertEquals(Map.of("train-a", 40.25, "evaluate", 3.0), m);
  }

  private static void commit(Store store, String stage, int value, double seconds)
      throws IOException {
    CacheKey key = new CacheKey("source", 1, Json.TREES.createObjectNode().put("value", value),
        new TreeMap<>());
    ActionRecord r = new ActionRecord(key.hash(), stage, key, "0".repeat(64),
        Provenance.of(stage, key, null, 1, seconds, Map.of(), Instant.EPOCH));
    store.commit(r);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(15, Progress.median(List.of(20.0, 10.0)), 1e-12);
    assertEquals(20, Progress.median(List.of(60.0, 10.0, 20.0)), 1e-12);
  }
}
