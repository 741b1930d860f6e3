package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linearicl.core.model.ModelFixtures.assertRejected;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linearicl.core.model.SpectralGdpp.Spectra;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

/**
 * The eigenbasis form of GD++ against the covariance form ({@link GradientKernel},
 * {@link LinearTransformer}), against finite differences, and its contracts.
 */
class SpectralGdppTest {
  /**
   * Agreement with the covariance form, relative to the largest |value| of the compared row.
   * The two forms round differently (an eigendecomposition and O(d) recursions here, D x D
   * products there), so they differ by eps times the sensitivity of the function to rounding,
   * which grows with depth: on these parameters, N(0, 0.3^2) up to 7 layers, predictions reach
   * ~1e35. Measured: every comparison below
   * passes at 2e-13 (predictions, loss, gradient); over 20 times as many random seeds of the
   * prediction test the worst is 1.5e-12. 1e-11 (~5e4 eps) leaves margins of 50x and 7x, while
   * any error in the recursion or its derivative shows up at O(1).
   */
  private static final double TOL = 1e-11;

  /** Finite-difference checks, as in GradientCheckTest (see {@link #fivePoint}). */
  private static final double FD_TOL = 1e-6;
  /** d and n of the finite-difference checks: few parameters, each differenced. */
  private static final int FD_D = 3;
  private static final int FD_N = 7;


  /** layers 1..7 x heads 1..2 x noisy (sigma ~ U(0, 5)) and noiseless tasks. */
  static Stream<Arguments> layersHeadsNoise() {
    List<Arguments> out = new ArrayList<>();
    for (int layers = 1; layers <= 7; layers++) {
      for (int heads = 1; heads <= 2; heads++) {
        for (String noise : new String[] {"uniform:5", "fixed:0"}) {
          out.add(Arguments.of(layers, heads, noise));
        }
      }
    }
    return out.stream();
  }

  /** A model shape, a batch, parameters for the shape, the batch's spectra and the kernel. */
  private record Fixture(ModelShape shape, Batch b, double[] p, Spectra s, SpectralGdpp sg) {}

  private static Fixture fixture(int layers, int heads, int d, int n, String noise, int size,
      long batchSeed, long paramSeed) {
    ModelShape shape = gdpp(layers, heads, d);
    Batch b = batch(size, d, n, noise, batchSeed);
    return new Fixture(shape, b, ModelFixtures.params(shape, 0.3, paramSeed), spectra(b),
        new SpectralGdpp(shape, n));
  }

  private static Batch batch(int size, int d, int n, String noise, long seed) {
    TaskSampler sampler = new TaskSampler(new TaskSpec(d, n, NoiseDistribution.parse(noise)));
    return sampler.sample(size, seed, Streams.Purpose.EVALUATION, 0);
  }

  private static Spectra spectra(Batch b) {
    Spectra s = new Spectra(b.size, b.d, b.n);
    s.fill(b, 0, b.size);
    return s;
  }

  private static ModelShape gdpp(int layers, int heads, int d) {
    return new ModelShape(Variant.GDPP, layers, heads, d);
  }

  /** |ref - got| <= tol * max |ref| of that row, the scale of ForwardAgreementTest. */
  private static void assertAgree(double[] ref, double[] got, int from, int to, double tol,
      String what) {
    double scale = Math.max(ModelFixtures.maxAbs(ref), Double.MIN_NORMAL);
    for (int i = from; i < to; i++) {
      double err = Math.abs(ref[i] - got[i]) / scale;
      assertTrue(err <= tol, String.format(Locale.ROOT,
          "%s [%d]: reference %.17g, got %.17g (rel. err %.3g)", what, i, ref[i], got[i], err));
    }
  }

