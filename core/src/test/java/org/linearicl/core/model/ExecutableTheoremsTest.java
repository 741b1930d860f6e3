package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.linearicl.core.task.Batch;

/**
 * Weights written down by hand that make the model run a known algorithm: the paper's
 * constructions (one step of gradient descent per layer, GD++'s preconditioning, ridge).
 */
class ExecutableTheoremsTest {
  private static final int D = 10;
  private static final int N = 20;

  /**
   * One GD step from w = 0 on {@code L(w) = 0.5 ||y - X w||^2 / n} with step eta:
   * {@code w_1 = eta X^T y / n = eta alpha / n}, predicting {@code <w_1, x_t>}.
   */
  @Test
  void oneLayerWithOnlyOmegaYxIsOneGradientStep() {
    double eta = 0.37;
    Batch b = ModelFixtures.batch(32, D, N, 21);
    // omega_yx = p_y q_x = -eta; omega_xx = p_x q_x = 0, omega_xy = p_x q_y = 0, omega_yy = 0
    double[] diag = {0.0, 1.0, -eta, 0.0};
    double[] gdpp = {0.0, 1.0, -eta};
    double[] predDiag = new LinearTransformer(new ModelShape(Variant.DIAG, 1, 1, D), diag)
        .predict(b);
    double[] predGdpp = new LinearTransformer(new ModelShape(Variant.GDPP, 1, 1, D), gdpp)
        .predict(b);
    for (int s = 0; s < b.size; s++) {
      double[] w1 = new double[D];
      for (int j = 0; j < N; j++) {
        for (int k = 0; k < D; k++) {
          w1[k] += eta * b.y[s * N + j] * b.x[(s * N + j) * D + k] / N;
        }
      }
      double expected = 0;
      for (int k = 0; k < D; k++) {
        expected += w1[k] * b.xq[s * D + k];
      }
      double tol = 1e-13 * Math.max(1.0, Math.abs(expected));
      assertEquals(expected, predDiag[s], tol, "DIAG, sequence " + s);
      assertEquals(expected, predGdpp[s], tol, "GD++, sequence " + s);
    }
  }

  /**
   * L layers of GD++ (omega_xx = gamma_l, omega_yx = -eta_l) equal L steps of the explicit GD++
   * algorithm: at step l, from the current inputs X^l, residuals r and query x_t^l, take the GD
   * step {@code v = eta_l (X^l)^T r / n} on {@code 0.5 ||r - X^l v||^2 / n} from 0, subtract
   * {@code <v, x>} from every residual and add {@code <v, x_t^l>} to the prediction, and
   * precondition every input {@code x <- (I + gamma_l Sigma^l / n) x} with
   * {@code Sigma^l = (X^l)^T X^l}. Step and preconditioner both read the layer's input.
   */
  @Test
  void gdppLayersAreGdppSteps() {
    double[] gamma = {-0.45, -0.3, -0.2, 0.1};
    double[] eta = {0.8, 0.6, 1.1, 0.4};
    int layers = gamma.length;
    ModelShape shape = new ModelShape(Variant.GDPP, layers, 1, D);
    double[] p = new double[shape.size()];
    for (int l = 0; l < layers; l++) {
      int o = shape.offset(l, 0);
      p[o] = gamma[l]; // p_x, with q_x = 1: omega_xx = gamma
      p[o + 1] = -eta[l]; // p_y: omega_yx = -eta
      p[o + 2] = 1.0; // q_x
    }
    Batch b = ModelFixtures.batch(16, D, N, 8);
    double[][] perLayer = new LinearTransformer(shape, p).predictAfterEachLayer(b);
    for (int s = 0; s < b.size; s++) {
      double[][] x = new double[N][D];
      double[] r = new double[N];
      double[] xt = new double[D];
      for (int j = 0; j < N; j++) {
        r[j] = b.y[s * N + j];
        for (int k = 0; k < D; k++) {
          x[j][k] = b.x[(s * N + j) * D + k];
        }
      }
      for (int k = 0; k < D; k++) {
        xt[k] = b.xq[s * D + k];
      }
      double prediction = 0;
      for (int l = 0; l < layers; l++) {
        double[] v = new double[D];
        double[][] sigma = new double[D][D];
        for (int j = 0; j < N; j++) {
          for (int a = 0; a < D; a++) {
            v[a] += eta[l] * x[j][a] * r[j] / N;
            for (int c = 0; c < D; c++) {
              sigma[a][c] += x[j][a] * x[j][c];
            }
          }
        }
        for (int j = 0; j < N; j++) {
          r[j] -= dot(v, x[j]);
        }
        prediction += dot(v, xt);
        for (int j = 0; j < N; j++) {
          x[j] = precondition(x[j], sigma, gamma[l]);
        }
        xt = precondition(xt, sigma, gamma[l]);
        assertEquals(prediction, perLayer[l][s], 1e-12 * Math.max(1.0, Math.abs(prediction)),
            "sequence " + s + " after layer " + (l + 1));
      }
    }
  }

  @Test
  void zeroParametersPredictZero() {
    Batch b = ModelFixtures.batch(10, D, N, 2);
    double expectedLoss = 0;
    for (double yq : b.yq) {
      expectedLoss += 0.5 * yq * yq;
    }
    for (Variant v : Variant.values()) {
      ModelShape shape = new ModelShape(v, 3, 2, D);
      double[] p = new double[shape.size()];
      for (double[] row : new LinearTransformer(shape, p).predictAfterEachLayer(b)) {
        for (double yhat : row) {
          assertEquals(0.0, yhat, 0.0, v.paperName());
        }
      }
      double loss = new GradientKernel(shape, N).accumulate(p, b, 0, b.size, new double[p.length]);
      assertEquals(expectedLoss, loss, 1e-12 * expectedLoss, v.paperName());
    }
  }

  private static double dot(double[] a, double[] b) {
    double acc = 0;
    for (int k = 0; k < a.length; k++) {
      acc += a[k] * b[k];
    }
    return acc;
  }

  private static double[] precondition(double[] x, double[][] sigma, double gamma) {
    double[] out = new double[x.length];
    for (int a = 0; a < x.length; a++) {
      double acc = 0;
      for (int c = 0; c < x.length; c++) {
        acc += sigma[a][c] * x[c];
      }
      out[a] = x[a] + gamma * acc / N;
    }
    return out;
  }
}
