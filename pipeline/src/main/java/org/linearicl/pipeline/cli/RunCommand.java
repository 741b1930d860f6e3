package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.run.RunOptions;
import org.linearicl.pipeline.run.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run}: runs the pipeline (or the named stages and what they need), reusing the cache. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the stages of the pipeline file that are not cached, in parallel,",
        "and publishes the 'publish: true' artifacts under RESULTS/<profile>/."})
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Parameters(paramLabel = "STAGE|GLOB", arity = "0..*",
      description = "Stages to run with everything they need (default: all).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--profile", paramLabel = "P",
      description = "The profile (default: the file's default_profile).")
  String profile;

  @Option(names = "--force", description = "Rerun the named stages (not their upstream) even if"
      + " cached.")
  boolean force;

  @Option(names = "--jobs", paramLabel = "N", description = "Stages at once (default: cores).")
  Integer jobs;

  @Option(names = {"--dry-run", "-n"}, description = "Print what would run and why; change"
      + " nothing.")
  boolean dryRun;

  @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
      description = "Where published files go (default: ${DEFAULT-VALUE}).")
  Path resultsDir;

  @Option(names = "--no-wait", description = "Fail (exit 1) if another runner holds the cache"
      + " lock instead of waiting.")
  boolean noWait;

  @Option(names = "--keep-going", description = "Finish independent stages after a failure"
      + " (always on).")
  boolean keepGoing;

  @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "5",
      description = "Seconds between progress lines on stderr; 0 for none (default:"
          + " ${DEFAULT-VALUE}).")
  double progressSeconds;

  @Override
  public Integer call() throws IOException {
    int j = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    Converters.atLeast("--jobs", j, 1);
    RunOptions o = new RunOptions(common.file, profile, targets, common.cacheDir(), resultsDir,
        j, force, dryRun, noWait, progressSeconds, common.overrides());
    Main.logArithmetic();
    Runner runner = new Runner(PipelineOptions.kinds.get(), spec.commandLine().getOut(),
        spec.commandLine().getErr());
    try {
      return runner.run(o).exitCode();
    } catch (StoreLock.BusyException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