  @ParameterizedTest(name = "layers={0} heads={1} noise={2}")
  @MethodSource("layersHeadsNoise")
  void predictionsAfterEveryLayerAgreeWithTheCovarianceForm(int layers, int heads, String noise) {
    for (int[] dn : new int[][] {{5, 8}, {10, 20}, {6, 4}}) { // the last: n < d, Sigma singular
      int d = dn[0];
      int n = dn[1];
      Fixture fx = fixture(layers, heads, d, n, noise, 70, 31L * layers + heads,
          1000L * layers + 10L * heads + d);

      double[][] ref = new LinearTransformer(fx.shape, fx.p).predictAfterEachLayer(fx.b);
      assertTrue(ModelFixtures.maxAbs(ref[layers - 1]) > 1e-3, "model output is trivially small");
      double[][] got = new double[layers][fx.b.size];
      double[] fin = new double[fx.b.size];
      fx.sg.predict(fx.p, fx.s, 0, fx.b.size, got, fin);
      for (int l = 0; l < layers; l++) {
        assertAgree(ref[l], got[l], 0, fx.b.size, TOL, "d=" + d + " n=" + n + " layer " + (l + 1));
      }
      assertArrayEquals(got[layers - 1], fin, 0.0, "last row must equal finalOut bit for bit");

      // A sub-range writes only that range, and agrees with GradientKernel.predict on it.
      double[][] kPart = new double[layers][fx.b.size];
      double[] kFin = new double[fx.b.size];
      new GradientKernel(fx.shape, n).predict(fx.p, fx.b, 5, 52, kPart, kFin);
      double[][] part = new double[layers][fx.b.size];
      double[] partFin = new double[fx.b.size];
      fx.sg.predict(fx.p, fx.s, 5, 52, part, partFin);
      for (int i = 0; i < fx.b.size; i++) {
        boolean inside = i >= 5 && i < 52;
        for (int l = 0; l < layers; l++) {
          assertEquals(inside ? got[l][i] : 0.0, part[l][i], 0.0);
        }
        assertEquals(inside ? fin[i] : 0.0, partFin[i], 0.0);
      }
      assertAgree(kFin, partFin, 5, 52, TOL, "GradientKernel.predict on [5, 52)");
    }
  }

  @Test
  void spectraKeepTheInvariantsOfTheMoments() {
    // sum lam = tr Sigma, sum lam^2 = |Sigma|_F^2, <c, a> = <alpha, x_t>, |c| = |alpha|,
    // |a| = |x_t|: what an orthogonal change of basis must preserve.
    for (int[] dn : new int[][] {{10, 20}, {6, 4}, {2, 5}, {1, 3}}) {
      int d = dn[0];
      int n = dn[1];
      Batch b = batch(20, d, n, "uniform:1", 3);
      Spectra s = spectra(b);
      for (int i = 0; i < b.size; i++) {
        double[] sigma = new double[d * d];
        double[] alpha = new double[d];
        for (int j = 0; j < n; j++) {
          for (int p = 0; p < d; p++) {
            double xp = b.x[(i * n + j) * d + p];
            alpha[p] += b.y[i * n + j] * xp;
            for (int q = 0; q < d; q++) {
              sigma[p * d + q] += xp * b.x[(i * n + j) * d + q];
            }
          }
        }
        double tr = 0;
        double fro = 0;
        for (int p = 0; p < d; p++) {
          tr += sigma[p * d + p];
          for (int q = 0; q < d; q++) {
            fro += sigma[p * d + q] * sigma[p * d + q];
          }
        }
        double sumLam = 0;
        double sumLam2 = 0;
        double ca = 0;
        double cc = 0;
        double aa = 0;
        double alphaXt = 0;
        double alpha2 = 0;
        double xt2 = 0;
        for (int k = 0; k < d; k++) {
          double lam = s.lam[i * d + k];
          assertTrue(lam >= -1e-13 * tr, "Sigma is positive semi-definite, eigenvalue " + lam);
          sumLam += lam;
          sumLam2 += lam * lam;
          ca += s.c[i * d + k] * s.a[i * d + k];
          cc += s.c[i * d + k] * s.c[i * d + k];
          aa += s.a[i * d + k] * s.a[i * d + k];
          alphaXt += alpha[k] * b.xq[i * d + k];
          alpha2 += alpha[k] * alpha[k];
          xt2 += b.xq[i * d + k] * b.xq[i * d + k];
        }
        assertEquals(tr, sumLam, 1e-13 * tr);
        assertEquals(fro, sumLam2, 1e-13 * fro);
        assertEquals(alphaXt, ca, 1e-13 * Math.sqrt(alpha2 * xt2));
        assertEquals(alpha2, cc, 1e-13 * alpha2);
        assertEquals(xt2, aa, 1e-13 * xt2);
        assertEquals(b.yq[i], s.yq[i], 0.0);
      }
    }
  }

  @ParameterizedTest(name = "layers={0} heads={1} noise={2}")
  @MethodSource("layersHeadsNoise")
  void lossAndGradientAgreeWithGradientKernel(int layers, int heads, String noise) {
    int d = 5;
    int n = 8;
    Fixture fx = fixture(layers, heads, d, n, noise, 70, 7L * layers + heads,
        500L * layers + heads);
    double[] ref = new double[fx.p.length];
    double refLoss = new GradientKernel(fx.shape, n).accumulate(fx.p, fx.b, 3, 66, ref);
    double[] got = new double[fx.p.length];
    double loss = fx.sg.accumulate(fx.p, fx.s, 3, 66, got);
    assertEquals(refLoss, loss, TOL * refLoss);
    assertTrue(ModelFixtures.maxAbs(ref) > 1e-3, "gradient is trivially small");
    assertAgree(ref, got, 0, fx.p.length, TOL, "gradient");
  }

