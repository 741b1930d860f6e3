package org.linearicl.analysis.kinds;

import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;

/** Parameter specs that several analysis kinds declare alike. */
final class AnalysisParams {
  private AnalysisParams() {}

  /** The {@code seed} parameter of the kinds that draw fresh sequences from stream PROFILE. */
  static ParamSpec freshSeed(String value) {
    return ParamSpec.optional("seed", ParamType.INTEGER, value,
        "seed of the fresh sequences (stream PROFILE)");
  }
}
