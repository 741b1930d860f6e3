package org.linearicl.pipeline.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.linearicl.pipeline.spec.ParamOverride;

/**
 * What {@link Runner#run} is asked to do.
 *
 * @param file the pipeline file
 * @param profile the profile, or null for the file's default_profile
 * @param targets stage names or globs (empty: every stage)
 * @param cacheDir the cache directory (see {@link org.linearicl.pipeline.cache.Store#locate})
 * @param resultsDir where published files go ({@code <resultsDir>/<profile>/<file>})
 * @param jobs stages run at once (at least 1)
 * @param force rerun the targets (not their upstream) even when cached
 * @param dryRun only print what would run and why
 * @param noWait fail instead of waiting when another runner holds the cache lock
 * @param progressSeconds period of the progress line on stderr (0: none)
 * @param overrides parameters set on the command line, applied after the profile
 */
public record RunOptions(Path file, String profile, List<String> targets, Path cacheDir,
    Path resultsDir, int jobs, boolean force, boolean dryRun, boolean noWait,
    double progressSeconds, List<ParamOverride> overrides) {
  public RunOptions {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(resultsDir, "resultsDir");
    targets = List.copyOf(targets);
    overrides = List.copyOf(overrides);
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs " + jobs + ": expected at least 1");
    }
  }

  /** Defaults for {@code file}: every stage, default profile, cores jobs, progress every 5 s. */
  public static RunOptions of(Path file, Path cacheDir, Path resultsDir) {
    return new RunOptions(file, null, List.of(), cacheDir, resultsDir,
        Runtime.getRuntime().availableProcessors(), false, false, false, 5, List.of());
  }

  public RunOptions withProfile(String p) {
    return new RunOptions(file, p, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides);
  }

  public RunOptions withTargets(List<String> t) {
    return new RunOptions(file, profile, t, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides);
  }

  public RunOptions withJobs(int j) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, j, force, dryRun,
        noWait, progressSeconds, overrides);
  }

  public RunOptions withForce(boolean f) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, f, dryRun,
        noWait, progressSeconds, overrides);
  }

  public RunOptions withDryRun(boolean d) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, d,
        noWait, progressSeconds, overrides);
  }

  public RunOptions withNoWait(boolean n) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        n, progressSeconds, overrides);
  }

  public RunOptions withProgressSeconds(double s) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, s, overrides);
  }
}