  @ParameterizedTest(name = "layers={0} heads={1} noise={2}")
  @MethodSource("layersHeadsNoise")
  void gradientMatchesFiniteDifferences(int layers, int heads, String noise) {
    Fixture fx = fixture(layers, heads, FD_D, FD_N, noise, 6, 100L * layers + heads,
        13L * layers + heads);
    double[] g = new double[fx.p.length];
    double f = fx.sg.accumulate(fx.p, fx.s, 0, fx.b.size, g);
    assertTrue(ModelFixtures.maxAbs(g) > 1e-3, "gradient is trivially small");
    double floor = 1e-4 * Math.max(1.0, Math.abs(f));
    for (int j = 0; j < fx.p.length; j++) {
      int jj = j;
      double fd = fivePoint(fx.p, j,
          q -> fx.sg.accumulate(q, fx.s, 0, fx.b.size, new double[q.length]));
      double err = Math.abs(fd - g[j]) / Math.max(Math.abs(g[j]), floor);
      assertTrue(err <= FD_TOL, () -> String.format(Locale.ROOT,
          "param %d: analytic %.12g, finite difference %.12g, rel. err %.3g (loss %.6g)", jj,
          g[jj], fd, err, f));
    }
  }

  /**
   * Five-point central difference {@code (f(t-2h) - 8 f(t-h) + 8 f(t+h) - f(t+2h)) / (12 h)},
   * h = 1e-3, as in GradientCheckTest: truncation h^4 f^(5) / 30 ~ 3e-14 f^(5), rounding
   * ~ eps |f| / h ~ 2e-13 |f|, both far below {@link #FD_TOL}.
   */
  private static double fivePoint(double[] p, int j, ToDoubleFunction<double[]> fn) {
    double h = 1e-3;
    double[] q = p.clone();
    q[j] = p[j] - 2 * h;
    double fm2 = fn.applyAsDouble(q);
    q[j] = p[j] - h;
    double fm1 = fn.applyAsDouble(q);
    q[j] = p[j] + h;
    double fp1 = fn.applyAsDouble(q);
    q[j] = p[j] + 2 * h;
    double fp2 = fn.applyAsDouble(q);
    return (fm2 - 8 * fm1 + 8 * fp1 - fp2) / (12 * h);
  }

  @ParameterizedTest(name = "layers={0} heads={1} noise={2}")
  @MethodSource("layersHeadsNoise")
  void jacobianMatchesFiniteDifferencesAndTheGradient(int layers, int heads, String noise) {
    Fixture fx = fixture(layers, heads, FD_D, FD_N, noise, 9, 200L * layers + heads,
        17L * layers + heads);
    int from = 2;
    int to = 8;
    int m = to - from;
    int size = fx.shape.size();
    double[] resid = new double[m];
    double[] jac = new double[m * size];
    fx.sg.jacobian(fx.p, fx.s, from, to, resid, jac);

    // residuals: bit-identical in residuals and jacobian, and yhat - yq of predict
    double[] resid2 = new double[m];
    fx.sg.residuals(fx.p, fx.s, from, to, resid2);
    assertArrayEquals(resid, resid2, 0.0);
    double[] pred = new double[fx.b.size];
    fx.sg.predict(fx.p, fx.s, 0, fx.b.size, null, pred);
    for (int i = from; i < to; i++) {
      assertEquals(pred[i] - fx.b.yq[i], resid[i - from], 0.0);
    }

    // every entry against finite differences of the residuals
    for (int i = 0; i < m; i++) {
      double rowScale = 0;
      for (int j = 0; j < size; j++) {
        rowScale = Math.max(rowScale, Math.abs(jac[i * size + j]));
      }
      assertTrue(rowScale > 1e-6, "Jacobian row " + i + " is trivially small");
      double floor = 1e-4 * Math.max(1.0, Math.abs(resid[i]));
      for (int j = 0; j < size; j++) {
        int seq = from + i;
        double fd = fivePoint(fx.p, j, q -> {
          double[] r = new double[1];
          fx.sg.residuals(q, fx.s, seq, seq + 1, r);
          return r[0];
        });
        double jv = jac[i * size + j];
        double err = Math.abs(fd - jv) / Math.max(Math.abs(jv), floor);
        int ii = i;
        int jj = j;
        assertTrue(err <= FD_TOL, () -> String.format(Locale.ROOT,
            "d resid_%d / d param_%d: analytic %.12g, finite difference %.12g, rel. err %.3g",
            from + ii, jj, jv, fd, err));
      }
    }

    // sum_i resid_i jac_i is accumulate's gradient; the loss is 0.5 sum resid^2
    double[] grad = new double[size];
    double loss = fx.sg.accumulate(fx.p, fx.s, from, to, grad);
    double[] jtr = new double[size];
    double half = 0;
    for (int i = 0; i < m; i++) {
      half += 0.5 * resid[i] * resid[i];
      for (int j = 0; j < size; j++) {
        jtr[j] += resid[i] * jac[i * size + j];
      }
    }
    assertEquals(half, loss, 1e-14 * half);
    assertAgree(grad, jtr, 0, size, 1e-13, "J^T r against accumulate");
  }

