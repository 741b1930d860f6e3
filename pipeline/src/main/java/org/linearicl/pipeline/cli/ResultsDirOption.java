package org.linearicl.pipeline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --results-dir} option: where run publishes, and where status compares. */
public final class ResultsDirOption {
  @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
      description = "Where run publishes (default: ${DEFAULT-VALUE}).")
  Path dir;
}
