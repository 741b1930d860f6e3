package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.linearicl.core.task.Batch;

/** The analytic backward pass of {@link GradientKernel#accumulate} against finite differences. */
class GradientCheckTest {

  private static double loss(GradientKernel k, double[] p, Batch b) {
    return k.accumulate(p, b, 0, b.size, new double[p.length]);
  }

  /**
   * Every parameter: five-point central difference
   * {@code f'(t) ~ (f(t-2h) - 8 f(t-h) + 8 f(t+h) - f(t+2h)) / (12 h)} with h = 1e-3. Its
   * truncation error is h^4 f^(5) / 30 ~ 1e-12 f^(5) and its rounding error ~ eps |f| / h
   * ~ 2e-13 |f|, both far below the tolerance. The check is
   * {@code |fd - g| <= 1e-6 max(|g|, floor)} with floor = 1e-4 max(1, |f|): components that are
   * (nearly) zero cannot be checked relatively, and the floor allows them an absolute slack of
   * 1e-10 |f|, still ~500x the finite-difference rounding noise, while a wrong gradient term is of
   * the size of the gradient itself.
   */
  @ParameterizedTest(name = "{0} layers={1} heads={2}")
  @MethodSource("org.linearicl.core.model.ModelFixtures#variantsLayersHeads")
  void analyticGradientMatchesFiniteDifferences(Variant variant, int layers, int heads) {
    ModelShape shape = new ModelShape(variant, layers, heads, 3);
    Batch b = ModelFixtures.batch(4, 3, 7, 1000 + 10 * layers + heads);
    // FULL at std 0.3 with several heads and layers reaches losses ~1e27 (the context moments grow
    // doubly exponentially with depth), where no finite difference is accurate; 0.2/sqrt(heads)
    // keeps every layer far from the identity (losses 0.5 to 30) but the function tame.
    double std = variant == Variant.FULL ? 0.2 / Math.sqrt(heads) : 0.3;
    double[] p = ModelFixtures.params(shape, std, 7 * layers + heads);
    checkAgainstFiniteDifferences(shape, p, b);
  }

  /** The same check on a batch spanning three lane blocks of the kernel, the last partly filled. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void analyticGradientMatchesFiniteDifferencesAcrossLaneBlocks(Variant variant) {
    ModelShape shape = new ModelShape(variant, 3, 2, 3);
    Batch b = ModelFixtures.batch(2 * GradientKernel.LANES + 5, 3, 7, 77);
    double std = variant == Variant.FULL ? 0.2 / Math.sqrt(2) : 0.3;
    checkAgainstFiniteDifferences(shape, ModelFixtures.params(shape, std, 78), b);
  }

  private static void checkAgainstFiniteDifferences(ModelShape shape, double[] p, Batch b) {
    GradientKernel k = new GradientKernel(shape, b.n);
    double[] g = new double[p.length];
    double f = k.accumulate(p, b, 0, b.size, g);
    assertEquals(f, loss(k, p, b), 0.0);
    double floor = 1e-4 * Math.max(1.0, Math.abs(f));
    double h = 1e-3;
    assertTrue(ModelFixtures.maxAbs(g) > 1e-3, "gradient is trivially small");
    for (int i = 0; i < p.length; i++) {
      double t = p[i];
      double[] q = p.clone();
      q[i] = t - 2 * h;
      double fm2 = loss(k, q, b);
      q[i] = t - h;
      double fm1 = loss(k, q, b);
      q[i] = t + h;
      double fp1 = loss(k, q, b);
      q[i] = t + 2 * h;
      double fp2 = loss(k, q, b);
      double fd = (fm2 - 8 * fm1 + 8 * fp1 - fp2) / (12 * h);
      double err = Math.abs(fd - g[i]) / Math.max(Math.abs(g[i]), floor);
      assertTrue(err <= 1e-6, String.format(Locale.ROOT,
          "param %d: analytic %.12g, finite difference %.12g, rel. err %.3g (loss %.6g)", i, g[i],
          fd, err, f));
    }
  }
}
