package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linearicl.core.task.Batch;

/** Theorem 4.1: the read-out (M^l, u^l, w^l, a^l) against {@link ReferenceForward}. */
class ImplicitRegressionTest {

  @ParameterizedTest(name = "{0} layers={1} heads={2}")
  @CsvSource({"FULL,1,1", "FULL,2,1", "FULL,3,2", "FULL,4,1", "FULL,5,3", "DIAG,3,2",
      "GDPP,4,1"})
  void tokensFollowTheImplicitRegressionAfterEveryLayer(Variant v, int layers, int heads) {
    int d = 3;
    int n = 7;
    ModelShape shape = new ModelShape(v, layers, heads, d);
    Batch b = ModelFixtures.batch(3, d, n, 40 + layers);
    double std = v == Variant.FULL ? 0.2 / Math.sqrt(heads) : 0.3;
    double[] p = ModelFixtures.params(shape, std, 90 + layers + heads);
    LinearTransformer model = new LinearTransformer(shape, p);
    double[] pred = model.predict(b);
    for (int s = 0; s < b.size; s++) {
      double[][][] tokens = ReferenceForward.tokens(shape, p, b, s);
      ImplicitRegression[] ir = model.readOut(b, s);
      assertEquals(layers + 1, ir.length);
      assertEquals(ImplicitRegression.identity(d), ir[0]);
      for (int l = 0; l <= layers; l++) {
        assertEquals(l, ir[l].layer());
        double[] m = ir[l].m();
        double[] u = ir[l].u();
        double[] w = ir[l].w();
        double a = ir[l].a();
        double scale = 0;
        for (double[] t : tokens[l]) {
          scale = Math.max(scale, ModelFixtures.maxAbs(t));
        }
        for (int i = 0; i <= n; i++) {
          // input token (x_i, y_i); the query (i = n) has y = 0
          double[] x0 = Arrays.copyOf(tokens[0][i], d);
          double y0 = tokens[0][i][d];
          for (int r = 0; r < d; r++) {
            double xr = y0 * u[r];
            for (int c = 0; c < d; c++) {
              xr += m[r * d + c] * x0[c];
            }
            assertClose(tokens[l][i][r], xr, scale, "x", l, i);
          }
          double yl = a * y0;
          for (int c = 0; c < d; c++) {
            yl -= w[c] * x0[c];
          }
          assertClose(tokens[l][i][d], yl, scale, "y", l, i);
        }
      }
      double[] xt = Arrays.copyOfRange(b.xq, s * d, (s + 1) * d);
      double viaW = ir[layers].prediction(xt);
      assertEquals(pred[s], viaW, 1e-10 * Math.max(1.0, Math.abs(pred[s])),
          "prediction = <w^L, x_t>");
    }
  }

  /** 1e-9 relative to the largest coordinate of that layer's tokens. */
  private static void assertClose(double ref, double got, double scale, String what, int l,
      int i) {
    double err = Math.abs(ref - got) / Math.max(scale, Double.MIN_NORMAL);
    assertTrue(err <= 1e-9, String.format(Locale.ROOT,
        "%s of token %d after layer %d: direct %.17g, read-out %.17g (rel. err %.3g)", what, i, l,
        ref, got, err));
  }

  @Test
  void diagReadOutHasTheBlockFormOfLemma43() {
    // One DIAG layer: M^1 = I + omega_xx Sigma/n, u^1 = omega_xy alpha/n,
    // w^1 = -omega_yx alpha/n, a^1 = 1 + omega_yy lambda/n.
    int d = 4;
    int n = 9;
    ModelShape shape = new ModelShape(Variant.DIAG, 1, 1, d);
    double[] p = {0.7, -0.4, 0.5, 0.3};
    Batch b = ModelFixtures.batch(1, d, n, 3);
    ImplicitRegression r = new LinearTransformer(shape, p).readOut(b, 0)[1];
    double wxx = 0.35;
    double wxy = 0.21;
    double wyx = -0.2;
    double wyy = -0.12;
    double[] sigma = new double[d * d];
    double[] alpha = new double[d];
    double lambda = 0;
    for (int j = 0; j < n; j++) {
      double yj = b.y[j];
      lambda += yj * yj;
      for (int a = 0; a < d; a++) {
        alpha[a] += yj * b.x[j * d + a];
        for (int c = 0; c < d; c++) {
          sigma[a * d + c] += b.x[j * d + a] * b.x[j * d + c];
        }
      }
    }
    double[] m = new double[d * d];
    double[] u = new double[d];
    double[] w = new double[d];
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        m[a * d + c] = (a == c ? 1 : 0) + wxx * sigma[a * d + c] / n;
      }
      u[a] = wxy * alpha[a] / n;
      w[a] = -wyx * alpha[a] / n;
    }
    assertArrayEquals(m, r.m(), 1e-13);
    assertArrayEquals(u, r.u(), 1e-13);
    assertArrayEquals(w, r.w(), 1e-13);
    assertEquals(1 + wyy * lambda / n, r.a(), 1e-13);
  }

  @Test
  void recordValidatesAndCopies() {
    double[] m = {1, 0, 0, 1};
    ImplicitRegression r = new ImplicitRegression(1, m, new double[2], new double[2], 1);
    m[0] = 5;
    assertEquals(1.0, r.m()[0]);
    r.m()[0] = 7;
    assertEquals(1.0, r.m()[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImplicitRegression(1, new double[3], new double[2], new double[2], 1));
    assertTrue(e.getMessage().contains("d*d = 4"), e.getMessage());
    Batch b = ModelFixtures.batch(2, 3, 7, 1);
    LinearTransformer model = new LinearTransformer(new ModelShape(Variant.FULL, 1, 1, 3),
        new double[32]);
    assertThrows(IllegalArgumentException.class, () -> model.readOut(b, 2));
  }
}
