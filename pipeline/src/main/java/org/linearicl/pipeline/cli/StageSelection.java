package org.linearicl.pipeline.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The STAGE parameters and {@code --profile} of the commands that act on chosen stages. */
public final class StageSelection {
  @Parameters(paramLabel = "STAGE", arity = "0..*",
      description = "Stages (names or globs), with everything they need (default: all).")
  List<String> targets = new ArrayList<>();

  @Mixin ProfileOption profile;
}
