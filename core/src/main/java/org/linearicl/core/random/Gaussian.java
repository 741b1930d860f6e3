package org.linearicl.core.random;

import java.util.SplittableRandom;

/**
 * Standard normal draws that are bit-identical on every JVM and platform.
 *
 * <p>The ziggurat method of Marsaglia and Tsang (2000) in the form of Doornik (2005, "An improved
 * ziggurat method to generate normal random samples"): the density is covered by 128 layers of
 * equal area; a draw picks a layer and a uniform abscissa from one 64-bit word, and is accepted
 * at once when it falls inside the layer's rectangle under the curve (about 98.8% of draws: one
 * multiplication and one comparison). The rest are decided by the exact density (the wedges,
 * with {@link StrictMath#exp}) or drawn from the tail beyond {@link #R} by Marsaglia's method
 * (with {@link FdLibmLog}, bit-identical to {@link StrictMath#log}). The tables are computed at
 * class initialisation with StrictMath and correctly rounded sqrt, so they are the same bits
 * everywhere. About eight times faster than the polar method; sampling sequences was a third of
 * a training step. {@code RandomGenerator.nextGaussian} is not used because its algorithm is an
 * implementation detail of the JDK.
 */
public final class Gaussian {
  /** Layers. */
  static final int LAYERS = 128;

  /** Where the tail starts (Doornik's constant for 128 layers). */
  static final double R = 3.442619855899;

  /** The area of each layer. */
  static final double V = 9.91256303526217e-3;

  /** Right edges of the layers: X[0] is the base layer's pseudo-edge V / f(R), X[LAYERS] = 0. */
  private static final double[] X = new double[LAYERS + 1];

  /** X[i+1] / X[i]: a draw |u| below it lies inside the rectangle under the curve. */
  private static final double[] RATIO = new double[LAYERS];

  static {
    double f = StrictMath.exp(-0.5 * R * R);
    X[0] = V / f;
    X[1] = R;
    X[LAYERS] = 0.0;
    for (int i = 2; i < LAYERS; i++) {
      X[i] = Math.sqrt(-2.0 * StrictMath.log(V / X[i - 1] + f));
      f = StrictMath.exp(-0.5 * X[i] * X[i]);
    }
    for (int i = 0; i < LAYERS; i++) {
      RATIO[i] = X[i + 1] / X[i];
    }
  }

  private static final double TWO_POW_MINUS_52 = 0x1.0p-52;

  private final SplittableRandom rng;

  public Gaussian(SplittableRandom rng) {
    this.rng = rng;
  }

  /** One N(0, 1) draw. */
  public double next() {
    while (true) {
      long bits = rng.nextLong();
      int i = (int) (bits & (LAYERS - 1));
      // the top 53 bits as a uniform on (-1, 1): (k + 0.5) 2^-52 - 1 for k in [0, 2^53)
      double u = ((bits >>> 11) + 0.5) * TWO_POW_MINUS_52 - 1.0;
      if (Math.abs(u) < RATIO[i]) {
        return u * X[i];
      }
      if (i == 0) {
        return tail(u < 0);
      }
      double x = u * X[i];
      double f0 = StrictMath.exp(-0.5 * (X[i] * X[i] - x * x));
      double f1 = StrictMath.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
      if (f1 + rng.nextDouble() * (f0 - f1) < 1.0) {
        return x;
      }
    }
  }

  /** A draw from the normal tail beyond R (Marsaglia 1964), with the sign asked for. */
  private double tail(boolean negative) {
    double x;
    double y;
    do {
      x = FdLibmLog.log(open01()) / R;
      y = FdLibmLog.log(open01());
    } while (-2.0 * y < x * x);
    return negative ? x - R : R - x;
  }

  /** A uniform on (0, 1), never 0 (so its log is finite). */
  private double open01() {
    return ((rng.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
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
