package org.linearicl.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

/**
 * Test support: random data and parameters, and a DIRECT per-token reference implementation of
 * the model that shares no code with {@link GradientKernel}: it materialises P_k and Q_k as
 * matrices (also for DIAG and GD++) and updates every token separately,
 * {@code e_i <- e_i + (1/n) sum_k P_k (sum_{j<=n} e_j e_j^T) Q_k e_i}, for the context tokens and
 * the query, all from the layer's input tokens.
 */
final class ModelFixtures {
  private ModelFixtures() {}

  /** variant x layers 1..4 x heads 1..3. */
  static Stream<Arguments> variantsLayersHeads() {
    List<Arguments> out = new ArrayList<>();
    for (Variant v : Variant.values()) {
      for (int layers = 1; layers <= 4; layers++) {
        for (int heads = 1; heads <= 3; heads++) {
          out.add(Arguments.of(v, layers, heads));
        }
      }
    }
    return out.stream();
  }

  /** Sequences from the task sampler, with noise sigma ~ U(0, 1). */
  static Batch batch(int size, int d, int n, long seed) {
    TaskSampler sampler = new TaskSampler(new TaskSpec(d, n, new NoiseDistribution.Uniform(1.0)));
    return sampler.sample(size, seed, Streams.Purpose.TRAIN_BATCHES, 0);
  }

  /** Parameters ~ N(0, std^2), seeded. */
  static double[] params(ModelShape shape, double std, long seed) {
    Gaussian g = new Gaussian(new SplittableRandom(seed));
    double[] p = new double[shape.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = std * g.next();
    }
    return p;
  }

  /** P_k of layer l as a dense D x D matrix [row][col]. */
  static double[][] pMatrix(ModelShape shape, double[] params, int l, int k) {
    return factor(shape, params, l, k, true);
  }

  /** Q_k of layer l as a dense D x D matrix [row][col]. */
  static double[][] qMatrix(ModelShape shape, double[] params, int l, int k) {
    return factor(shape, params, l, k, false);
  }

  private static double[][] factor(ModelShape shape, double[] params, int l, int k, boolean p) {
    int dim = shape.tokenDim();
    int d = shape.d();
    int o = shape.offset(l, k);
    double[][] m = new double[dim][dim];
    switch (shape.variant()) {
      case FULL -> {
        int base = p ? o : o + dim * dim;
        for (int a = 0; a < dim; a++) {
          for (int b = 0; b < dim; b++) {
            m[a][b] = params[base + a * dim + b];
          }
        }
      }
      case DIAG, GDPP -> {
        double xs = p ? params[o] : params[o + 2];
        double ys;
        if (p) {
          ys = params[o + 1];
        } else {
          ys = shape.variant() == Variant.DIAG ? params[o + 3] : 0.0;
        }
        for (int a = 0; a < d; a++) {
          m[a][a] = xs;
        }
        m[d][d] = ys;
      }
      default -> throw new AssertionError(shape.variant());
    }
    return m;
  }

  /**
   * The direct per-token forward pass of sequence s: result[l][i] is token i (0..n-1 context,
   * n the query) after l layers, l = 0..L.
   */
  static double[][][] referenceTokens(ModelShape shape, double[] params, Batch b, int s) {
    int d = shape.d();
    int dim = d + 1;
    int n = b.n;
    double[][][] out = new double[shape.layers() + 1][n + 1][dim];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        out[0][i][k] = b.x[(s * n + i) * d + k];
      }
      out[0][i][d] = b.y[s * n + i];
    }
    for (int k = 0; k < d; k++) {
      out[0][n][k] = b.xq[s * d + k];
    }
    for (int l = 0; l < shape.layers(); l++) {
      double[][] in = out[l];
      double[][] sMat = new double[dim][dim];
      for (int j = 0; j < n; j++) {
        for (int a = 0; a < dim; a++) {
          for (int c = 0; c < dim; c++) {
            sMat[a][c] += in[j][a] * in[j][c];
          }
        }
      }
      for (int i = 0; i <= n; i++) {
        double[] e = in[i];
        double[] acc = new double[dim];
        for (int k = 0; k < shape.heads(); k++) {
          double[] v = matVec(qMatrix(shape, params, l, k), e);
          v = matVec(sMat, v);
          v = matVec(pMatrix(shape, params, l, k), v);
          for (int a = 0; a < dim; a++) {
            acc[a] += v[a];
          }
        }
        for (int a = 0; a < dim; a++) {
          out[l + 1][i][a] = e[a] + acc[a] / n;
        }
      }
    }
    return out;
  }

  /** Reference predictions after every layer: [layer][sequence], -(query y-slot). */
  static double[][] referencePredictions(ModelShape shape, double[] params, Batch b) {
    double[][] out = new double[shape.layers()][b.size];
    for (int s = 0; s < b.size; s++) {
      double[][][] t = referenceTokens(shape, params, b, s);
      for (int l = 0; l < shape.layers(); l++) {
        out[l][s] = -t[l + 1][b.n][shape.d()];
      }
    }
    return out;
  }

  static double[] matVec(double[][] m, double[] v) {
    double[] r = new double[m.length];
    for (int a = 0; a < m.length; a++) {
      double acc = 0;
      for (int c = 0; c < v.length; c++) {
        acc += m[a][c] * v[c];
      }
      r[a] = acc;
    }
    return r;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
