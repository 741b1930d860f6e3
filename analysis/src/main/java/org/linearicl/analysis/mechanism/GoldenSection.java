package org.linearicl.analysis.mechanism;

import java.util.function.DoubleUnaryOperator;

/** The minimiser of a unimodal function on an interval, by golden-section search. */
final class GoldenSection {
  /** Enough halvings by the golden ratio to shrink any bracket used here below 1e-12. */
  static final int ITERATIONS = 64;

  private GoldenSection() {}

  static double minimise(double lo, double hi, DoubleUnaryOperator f) {
    double phi = (Math.sqrt(5) - 1) / 2;
    double a = hi - phi * (hi - lo);
    double c = lo + phi * (hi - lo);
    double fa = f.applyAsDouble(a);
    double fc = f.applyAsDouble(c);
    for (int i = 0; i < ITERATIONS; i++) {
      if (fa < fc) {
        hi = c;
        c = a;
        fc = fa;
        a = hi - phi * (hi - lo);
        fa = f.applyAsDouble(a);
      } else {
        lo = a;
        a = c;
        fa = fc;
        c = lo + phi * (hi - lo);
        fc = f.applyAsDouble(c);
      }
    }
    return (lo + hi) / 2;
  }
}
