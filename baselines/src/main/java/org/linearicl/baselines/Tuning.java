package org.linearicl.baselines;

import java.util.function.DoubleUnaryOperator;

/**
 * One-dimensional minimisation for tuning: a log-spaced grid finds the best bracket, then
 * golden-section search narrows it until the bracket's width is below {@code relTol} in the
 * logarithm of the parameter, i.e. the optimum is located to {@code relTol} relative.
 */
public final class Tuning {
  private static final double INV_PHI = (Math.sqrt(5.0) - 1.0) / 2.0;

  private Tuning() {}

  /**
   * The minimiser of {@code f} over {@code [lo, hi]} (both > 0), with {@code grid} log-spaced
   * starting points.
   */
  public static double minimiseLog(DoubleUnaryOperator f, double lo, double hi, int grid,
      double relTol) {
    if (!(lo > 0 && hi > lo) || grid < 3) {
      throw new IllegalArgumentException("need 0 < lo < hi and grid >= 3, got lo=" + lo + ", hi="
          + hi + ", grid=" + grid);
    }
    double a = StrictMath.log(lo);
    double b = StrictMath.log(hi);
    double step = (b - a) / (grid - 1);
    int best = 0;
    double bestValue = Double.POSITIVE_INFINITY;
    for (int i = 0; i < grid; i++) {
      double v = value(f, a + i * step);
      if (v < bestValue) {
        bestValue = v;
        best = i;
      }
    }
    double left = a + Math.max(0, best - 1) * step;
    double right = a + Math.min(grid - 1, best + 1) * step;
    double x1 = right - INV_PHI * (right - left);
    double x2 = left + INV_PHI * (right - left);
    double f1 = value(f, x1);
    double f2 = value(f, x2);
    while (right - left > relTol) {
      if (f1 <= f2) {
        right = x2;
        x2 = x1;
        f2 = f1;
        x1 = right - INV_PHI * (right - left);
        f1 = value(f, x1);
      } else {
        left = x1;
        x1 = x2;
        f1 = f2;
        x2 = left + INV_PHI * (right - left);
        f2 = value(f, x2);
      }
    }
    return StrictMath.exp(0.5 * (left + right));
  }

  private static double value(DoubleUnaryOperator f, double logX) {
    double v = f.applyAsDouble(StrictMath.exp(logX));
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  /** Mean of {@code 0.5 (p(s) - target_s)^2} over a batch: the tuning objective. */
  public static double loss(SpectralBatch b, Predictor p) {
    double sum = 0.0;
    for (int s = 0; s < b.size; s++) {
      double e = p.predict(b, s) - b.target[s];
      sum += 0.5 * e * e;
    }
    return sum / b.size;
  }
}
