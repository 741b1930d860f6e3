package org.linearicl.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The ziggurat sampler against the normal distribution: the fraction below each of a grid of
 * points (the fast rectangles, the wedges and the tail all contribute) and the tail beyond R,
 * each within 5 binomial standard errors of N = 4,000,000 draws.
 */
class GaussianTest {
  /** Phi(z) by the complementary error function's continued fraction-free series (erfc). */
  static double phi(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** erfc with relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
        + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
        + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }

  @Test
  void distributionFunctionMatchesTheNormal() {
    double[] points = {-4.0, -3.442619855899, -3.0, -2.0, -1.5, -1.0, -0.5, -0.1, 0.0, 0.3,
        0.8, 1.2, 2.5, 3.2, 3.442619855899, 3.8};
    long[] below = new long[points.length];
    int n = 4_000_000;
    Gaussian g = new Gaussian(Streams.of(11, Streams.Purpose.EVALUATION));
    for (int i = 0; i < n; i++) {
      double z = g.next();
      for (int k = 0; k < points.length; k++) {
        if (z < points[k]) {
          below[k]++;
        }
      }
    }
    for (int k = 0; k < points.length; k++) {
      double p = phi(points[k]);
      double se = Math.sqrt(p * (1 - p) / n);
      assertEquals(p, (double) below[k] / n, 5 * se + 1e-7, "P(z < " + points[k] + ")");
    }
  }

  @Test
  void drawsAreReproducible() {
    Gaussian a = new Gaussian(Streams.of(5, Streams.Purpose.INIT));
    Gaussian b = new Gaussian(Streams.of(5, Streams.Purpose.INIT));
    for (int i = 0; i < 10_000; i++) {
      assertEquals(a.next(), b.next(), 0.0);
    }
  }
}
