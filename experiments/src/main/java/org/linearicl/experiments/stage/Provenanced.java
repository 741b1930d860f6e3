package org.linearicl.experiments.stage;

import java.util.List;

/**
 * A kind whose published files carry the provenance of the run behind them (the commit, the JDK,
 * each stage's parameters, cache key and wall time), which its cached artifact cannot: wall times
 * and the commit are not a function of its parameters and inputs. When the runner publishes such
 * a stage, it passes each file's artifact bytes through {@link #stamp} with the provenance of the
 * stage and of every stage upstream of it, read from their cache records; the result is what
 * results/ shows. The stamp must be a pure function of its arguments, so that {@code status} can
 * recompute the published bytes and compare.
 */
public interface Provenanced {
  /** The provenance of one stage, as its cache record holds it. */
  record StageRun(String stage, String kind, String key, String artifact, String paramsJson,
      String jdk, String os, String commit, int threads, double wallSeconds,
      String finishedAt) {}

  /**
   * The bytes to publish for file {@code name} of the artifact, whose bytes are {@code content},
   * given the profile and the runs of this stage and every stage upstream of it in topological
   * order.
   */
  byte[] stamp(String name, byte[] content, String profile, List<StageRun> runs);
}
