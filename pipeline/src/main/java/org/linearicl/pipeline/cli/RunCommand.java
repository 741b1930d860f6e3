package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.cache.remote.RemoteCache;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.run.RunOptions;
import org.linearicl.pipeline.run.Runner;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: runs the pipeline (or the named stages and what they need), reusing the cache. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the pipeline's stages that are not cached.",
        "Runs the selected stages (all by default) and everything they need, independent ones in"
            + " parallel, reusing every cached artifact, and publishes the artifacts of the"
            + " 'publish: true' stages under RESULTS/<profile>/. A failing stage stops only the"
            + " stages that need it; the others finish. An interrupted run loses only the stages"
            + " in progress: the same command resumes from the cache."})
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(RunCommand.class);

  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Mixin StageSelection stages;

  @Option(names = "--force", description = "Rerun the named stages (not their upstream) even if"
      + " cached.")
  boolean force;

  @Option(names = "--jobs", paramLabel = "N", description = "Stages at once (default: cores).")
  Integer jobs;

  @Option(names = {"--dry-run", "-n"}, description = "Print what would run and why; change"
      + " nothing.")
  boolean dryRun;

  @Mixin ResultsDirOption results;

  @Mixin RemoteOption remote;

  @Option(names = "--no-wait", description = "Exit 1 at once if another runner holds the cache"
      + " lock (default: wait for it).")
  boolean noWait;

  @Option(names = "--progress-seconds", paramLabel = "X", defaultValue = "5",
      description = "Seconds between progress lines on stderr; 0 for none (default:"
          + " ${DEFAULT-VALUE}).")
  double progressSeconds;

  @Option(names = "--executor", paramLabel = "EXECUTOR", defaultValue = "local",
      description = {"Where stages run: local (the default) in this process, or slurm: each as"
          + " a Slurm job submitted from here (docs/cluster.md), the cache directory shared"
          + " with the nodes.",
          "With slurm, cached stages are resolved here and every stage to run is one job;"
              + " --jobs caps the jobs queued at once (default: no cap)."})
  String executor;

  @Option(names = "--slurm-partition", paramLabel = "NAME",
      description = "The partition of the jobs (default: the pipeline file's slurm.partition,"
          + " else the cluster's default).")
  String slurmPartition;

  @Option(names = "--slurm-account", paramLabel = "NAME",
      description = "The account the jobs are charged to (default: slurm.account, else the"
          + " cluster's default).")
  String slurmAccount;

  @Option(names = "--slurm-time", paramLabel = "LIMIT",
      description = "Time limit of the jobs, or with KIND=LIMIT of those of one stage kind"
          + " (repeatable), e.g. 2:00:00 or train=12:00:00 (default: the slurm: block of the"
          + " pipeline file).")
  List<String> slurmTime = new ArrayList<>();

  @Option(names = "--slurm-mem", paramLabel = "SIZE",
      description = "Memory of the jobs, or with KIND=SIZE of one kind's (repeatable), e.g. 4G.")
  List<String> slurmMem = new ArrayList<>();

  @Option(names = "--slurm-cpus", paramLabel = "N",
      description = "CPUs of the jobs, or with KIND=N of one kind's (repeatable); a job's stage"
          + " runs that many threads.")
  List<String> slurmCpus = new ArrayList<>();

  @Option(names = "--slurm-poll-seconds", paramLabel = "X", defaultValue = "2",
      description = "Seconds between looks at the queue (squeue) (default: ${DEFAULT-VALUE}).")
  double slurmPollSeconds;

  /** What a Slurm job runs: the one named stage, inputs from the cache, no lock, no publish. */
  @Option(names = "--stage-job", hidden = true)
  boolean stageJob;

  @Override
  public Integer call() throws IOException {
    if (!(progressSeconds >= 0) || Double.isInfinite(progressSeconds)) {
      throw new UserError("--progress-seconds must be a finite number >= 0 (0: no progress"
          + " lines), got " + progressSeconds);
    }
    if (!executor.equals("local") && !executor.equals("slurm")) {
      throw new UserError("--executor '" + executor + "': expected local or slurm");
    }
    boolean onSlurm = executor.equals("slurm");
    if (!onSlurm && (slurmPartition != null || slurmAccount != null || !slurmTime.isEmpty()
        || !slurmMem.isEmpty() || !slurmCpus.isEmpty())) {
      throw new UserError("the --slurm-* options set what Slurm jobs ask for; expected them"
          + " with --executor slurm");
    }
    if (!(slurmPollSeconds > 0 && slurmPollSeconds <= 600)) {
      throw new UserError("--slurm-poll-seconds " + slurmPollSeconds + ": expected more than 0"
          + " and at most 600");
    }
    Path cacheDir = common.cacheDir();
    Pipeline p = common.load(spec, stages.profile.name);
    List<Stage> selected = p.select(stages.targets);
    if (stageJob) {
      OutputPaths.writableCache(common);
      RunOptions o = new RunOptions(common.file, p.profile(), stages.targets, cacheDir,
          results.dir, 1, force, false, true, 0, common.overrides(), null, true);
      return new Runner(PipelineOptions.kinds.get(), spec.commandLine().getOut(),
          spec.commandLine().getErr()).run(p, o).exitCode();
    }
    int j = jobs != null ? jobs
        : onSlurm ? Math.max(1, selected.size()) : Runtime.getRuntime().availableProcessors();
    Converters.atLeast("--jobs", j, 1);
    RunOptions.Slurm slurm = onSlurm ? new RunOptions.Slurm(SlurmOptions.resources(p.slurm(),
        slurmPartition, slurmAccount, slurmTime, slurmMem, slurmCpus,
        PipelineOptions.kinds.get().names()), SlurmOptions.jobCommand(p.profile(), common.file,
        cacheDir, common.overrides()), slurmPollSeconds, System.getenv()) : null;
    if (!dryRun) {
      OutputPaths.writableCache(common);
    }
    if (!dryRun && selected.stream().anyMatch(Stage::publish) && !common.overrides().isEmpty()
        && !spec.commandLine().getParseResult().hasMatchedOption("--results-dir")) {
      // results/<profile>/ holds the profile's own tables: an override publishes elsewhere
      throw new UserError("--set changes the parameters of profile " + p.profile() + ": give"
          + " --results-dir DIR for its published files, so that " + results.dir.resolve(
          p.profile()) + " keeps the profile's own");
    }
    if (selected.stream().anyMatch(Stage::publish)) {
      Path published = results.dir.resolve(p.profile());
      String what = "the published files of profile " + p.profile();
      if (dryRun) {
        OutputPaths.directory("--results-dir", results.dir, published, what);
      } else {
        OutputPaths.created("--results-dir", results.dir, published, what);
      }
    }
    RunOptions o = new RunOptions(common.file, p.profile(), stages.targets, cacheDir, results.dir,
        j, force, dryRun, noWait, progressSeconds, common.overrides(), slurm, false);
    if (remote.given() && dryRun) {
      remote.address(); // a dry run reads the local cache only, but the address must be valid
    }
    // a bad address, wrong credentials or an endpoint that does not answer: before any work
    try (RemoteCache r = remote.given() && !dryRun ? remote.open() : null) {
      return run(p, selected, o, r);
    }
  }

  private int run(Pipeline p, List<Stage> selected, RunOptions o, RemoteCache r)
      throws IOException {
    Path cacheDir = o.cacheDir();
    int j = o.jobs();
    Main.logArithmetic();
    if (!dryRun) {
      LOG.info(RunPlan.line(p.profile(), p.file(), Inspector.inspect(selected,
          new Store(cacheDir, true), Runner.forced(p, selected, o)),
          selected.size() == p.stages().size(), j, cacheDir));
    }
    Runner runner = new Runner(PipelineOptions.kinds.get(), spec.commandLine().getOut(),
        spec.commandLine().getErr());
    int code;
    try {
      code = runner.tier(r).run(p, o).exitCode();
    } catch (StoreLock.BusyException e) {
      return busy(spec, new Store(cacheDir).lockFile());
    }
    if (r != null) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(RemoteOption.summary(r));
      if (r.uploadFailures() > 0) {
        // the remote was asked to hold every stage run here and does not: `push` completes it
        out.println(r.uploadFailures() + " stage(s) not uploaded; `push` with the same"
            + " options uploads them");
        code = Math.max(code, 1);
      }
      out.flush();
    }
    return code;
  }

  /**
   * Reports that {@code --no-wait} found the cache locked by another runner: exit 1, as for a
   * failed run (nothing is wrong with the command; it may simply be run again later).
   */
  static int busy(CommandSpec spec, Path lockFile) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: another runner holds the lock on " + lockFile + "; --no-wait: exiting"
        + " instead of waiting (run again when it has finished, or without --no-wait to wait)");
    err.flush();
    return 1;
  }
}
