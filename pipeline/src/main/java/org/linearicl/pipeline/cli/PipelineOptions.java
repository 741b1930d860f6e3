package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.ParamOverride;
import org.linearicl.pipeline.spec.Problem;
import org.linearicl.pipeline.spec.SpecException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

  private List<ParamOverride> overrides = List.of();

  /** The command this is mixed into: {@code --set} means something only where it loads. */
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The commands that expand the pipeline file, where {@code --set} applies. */
  private static final Set<String> LOADING = Set.of("run", "status", "list", "show", "push",
      "pull");

  @Option(names = "--set", paramLabel = "STAGE.PARAM=VALUE",
      converter = OverrideConverter.class,
      description = {"Sets a parameter of every stage the stage name or glob matches, after the"
          + " profile (repeatable; run, status, list, show, push and pull), e.g."
          + " 'train-*.steps=200'.",
          "The value is checked as in the file and changes the stages' cache keys."})
  void overrides(List<ParamOverride> given) {
    if (!LOADING.contains(mixee.name())) {
      throw new ParameterException(mixee.commandLine(), "--set: '" + mixee.name()
          + "' does not expand the pipeline; expected it on run, status, list, show, push or"
          + " pull");
    }
    overrides = List.copyOf(given);
  }

  /** The {@code --set} overrides, in the order given. */
  List<ParamOverride> overrides() {
    return overrides;
  }

  Path cacheDir() {
    return Store.locate(cacheDir, Path.of(""));
  }

  /** A store for commands that only read (status, list, show). */
  Store store() {
    return new Store(cacheDir(), true);
  }

  /**
   * The pipeline file under {@code profile} (null: its default), expanded and validated, after
   * checking the cache directory every loading command reads; an invalid file throws a
   * SpecException, which Main reports problem by problem (exit 2).
   */
  org.linearicl.pipeline.spec.Pipeline load(CommandSpec spec, String profile)
      throws java.io.IOException {
    OutputPaths.readableCache(this);
    return new org.linearicl.pipeline.run.Runner(kinds.get(), spec.commandLine().getOut(),
        spec.commandLine().getErr()).load(file, profile, overrides);
  }

  /** Parses one {@code --set} argument (its IllegalArgumentException is the exit-2 line). */
  static final class OverrideConverter implements ITypeConverter<ParamOverride> {
    @Override
    public ParamOverride convert(String value) {
      return ParamOverride.parse(value);
    }
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
