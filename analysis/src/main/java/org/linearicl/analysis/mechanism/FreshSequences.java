package org.linearicl.analysis.mechanism;

import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.train.Checkpoint;

/**
 * The fresh sequences of the mechanism analyses: stream {@code (seed, PROFILE, index)}, one index
 * per use, all listed here so that no two analyses share sequences by accident.
 */
final class FreshSequences {
  static final long ABLATION = 111;
  static final long PROJECTION = 112;
  static final long ADAPTATION = 113;
  /** Tuning and measuring sequences of the alignment. */
  static final long ALIGNMENT_TUNE = 114;
  static final long ALIGNMENT = 115;
  /** Tuning sequences of the construction at the i-th n: 120 + 2 i; its evaluation: 121 + 2 i. */
  static final long CONSTRUCTION = 120;

  private FreshSequences() {}

  /** {@code samples} sequences of the task {@code c} was trained on. */
  static Batch of(Checkpoint c, int samples, long seed, long index) {
    return new TaskSampler(c.config().task()).sample(samples, seed, Streams.Purpose.PROFILE,
        index);
  }
}
