package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

class LowRankFullTest {
  private static final TaskSpec TASK = new TaskSpec(4, 6,
      new NoiseDistribution.Categorical(new double[] {1, 3}));
  private static final ModelShape FULL = new ModelShape(Variant.FULL, 2, 1, 4);

  private static double[] random(int n, long seed, double std) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = std * (2 * r.nextDouble() - 1);
    }
    return out;
  }

  @Test
  void theFamilyHasTenNumbersPerHeadAtRankOneAndRoundTrips() {
    LowRankFull f = LowRankFull.of(FULL, 1);
    assertEquals(10, LowRankFull.perHead(1));
    assertEquals(20, f.parameters());
    double[] theta = random(20, 3, 0.5);
    assertArrayEquals(theta, f.fromFull(f.toFull(theta)), 1e-15);
  }

  /** A DIAG model embedded in FULL is a member of every rank's family: projecting keeps it. */
  @Test
  void anEmbeddedDiagModelIsAMember() {
    ModelShape diag = new ModelShape(Variant.DIAG, 2, 1, 4);
    double[] full = Embedding.embed(diag, random(diag.size(), 5, 0.8), FULL, 1.0);
    for (int k = 0; k < 4; k++) {
      LowRankFull f = LowRankFull.of(FULL, k);
      assertArrayEquals(full, f.toFull(f.fromFull(full)), 0.0, "k = " + k);
    }
  }

  /** The chain rule through the map against central differences of the residuals. */
  @Test
  void theJacobianMatchesFiniteDifferences() {
    Batch batch = new TaskSampler(TASK).sample(12, 7, Streams.Purpose.TRAIN_SAMPLE, 0);
    LowRankFull f = new LowRankFull(new BatchResiduals(FULL, batch, null), FULL, 2);
    int p = f.parameters();
    assertEquals(2 * 2 * (1 + 9), p);
    double[] theta = random(p, 11, 0.4);
    ResidualSample.Workspace w = f.workspace();
    double[] resid = new double[batch.size];
    double[] jac = new double[batch.size * p];
    w.jacobian(theta, 0, batch.size, resid, jac);
    double h = 1e-6;
    double worst = 0;
    double scale = 0;
    for (int j = 0; j < p; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double[] ru = new double[batch.size];
      double[] rd = new double[batch.size];
      w.residuals(up, 0, batch.size, ru);
      w.residuals(down, 0, batch.size, rd);
      for (int s = 0; s < batch.size; s++) {
        double fd = (ru[s] - rd[s]) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - jac[s * p + j]));
        scale = Math.max(scale, Math.abs(fd));
      }
    }
    assertTrue(scale > 1e-3, "the test sees a gradient: " + scale);
    assertTrue(worst < 1e-6 * Math.max(1, scale), "worst gap " + worst + " at scale " + scale);
  }

  /**
   * A rank-one member turned by a reflection of x is no longer a member; align turns it back
   * (up to round-off and the sign of x_0), and leaves members and DIAG models as they are.
   */
  @Test
  void alignTurnsTheDepartureBackOntoTheFirstCoordinate() {
    LowRankFull f = LowRankFull.of(FULL, 1);
    double[] member = f.toFull(random(f.parameters(), 13, 0.7));
    assertArrayEquals(member, f.align(member), 0.0);
    double[] turned = member.clone();
    double[] v = {0.5, -0.5, 0.5, 0.5}; // unit: the reflection I - 2 v v^T on x
    int dim = FULL.tokenDim();
    for (int l = 0; l < FULL.layers(); l++) {
      for (int m = 0; m < 2; m++) {
        int o = FULL.offset(l, 0) + m * dim * dim;
        double[][] g = new double[dim][dim];
        for (int r = 0; r < dim; r++) {
          for (int c = 0; c < dim; c++) {
            g[r][c] = (r == c ? 1 : 0) - (r < 4 && c < 4 ? 2 * v[r] * v[c] : 0);
          }
        }
        double[] a = java.util.Arrays.copyOfRange(member, o, o + dim * dim);
        for (int r = 0; r < dim; r++) {
          for (int c = 0; c < dim; c++) {
            double sum = 0;
            for (int i = 0; i < dim; i++) {
              for (int j = 0; j < dim; j++) {
                sum += g[r][i] * a[i * dim + j] * g[j][c];
              }
            }
            turned[o + r * dim + c] = sum;
          }
        }
      }
    }
    double[] projected = f.toFull(f.fromFull(turned));
    double gap = 0;
    for (int i = 0; i < turned.length; i++) {
      gap = Math.max(gap, Math.abs(projected[i] - turned[i]));
    }
    assertTrue(gap > 0.01, "turned, it is not a member: " + gap);
    double[] back = f.align(turned);
    double[] again = f.toFull(f.fromFull(back));
    for (int i = 0; i < back.length; i++) {
      assertEquals(back[i], again[i], 1e-12, "aligned, it is a member again: entry " + i);
      assertEquals(Math.abs(member[i]), Math.abs(back[i]), 1e-12, "the member up to sign");
    }
    ModelShape diag = new ModelShape(Variant.DIAG, 2, 1, 4);
    double[] embedded = Embedding.embed(diag, random(diag.size(), 5, 0.8), FULL, 1.0);
    assertArrayEquals(embedded, f.align(embedded), 0.0);
  }

  @Test
  void onlyFullAndRanksBelowDHaveAFamily() {
    assertThrows(IllegalArgumentException.class,
        () -> LowRankFull.of(new ModelShape(Variant.DIAG, 2, 1, 4), 1));
    assertThrows(IllegalArgumentException.class, () -> LowRankFull.of(FULL, 4));
  }
}
