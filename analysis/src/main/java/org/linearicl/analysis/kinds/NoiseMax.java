package org.linearicl.analysis.kinds;

import org.linearicl.core.task.NoiseDistribution;

/** The in-distribution range [0, max] of a noise spec such as {@code uniform:5}. */
final class NoiseMax {
  private NoiseMax() {}

  static double of(String spec) {
    return NoiseDistribution.parse(spec).max();
  }

  static double min(String spec) {
    NoiseDistribution d = NoiseDistribution.parse(spec);
    if (d instanceof NoiseDistribution.Categorical c) {
      return c.sigmas()[0];
    }
    return d instanceof NoiseDistribution.Fixed f ? f.sigma() : 0;
  }
}
