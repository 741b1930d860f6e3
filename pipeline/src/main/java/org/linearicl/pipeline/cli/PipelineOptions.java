package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.Problem;
import org.linearicl.pipeline.spec.SpecException;
import picocli.CommandLine.Option;

/** Options shared by the pipeline commands (run, status, verify, list, show, clean). */
public final class PipelineOptions {
  /** The stage kinds the commands use; tests may replace it. */
  public static volatile Supplier<StageKinds> kinds = StageKinds::installed;

  @Option(names = "--file", paramLabel = "FILE", defaultValue = "pipeline.yaml",
      description = "The pipeline file (default: ${DEFAULT-VALUE} in the working directory).")
  Path file;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "The cache (default: $LINEAR_ICL_CACHE, else .cache in the working"
          + " directory).")
  Path cacheDir;

  Path cacheDir() {
    return Store.locate(cacheDir, Path.of(""));
  }

  /** A store for commands that only read (status, list, show). */
  Store store() {
    return new Store(cacheDir(), true);
  }

  /**
   * The pipeline file under {@code profile} (null: its default), expanded and validated; an
   * invalid file throws a SpecException, which Main reports problem by problem (exit 2).
   */
  org.linearicl.pipeline.spec.Pipeline load(picocli.CommandLine.Model.CommandSpec spec,
      String profile) throws java.io.IOException {
    return new org.linearicl.pipeline.run.Runner(kinds.get(), spec.commandLine().getOut(),
        spec.commandLine().getErr()).load(file, profile);
  }

  /** Prints every problem of an invalid file, one per line; returns exit code 2. */
  static int report(SpecException e, PrintWriter err) {
    for (Problem p : e.problems()) {
      err.println("error: " + p);
    }
    err.flush();
    return 2;
  }
}
