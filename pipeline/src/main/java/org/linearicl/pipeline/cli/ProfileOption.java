package org.linearicl.pipeline.cli;

import picocli.CommandLine.Option;

/** The {@code --profile} option of the commands that expand the pipeline file. */
public final class ProfileOption {
  @Option(names = "--profile", paramLabel = "PROFILE",
      description = "The profile (default: the file's default_profile).")
  String name;
}
