package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

class LevenbergMarquardtTest {
  /**
   * A test sample without state, so it serves as its own workspace on every thread; its Jacobian
   * is its residuals, then {@link #rows}.
   */
  abstract static class Stateless implements ResidualSample, ResidualSample.Workspace {
    private final int parameters;
    private final double[] weights;

    /** One sequence per weight. */
    Stateless(int parameters, double[] weights) {
      this.parameters = parameters;
      this.weights = weights;
    }

    @Override
    public int size() {
      return weights.length;
    }

    @Override
    public int parameters() {
      return parameters;
    }

    @Override
    public double weight(int s) {
      return weights[s];
    }

    @Override
    public Workspace workspace() {
      return this;
    }

    @Override
    public void jacobian(double[] t, int from, int to, double[] r, double[] jac) {
      residuals(t, from, to, r);
      rows(t, from, to, jac);
    }

    /** {@code jac[(s - from) * parameters() + j] = d r_s / d t_j} for s in [from, to). */
    abstract void rows(double[] t, int from, int to, double[] jac);
  }

  /** r_s = a_s . theta - b_s with weights: the minimum solves the weighted normal equations. */
  static final class Linear extends Stateless {
    final int n;
    final int p;
    final double[] a;
    final double[] b;
    final double[] w;

    private Linear(int n, int p, double[] a, double[] b, double[] w) {
      super(p, w);
      this.n = n;
      this.p = p;
      this.a = a;
      this.b = b;
      this.w = w;
    }

    static Linear random(int n, int p, long seed) {
      Gaussian g = new Gaussian(new SplittableRandom(seed));
      double[] a = new double[n * p];
      double[] b = new double[n];
      double[] w = new double[n];
      for (int i = 0; i < n * p; i++) {
        a[i] = g.next();
      }
      for (int i = 0; i < n; i++) {
        b[i] = g.next();
        w[i] = 0.5 + g.uniform();
      }
      return new Linear(n, p, a, b, w);
    }

    @Override
    public void residuals(double[] t, int from, int to, double[] r) {
      for (int s = from; s < to; s++) {
        double v = -b[s];
        for (int j = 0; j < p; j++) {
          v += a[s * p + j] * t[j];
        }
        r[s - from] = v;
      }
    }

    @Override
    void rows(double[] t, int from, int to, double[] jac) {
      System.arraycopy(a, from * p, jac, 0, (to - from) * p);
    }

    /** The weighted least-squares solution by Gaussian elimination on the normal equations. */
    double[] direct() {
      double[][] m = new double[p][p + 1];
      for (int s = 0; s < n; s++) {
        for (int u = 0; u < p; u++) {
          for (int v = 0; v < p; v++) {
            m[u][v] += w[s] * a[s * p + u] * a[s * p + v];
          }
          m[u][p] += w[s] * a[s * p + u] * b[s];
        }
      }
      for (int c = 0; c < p; c++) {
        for (int r = c + 1; r < p; r++) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= p; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
      double[] x = new double[p];
      for (int r = p - 1; r >= 0; r--) {
        double v = m[r][p];
        for (int k = r + 1; k < p; k++) {
          v -= m[r][k] * x[k];
        }
        x[r] = v / m[r][r];
      }
      return x;
    }
  }

  @Test
  void aLinearProblemReachesTheWeightedLeastSquaresSolution() {
    Linear problem = Linear.random(500, 6, 3);
    LevenbergMarquardt.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = LevenbergMarquardt.minimize(problem, new double[6],
          new LevenbergMarquardt.Config(50, 0.0, 1e-3), e, LevenbergMarquardt.Listener.NONE);
    }
    double[] want = problem.direct();
    for (int j = 0; j < 6; j++) {
      assertEquals(want[j], r.params()[j], 1e-10, "parameter " + j);
    }
    assertTrue(r.loss() < r.startLoss());
  }

  /** 0.5 (10 (t1 - t0^2))^2 + 0.5 (1 - t0)^2: the banana valley, minimum (1, 1). */
  @Test
  void rosenbrockConvergesAndTheLossNeverRises() {
    ResidualSample banana = new Stateless(2, new double[] {1.0, 1.0}) {
      @Override
      public void residuals(double[] t, int from, int to, double[] r) {
        for (int s = from; s < to; s++) {
          r[s - from] = s == 0 ? 10 * (t[1] - t[0] * t[0]) : 1 - t[0];
        }
      }

      @Override
      void rows(double[] t, int from, int to, double[] jac) {
        for (int s = from; s < to; s++) {
          int o = (s - from) * 2;
          jac[o] = s == 0 ? -20 * t[0] : -1;
          jac[o + 1] = s == 0 ? 10 : 0;
        }
      }
    };
    List<Double> losses = new ArrayList<>();
    LevenbergMarquardt.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      r = LevenbergMarquardt.minimize(banana, new double[] {-1.2, 1.0},
          new LevenbergMarquardt.Config(200, 0.0, 1e-3), e, (it, loss, mu) -> losses.add(loss));
    }
    assertEquals(1.0, r.params()[0], 1e-8);
    assertEquals(1.0, r.params()[1], 1e-8);
    for (int i = 1; i < losses.size(); i++) {
      assertTrue(losses.get(i) < losses.get(i - 1), "accepted steps lower the loss");
    }
  }

  @Test
  void theResultIsTheSameBitsForEveryThreadCount() {
    TaskSpec task = new TaskSpec(4, 8, new NoiseDistribution.Uniform(2));
    Batch batch = new TaskSampler(task).sample(1000, 5, Streams.Purpose.TRAIN_SAMPLE, 0);
    ModelShape shape = new ModelShape(Variant.DIAG, 3, 1, 4);
    double[] start = new double[shape.size()];
    for (int i = 0; i < start.length; i++) {
      start[i] = 0.3 * Math.sin(i + 1);
    }
    double[][] out = new double[3][];
    for (int t = 1; t <= 3; t++) {
      try (ChunkedExecutor e = new ChunkedExecutor(t)) {
        out[t - 1] = LevenbergMarquardt.minimize(new BatchResiduals(shape, batch, null), start,
            new LevenbergMarquardt.Config(10, 0.0, 1e-3), e, LevenbergMarquardt.Listener.NONE)
            .params();
      }
    }
    assertArrayEquals(out[0], out[1]);
    assertArrayEquals(out[0], out[2]);
  }

  /** A start where the sample overflows has no gradient: it comes back unchanged. */
  @Test
  void aStartThatOverflowsIsReturnedAsItIs() {
    Linear problem = Linear.random(50, 2, 9);
    double[] start = {1e300, 1e300};
    LevenbergMarquardt.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      r = LevenbergMarquardt.minimize(problem, start, new LevenbergMarquardt.Config(10, 0, 1e-3),
          e, LevenbergMarquardt.Listener.NONE);
    }
    assertArrayEquals(start, r.params());
    assertEquals(0, r.iterations());
    assertTrue(Double.isInfinite(r.loss()));
  }
}
