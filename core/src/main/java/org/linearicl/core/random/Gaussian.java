package org.linearicl.core.random;

import java.util.SplittableRandom;

/**
 * Standard normal draws that are bit-identical on every JVM and platform.
 *
 * <p>Marsaglia's polar method, with {@link StrictMath#log} (whose result the JLS fixes; computed
 * by {@link FdLibmLog}, its bit-identical Java transcription, to avoid a native call) and
 * {@link Math#sqrt} (correctly rounded by IEEE 754). {@code RandomGenerator.nextGaussian} is not
 * used because its algorithm is an implementation detail of the JDK.
 */
public final class Gaussian {
  private final SplittableRandom rng;
  private double spare;
  private boolean hasSpare;

  public Gaussian(SplittableRandom rng) {
    this.rng = rng;
  }

  /** One N(0, 1) draw. */
  public double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2.0 * rng.nextDouble() - 1.0;
      v = 2.0 * rng.nextDouble() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double scale = Math.sqrt(-2.0 * FdLibmLog.log(s) / s);
    spare = v * scale;
    hasSpare = true;
    return u * scale;
  }

  /** A uniform draw on [0, 1) from the same stream. */
  public double uniform() {
    return rng.nextDouble();
  }

  /** A uniform integer in [0, bound) from the same stream. */
  public int uniformInt(int bound) {
    return rng.nextInt(bound);
  }
}
