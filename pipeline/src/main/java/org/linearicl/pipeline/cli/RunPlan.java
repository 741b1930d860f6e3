package org.linearicl.pipeline.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.linearicl.pipeline.run.Inspector;

/**
 * The line {@code run} logs before it starts: what is about to run, how long it is expected to
 * take, and that an interruption loses nothing. With no arguments the jar runs the whole default
 * profile (the promise of {@code mvn -pl pipeline exec:java}), so a user who did not know that
 * learns it before the first hour has passed.
 */
final class RunPlan {
  /**
   * The wall time of each profile of pipeline.yaml, run whole from an empty cache with the
   * default options on 2 cores; the README's table of profiles quotes these numbers
   * (CommandLineTest keeps the two equal). Remeasure after a change that moves them.
   */
  static final Map<String, Duration> MEASURED = Map.of(
      "ci", Duration.ofMinutes(1),
      "quick", Duration.ofSeconds(7 * 60 + 40),
      "full", Duration.ofSeconds(93 * 60 + 13));

  private RunPlan() {}

  /**
   * The line for running {@code states} (the selected stages, upstream first; the stale ones
   * run) of {@code profile} from {@code file} with {@code jobs} stages at once and the cache in
   * {@code cache}; {@code whole} says whether every stage of the profile is selected.
   */
  static String line(String profile, String file, Map<String, Inspector.State> states,
      boolean whole, int jobs, Path cache) {
    List<Inspector.State> toRun = states.values().stream().filter(s -> !s.fresh()).toList();
    String head = "run: profile " + profile + " of " + file + ", " + states.size() + " stage(s): "
        + toRun.size() + " to run, " + (states.size() - toRun.size()) + " cached";
    if (toRun.isEmpty()) {
      return head + "; nothing to run";
    }
    return head + "; expected wall time " + expected(profile, states, toRun, whole, jobs)
        + "; an interruption (Ctrl-C) is safe: every finished stage is in the cache " + cache
        + " and the same command resumes from there";
  }

  /**
   * From the previous run of every stage to run when the cache has one (the longer of the
   * critical path and the total divided by {@code jobs}), else the measured time of the profile.
   */
  private static String expected(String profile, Map<String, Inspector.State> states,
      List<Inspector.State> toRun, boolean whole, int jobs) {
    boolean allKnown = toRun.stream().allMatch(s -> s.last() != null
        && s.last().provenance().path("wall_seconds").isNumber());
    if (allKnown) {
      Map<String, Double> finish = new HashMap<>();
      double total = 0;
      double path = 0;
      for (Inspector.State s : toRun) { // upstream first, so finish[] of the needs is known
        double own = s.last().provenance().path("wall_seconds").asDouble();
        double start = s.stage().needs().stream().mapToDouble(u -> finish.getOrDefault(u, 0.0))
            .max().orElse(0);
        finish.put(s.stage().name(), start + own);
        total += own;
        path = Math.max(path, start + own);
      }
      return estimate(Duration.ofMillis(Math.round(1000 * Math.max(path, total / jobs))))
          + " (from the stages' previous runs in the cache)";
    }
    Duration measured = MEASURED.get(profile);
    if (measured == null) {
      return "unknown (some stages have never run and the profile has no measured time)";
    }
    boolean allToRun = whole && toRun.size() == states.size();
    return (allToRun ? "about " : "at most ") + minutes(measured) + " (the whole profile,"
        + " measured on 2 cores)";
  }

  /**
   * An estimate of {@code d}, rounded as honestly as a short phrase allows: "under a second",
   * "about 12 s" below a minute, else "about N min".
   */
  static String estimate(Duration d) {
    if (d.toMillis() < 500) {
      return "under a second";
    }
    if (d.toMillis() < 59_500) {
      return "about " + Math.round(d.toMillis() / 1000.0) + " s";
    }
    return "about " + minutes(d);
  }

  /** A duration as the README writes it: whole minutes (at least 1). */
  static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%d min", Math.max(1, Math.round(d.toSeconds() / 60.0)));
  }
}
