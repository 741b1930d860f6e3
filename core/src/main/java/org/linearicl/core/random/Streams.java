package org.linearicl.core.random;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams, one per purpose.
 *
 * <p>A stream is identified by a root seed, a {@link Purpose} and any number of indices (step,
 * chunk, ...). Its seed is a SplitMix64-style hash of those numbers, so two streams with different
 * identities are unrelated, the same identity always gives the same numbers, and adding a new
 * stream anywhere never shifts another stream's numbers (docs/method.md, conventions).
 */
public final class Streams {

  /** What a stream is used for; each purpose has its own family of streams. */
  public enum Purpose {
    TRAIN_BATCHES(0x7472616E),
    INIT(0x696E6974),
    EVALUATION(0x6576616C),
    TUNING(0x74756E65),
    PROFILE(0x70726F66),
    /** The fixed sample a training run polishes on. */
    TRAIN_SAMPLE(0x73616D70),
    /** The fresh sequences of a trained model's tail check. */
    TAIL(0x7461696C),
    /** The fixed-sigma sequences of a training run's off-range check. */
    OFF_RANGE(0x6F666672);

    private final long tag;

    Purpose(long tag) {
      this.tag = tag;
    }
  }

  private Streams() {}

  /** The stream for {@code (seed, purpose, indices...)}. */
  public static SplittableRandom of(long seed, Purpose purpose, long... indices) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ purpose.tag);
    for (long index : indices) {
      h = mix(h + 0x9E3779B97F4A7C15L + index);
    }
    return new SplittableRandom(h);
  }

  /** The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijection with good avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
