package org.linearicl.experiments.kinds;

import java.util.ArrayList;
import java.util.List;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageParams;

/** Parameters and parsing shared by the experiment kinds. */
final class Kinds {
  private Kinds() {}

  static final ParamSpec NOISE = ParamSpec.required("noise", ParamType.STRING,
      "noise distribution: uniform:S | categorical:A,B,.. | fixed:S");
  static final ParamSpec D = ParamSpec.optional("d", ParamType.INTEGER, "10", "features per example");
  static final ParamSpec N = ParamSpec.optional("n", ParamType.INTEGER, "20",
      "context examples per sequence");

  static List<ParamSpec> with(List<ParamSpec> specific) {
    List<ParamSpec> all = new ArrayList<>(List.of(NOISE, D, N));
    all.addAll(specific);
    return all;
  }

  static NoiseDistribution noise(StageParams p) {
    try {
      return NoiseDistribution.parse(p.string("noise"));
    } catch (IllegalArgumentException e) {
      throw p.invalid("noise", e);
    }
  }

  static TaskSpec task(StageParams p) {
    int d = p.atLeast("d", 1);
    int n = p.atLeast("n", 1);
    NoiseDistribution noise = noise(p);
    try {
      return new TaskSpec(d, n, noise);
    } catch (IllegalArgumentException e) {
      throw new StageException("stage '" + p.stage() + "': " + e.getMessage(), e);
    }
  }
}
