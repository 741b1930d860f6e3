package org.linearicl.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.linearicl.core.random.Streams.Purpose;

class RidgeTest {

  /** The hand-written Cholesky against EJML's general LU solve, to 1e-12 relative. */
  @Test
  void agreesWithEjml() {
    Batch b = new TaskSampler(TaskSpec.paper(new NoiseDistribution.Uniform(3)))
        .sample(200, 4, Purpose.EVALUATION, 0);
    ContextStats stats = new ContextStats(10, 20);
    Ridge ridge = new Ridge(10);
    double[] w = new double[10];
    for (int s = 0; s < b.size; s++) {
      stats.of(b, s);
      double lambda = s % 3 == 0 ? 0.0 : b.sigma[s] * b.sigma[s];
      ridge.solve(stats.sigma, lambda, stats.alpha, w);
      DMatrixRMaj a = new DMatrixRMaj(10, 10, true, stats.sigma);
      for (int k = 0; k < 10; k++) {
        a.add(k, k, lambda);
      }
      DMatrixRMaj x = new DMatrixRMaj(10, 1);
      CommonOps_DDRM.solve(a, new DMatrixRMaj(10, 1, true, stats.alpha), x);
      double norm = 0;
      for (int k = 0; k < 10; k++) {
        norm = Math.max(norm, Math.abs(x.get(k)));
      }
      for (int k = 0; k < 10; k++) {
        assertEquals(x.get(k), w[k], 1e-12 * norm, "sequence " + s + ", coordinate " + k);
      }
      double logDet = ridge.factor(stats.sigma, lambda);
      assertEquals(Math.log(CommonOps_DDRM.det(a)), logDet, 1e-12 * Math.abs(logDet) + 1e-12);
    }
  }

  @Test
  void statsAreTheDefiningSums() {
    Batch b = new TaskSampler(TaskSpec.paper(new NoiseDistribution.Fixed(1)))
        .sample(3, 1, Purpose.EVALUATION, 0);
    ContextStats st = new ContextStats(10, 20).of(b, 2);
    double sxy = 0;
    double s01 = 0;
    double yy = 0;
    for (int i = 0; i < 20; i++) {
      double[] x = java.util.Arrays.copyOfRange(b.x, (2 * 20 + i) * 10, (2 * 20 + i + 1) * 10);
      double y = b.y[2 * 20 + i];
      sxy += x[3] * y;
      s01 += x[0] * x[1];
      yy += y * y;
    }
    assertEquals(sxy, st.alpha[3], 1e-12);
    assertEquals(s01, st.sigma[1], 1e-12);
    assertEquals(s01, st.sigma[10], 1e-12);
    assertEquals(yy, st.lambda, 1e-12);
  }

  @Test
  void nonPositiveDefiniteSystemIsAClearError() {
    double[] singular = new double[4]; // the 2 x 2 zero matrix
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> new Ridge(2).solve(singular, 0.0, new double[2], new double[2]));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not positive definite"));
  }

  /** With sigma = 0 and n > d the oracle interpolates the noiseless data: it recovers w. */
  @Test
  void noiselessOracleRecoversTheTrueWeights() {
    Batch b = new TaskSampler(TaskSpec.paper(new NoiseDistribution.Fixed(0)))
        .sample(50, 9, Purpose.EVALUATION, 0);
    double[] pred = OracleRidge.predict(b);
    for (int s = 0; s < b.size; s++) {
      assertEquals(b.yq[s], pred[s], 1e-9 * (1 + Math.abs(b.yq[s])));
    }
  }
}
