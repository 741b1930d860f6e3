package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.linearicl.core.task.Batch;

/**
 * {@link GradientKernel#residuals} and {@link GradientKernel#jacobian}: residuals equal the
 * predictions minus the targets, every Jacobian row equals central finite differences of its
 * residual, and {@code sum_s resid_s * jac_s} is {@link GradientKernel#accumulate}'s gradient.
 */
class JacobianTest {
  @ParameterizedTest
  @MethodSource("org.linearicl.core.model.ModelFixtures#variantsLayersHeads")
  void rowsAreResidualGradients(Variant v, int layers, int heads) {
    ModelShape shape = new ModelShape(v, layers, heads, 3);
    int n = 7;
    int size = 37; // a full lane block and a partial one
    Batch batch = ModelFixtures.batch(size, 3, n, 11 + layers);
    double[] params = ModelFixtures.params(shape, 0.3, 5 + heads);
    GradientKernel kernel = new GradientKernel(shape, n);
    int p = shape.size();
    double[] resid = new double[size];
    double[] jac = new double[size * p];
    kernel.jacobian(params, batch, 0, size, resid, jac);

    double[] yhat = new double[size];
    kernel.predict(params, batch, 0, size, null, yhat);
    double[] plain = new double[size];
    kernel.residuals(params, batch, 0, size, plain);
    for (int s = 0; s < size; s++) {
      assertEquals(yhat[s] - batch.yq[s], resid[s], 0.0, "residual of sequence " + s);
      assertEquals(resid[s], plain[s], 0.0, "residuals() of sequence " + s);
    }

    // sum_s r_s J_s = gradient of 0.5 sum r^2 (same sums in another order: rounding only)
    double[] grad = new double[p];
    kernel.accumulate(params, batch, 0, size, grad);
    for (int j = 0; j < p; j++) {
      double acc = 0.0;
      double scale = 0.0;
      for (int s = 0; s < size; s++) {
        acc += resid[s] * jac[s * p + j];
        scale += Math.abs(resid[s] * jac[s * p + j]);
      }
      assertEquals(grad[j], acc, 1e-12 * (1 + scale), "gradient entry " + j);
    }

    // central differences of every residual, for a few parameters (all of DIAG and GD++)
    double h = 1e-6;
    double[] plus = new double[size];
    double[] minus = new double[size];
    int stride = Math.max(1, p / 12);
    for (int j = 0; j < p; j += stride) {
      double[] pp = params.clone();
      pp[j] += h;
      kernel.residuals(pp, batch, 0, size, plus);
      pp[j] = params[j] - h;
      kernel.residuals(pp, batch, 0, size, minus);
      for (int s = 0; s < size; s++) {
        double fd = (plus[s] - minus[s]) / (2 * h);
        // central differences err by O(h^2 f''') plus rounding O(eps |r| / h)
        assertEquals(fd, jac[s * p + j], 1e-6 * (1 + Math.abs(fd) + Math.abs(resid[s])),
            "d resid_" + s + " / d params_" + j);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("org.linearicl.core.model.ModelFixtures#variantsLayersHeads")
  void aSubRangeGivesTheSameRows(Variant v, int layers, int heads) {
    ModelShape shape = new ModelShape(v, layers, heads, 2);
    Batch batch = ModelFixtures.batch(40, 2, 5, 3);
    double[] params = ModelFixtures.params(shape, 0.4, 9);
    GradientKernel kernel = new GradientKernel(shape, 5);
    int p = shape.size();
    double[] resid = new double[40];
    double[] jac = new double[40 * p];
    kernel.jacobian(params, batch, 0, 40, resid, jac);
    double[] r2 = new double[30];
    double[] j2 = new double[30 * p];
    kernel.jacobian(params, batch, 10, 40, r2, j2);
    for (int s = 0; s < 30; s++) {
      assertEquals(resid[10 + s], r2[s], 0.0);
      for (int j = 0; j < p; j++) {
        assertEquals(jac[(10 + s) * p + j], j2[s * p + j], 0.0);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void shortOutputsAreRejected() {
    ModelShape shape = new ModelShape(Variant.DIAG, 2, 1, 2);
    Batch batch = ModelFixtures.batch(8, 2, 5, 3);
    GradientKernel kernel = new GradientKernel(shape, 5);
    double[] params = new double[shape.size()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kernel.jacobian(params, batch, 0, 8, new double[8], new double[7]));
    assertEquals("jac needs at least " + 8 * shape.size() + " entries, got 7", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> kernel.residuals(params, batch, 0, 8, new double[3]));
    assertEquals("resid needs at least 8 entries, got 3", e.getMessage());
  }
}