  @Test
  void fillGivesTheSameBitsHoweverTheRangeIsSplit() throws InterruptedException {
    Batch b = batch(53, 10, 20, "uniform:5", 99);
    Spectra whole = spectra(b);
    Spectra halves = new Spectra(b.size, 10, 20);
    halves.fill(b, 0, 17);
    halves.fill(b, 17, b.size);
    assertSame(whole, halves);

    // disjoint ranges on two threads
    Spectra threaded = new Spectra(b.size, 10, 20);
    Thread t1 = new Thread(() -> threaded.fill(b, 0, 30));
    Thread t2 = new Thread(() -> threaded.fill(b, 30, b.size));
    t1.start();
    t2.start();
    t1.join();
    t2.join();
    assertSame(whole, threaded);

    // repeated calls on one workspace and a fresh one give identical bits
    ModelShape shape = gdpp(7, 2, 10);
    double[] p = ModelFixtures.params(shape, 0.3, 5);
    SpectralGdpp sg = new SpectralGdpp(shape, 20);
    double[] g1 = new double[p.length];
    double[] g2 = new double[p.length];
    double[] g3 = new double[p.length];
    double l1 = sg.accumulate(p, whole, 0, b.size, g1);
    double l2 = sg.accumulate(p, halves, 0, b.size, g2);
    double l3 = new SpectralGdpp(shape, 20).accumulate(p, threaded, 0, b.size, g3);
    assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2));
    assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l3));
    assertArrayEquals(g1, g2, 0.0);
    assertArrayEquals(g1, g3, 0.0);
  }

  private static void assertSame(Spectra expected, Spectra actual) {
    assertEquals(expected.size(), actual.size());
    assertEquals(expected.d(), actual.d());
    assertEquals(expected.n(), actual.n());
    assertArrayEquals(expected.lam, actual.lam, 0.0);
    assertArrayEquals(expected.c, actual.c, 0.0);
    assertArrayEquals(expected.a, actual.a, 0.0);
    assertArrayEquals(expected.yq, actual.yq, 0.0);
  }

  @Test
  void accumulateAddsToGrad() {
    ModelShape shape = gdpp(3, 2, 4);
    double[] p = ModelFixtures.params(shape, 0.3, 8);
    Spectra s = spectra(batch(20, 4, 9, "uniform:5", 9));
    SpectralGdpp sg = new SpectralGdpp(shape, 9);
    double[] once = new double[p.length];
    sg.accumulate(p, s, 0, 20, once);
    ModelFixtures.assertAccumulateAdds((from, to, grad) -> sg.accumulate(p, s, from, to, grad),
        20, once, 1e-15);
  }

  @Test
  void badInputIsRejectedWithAMessageNamingTheExpectation() {
    int d = 4;
    int n = 9;
    ModelShape shape = gdpp(2, 2, d);
    int size = shape.size(); // 2 layers * 2 heads * 3 = 12
    double[] p = ModelFixtures.params(shape, 0.3, 1);
    Batch b = batch(6, d, n, "uniform:5", 1);
    Spectra s = spectra(b);
    SpectralGdpp sg = new SpectralGdpp(shape, n);
    double[] g = new double[size];

    assertRejected(() -> new SpectralGdpp(new ModelShape(Variant.DIAG, 2, 2, d), n), "GDPP");
    assertRejected(() -> new SpectralGdpp(new ModelShape(Variant.FULL, 2, 2, d), n), "GDPP");
    assertRejected(() -> new SpectralGdpp(shape, 0), "n (context examples) must be >= 1");
    assertThrows(NullPointerException.class, () -> new SpectralGdpp(null, n));

    assertRejected(() -> new Spectra(-1, d, n), "size >= 0");
    assertRejected(() -> new Spectra(3, 0, n), "d >= 1");
    assertRejected(() -> new Spectra(3, d, 0), "n >= 1");
    Spectra fresh = new Spectra(6, d, n);
    assertRejected(() -> fresh.fill(batch(6, d + 1, n, "uniform:5", 1), 0, 6), "d = " + d);
    assertRejected(() -> fresh.fill(batch(6, d, n + 1, "uniform:5", 1), 0, 6), "n = " + n);
    assertRejected(() -> fresh.fill(b, -1, 6), "0 <= from <= to <= 6");
    assertRejected(() -> fresh.fill(b, 4, 3), "0 <= from <= to <= 6");
    assertRejected(() -> new Spectra(8, d, n).fill(b, 0, 7), "0 <= from <= to <= 6");
    assertRejected(() -> new Spectra(5, d, n).fill(b, 0, 6), "0 <= from <= to <= 5");
    assertThrows(NullPointerException.class, () -> fresh.fill(null, 0, 1));
    // non-finite data: the fill ends, with NaN entries for that sequence only
    Batch bad = batch(2, d, n, "uniform:5", 1);
    bad.x[d * n + 1] = Double.NaN;
    Spectra badSpectra = new Spectra(2, d, n);
    badSpectra.fill(bad, 0, 2);
    for (int k = 0; k < d; k++) {
      assertTrue(Double.isFinite(badSpectra.lam[k]) && Double.isFinite(badSpectra.c[k]));
      assertTrue(Double.isNaN(badSpectra.lam[d + k]), "eigenvalue " + k + " of the NaN sequence");
    }

    assertRejected(() -> sg.accumulate(new double[size + 1], s, 0, 6, g), "= " + size);
    double[] nan = p.clone();
    nan[7] = Double.NaN;
    assertRejected(() -> sg.accumulate(nan, s, 0, 6, g), "params[7]");
    assertRejected(() -> sg.accumulate(p, s, 0, 6, new double[3]), "grad must have");
    assertRejected(() -> sg.accumulate(p, spectra(batch(6, d + 1, n, "uniform:5", 1)), 0, 6, g),
        "d = " + d);
    assertRejected(() -> sg.accumulate(p, spectra(batch(6, d, n + 1, "uniform:5", 1)), 0, 6, g),
        "n = " + n);
    assertRejected(() -> sg.accumulate(p, s, -1, 6, g), "0 <= from <= to <= 6");
    assertRejected(() -> sg.accumulate(p, s, 0, 7, g), "0 <= from <= to <= 6");
    assertRejected(() -> sg.accumulate(p, s, 4, 3, g), "0 <= from <= to <= 6");
    assertThrows(NullPointerException.class, () -> sg.accumulate(p, null, 0, 6, g));
    assertThrows(NullPointerException.class, () -> sg.accumulate(null, s, 0, 6, g));
    assertThrows(NullPointerException.class, () -> sg.accumulate(p, s, 0, 6, null));

    assertRejected(() -> sg.predict(p, s, 0, 7, null, new double[7]), "0 <= from <= to <= 6");
    assertRejected(() -> sg.predict(p, s, 0, 6, null, new double[5]), "finalOut needs at least 6");
    assertRejected(() -> sg.predict(p, s, 0, 6, new double[1][6], new double[6]), "2 rows");
    assertRejected(() -> sg.predict(p, s, 0, 6, new double[][] {new double[6], new double[5]},
        new double[6]), "perLayerOut[1] needs at least 6");
    assertRejected(() -> sg.predict(nan, s, 0, 6, null, new double[6]), "finite");

    assertRejected(() -> sg.residuals(p, s, 1, 5, new double[3]), "resid needs at least");
    assertRejected(() -> sg.residuals(p, s, 0, 7, new double[7]), "0 <= from <= to <= 6");
    assertRejected(() -> sg.residuals(nan, s, 0, 6, new double[6]), "finite");
    assertRejected(() -> sg.jacobian(p, s, 1, 5, new double[3], new double[4 * size]),
        "resid needs at least");
    assertRejected(() -> sg.jacobian(p, s, 1, 5, new double[4], new double[4 * size - 1]),
        "jac needs at least");
    assertRejected(() -> sg.jacobian(p, s, 0, 7, new double[7], new double[7 * size]),
        "0 <= from <= to <= 6");
    assertRejected(() -> sg.jacobian(nan, s, 0, 6, new double[6], new double[6 * size]),
        "finite");
    assertThrows(NullPointerException.class, () -> sg.jacobian(p, s, 0, 6, new double[6], null));
    // nothing was added to grad by the rejected calls
    assertArrayEquals(new double[size], g, 0.0);
    assertEquals(shape, sg.shape());
    assertEquals(n, sg.n());
  }
}
