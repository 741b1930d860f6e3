package org.linearicl.pipeline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.ParamOverride;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
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

  private List<ParamOverride> overrides = List.of();

  @Option(names = "--set", paramLabel = "STAGE.PARAM=VALUE",
      converter = OverrideConverter.class,
      description = {"Sets a parameter of every stage the stage name or glob matches, after the"
          + " profile (repeatable), e.g. 'train-*.steps=200'.",
          "The value is checked as in the file and changes the stages' cache keys."})
  void overrides(List<ParamOverride> given) {
    overrides = List.copyOf(given);
  }

  /**
   * Removes the options of this mixin that {@code command} does not use, so that its help does
   * not list them and giving one is an unknown option (exit 2): {@code --set} means something
   * only where the pipeline is expanded (not in clean, which keeps every profile's stages, nor
   * in verify, which reads no pipeline file, hence no --file either).
   */
  static void without(CommandLine command, String... options) {
    CommandSpec spec = command.getCommandSpec();
    for (String o : options) {
      spec.remove(spec.findOption(o));
    }
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
}
