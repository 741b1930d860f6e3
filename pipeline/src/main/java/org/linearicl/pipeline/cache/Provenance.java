package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.linearicl.experiments.artifacts.Json;

/** The provenance of one stage run, stored in its action record. */
public final class Provenance {
  private static volatile String gitCommit;

  /** The stage's wall time in seconds. */
  public static final String WALL = "wall_seconds";

  /** Seconds per phase of the stage's work, as the stage reported them (may be absent). */
  public static final String PHASES = "phase_seconds";

  private Provenance() {}

  /** Seconds to the millisecond, as a JSON number. */
  public static BigDecimal seconds(double s) {
    return new BigDecimal(String.format(Locale.ROOT, "%.3f", s));
  }

  /**
   * The record's provenance object. {@code seed} is the value of the parameter the stage's kind
   * draws its random numbers from (null: it draws none), which the record names as the run's
   * seed; {@code phases} (seconds per phase the stage reported, in name order) go in
   * {@value #PHASES} beside {@code wall_seconds} when there are any.
   */
  public static ObjectNode of(String stage, CacheKey key, JsonNode seed, int threads,
      double wallSeconds, Map<String, Double> phases, Instant finished) {
    ObjectNode o = Json.TREES.createObjectNode();
    o.put("stage", stage);
    o.put("kind", key.kindAtVersion());
    o.set("params", key.params());
    o.set("input_digests", key.inputsJson());
    if (seed != null) {
      o.set("seed", seed);
    } else {
      o.putNull("seed");
    }
    o.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    o.put("threads", threads);
    o.put("git_commit", gitCommit());
    o.put(WALL, seconds(wallSeconds));
    if (!phases.isEmpty()) {
      ObjectNode ph = o.putObject(PHASES);
      new TreeMap<>(phases).forEach((k, v) -> ph.put(k, seconds(v)));
    }
    o.put("finished_at", finished.truncatedTo(ChronoUnit.MILLIS).toString());
    return o;
  }

  /** {@code git rev-parse HEAD} in the working directory, read once; "unknown" if no git. */
  public static String gitCommit() {
    String g = gitCommit;
    if (g == null) {
      g = "unknown";
      try {
        Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true)
            .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          String s = new String(out, StandardCharsets.UTF_8).trim();
          if (s.matches("[0-9a-f]{40,64}")) {
            g = s;
          }
        }
      } catch (IOException e) {
        // no git
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gitCommit = g;
    }
    return g;
  }
}
