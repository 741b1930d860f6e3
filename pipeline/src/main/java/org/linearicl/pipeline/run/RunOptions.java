package org.linearicl.pipeline.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.linearicl.pipeline.spec.ParamOverride;
import org.linearicl.pipeline.spec.SlurmSpec;

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
 * @param slurm run each stage as a Slurm job (null: in this process)
 * @param stageJob run only the one target stage, its inputs read from the cache: what a
 *     Slurm job runs (no runner lock, no publishing)
 */
public record RunOptions(Path file, String profile, List<String> targets, Path cacheDir,
    Path resultsDir, int jobs, boolean force, boolean dryRun, boolean noWait,
    double progressSeconds, List<ParamOverride> overrides, Slurm slurm, boolean stageJob) {
  /**
   * How stages run as Slurm jobs: with {@code resources}, each job running {@code command}
   * with the stage's name in place of {@link #STAGE}, the queue polled every
   * {@code pollSeconds}.
   */
  public record Slurm(SlurmSpec resources, List<String> command, double pollSeconds,
      Map<String, String> env) {
    /** The word of {@link #command} that stands for the stage's name. */
    public static final String STAGE = "{stage}";

    public Slurm {
      command = List.copyOf(command);
      env = Map.copyOf(env);
    }

    /** The command line of the job of {@code stage}. */
    public List<String> commandFor(String stage) {
      return command.stream().map(w -> w.equals(STAGE) ? stage : w).toList();
    }
  }

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
        Runtime.getRuntime().availableProcessors(), false, false, false, 5, List.of(), null,
        false);
  }

  public RunOptions withProfile(String p) {
    return new RunOptions(file, p, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withTargets(List<String> t) {
    return new RunOptions(file, profile, t, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withJobs(int j) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, j, force, dryRun,
        noWait, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withForce(boolean f) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, f, dryRun,
        noWait, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withDryRun(boolean d) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, d,
        noWait, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withNoWait(boolean n) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        n, progressSeconds, overrides, slurm, stageJob);
  }

  public RunOptions withSlurm(Slurm x) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides, x, stageJob);
  }

  public RunOptions withStageJob(boolean x) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, progressSeconds, overrides, slurm, x);
  }

  public RunOptions withProgressSeconds(double s) {
    return new RunOptions(file, profile, targets, cacheDir, resultsDir, jobs, force, dryRun,
        noWait, s, overrides, slurm, stageJob);
  }
}
