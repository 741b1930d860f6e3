package org.linearicl.pipeline.cli;

import picocli.CommandLine.Option;

/** The {@code --threads} option of train, baselines and evaluate. */
public final class ThreadsOption {
  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: all cores); results do not depend on it.")
  Integer requested;

  /** The given count (>= 1), or every core when it was not set. */
  int count() {
    return Converters.threads(requested);
  }
}
