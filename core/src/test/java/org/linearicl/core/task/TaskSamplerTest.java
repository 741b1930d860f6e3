package org.linearicl.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.linearicl.core.random.Streams.Purpose;

class TaskSamplerTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));

  @Test
  void sameIdentitySameBatchOtherIdentityOtherBatch() {
    TaskSampler s = new TaskSampler(U5);
    Batch a = s.sample(600, 7, Purpose.TRAIN_BATCHES, 3);
    Batch b = s.sample(600, 7, Purpose.TRAIN_BATCHES, 3);
    assertArrayEquals(a.x, b.x);
    assertArrayEquals(a.y, b.y);
    assertArrayEquals(a.yq, b.yq);
    assertFalse(Arrays.equals(a.x, s.sample(600, 7, Purpose.TRAIN_BATCHES, 4).x));
    assertFalse(Arrays.equals(a.x, s.sample(600, 7, Purpose.EVALUATION, 3).x));
    assertFalse(Arrays.equals(a.x, s.sample(600, 8, Purpose.TRAIN_BATCHES, 3).x));
  }

  @Test
  void aSmallerDrawIsAPrefixOfALargerOne() {
    TaskSampler s = new TaskSampler(U5);
    Batch small = s.sample(300, 1, Purpose.EVALUATION, 0);
    Batch large = s.sample(1000, 1, Purpose.EVALUATION, 0);
    assertArrayEquals(small.x, Arrays.copyOf(large.x, small.x.length));
    assertArrayEquals(small.yq, Arrays.copyOf(large.yq, small.size));
  }

  @Test
  void chunksFilledOutOfOrderGiveTheSameBatch() {
    TaskSampler s = new TaskSampler(U5);
    Batch inOrder = s.sample(1000, 5, Purpose.TRAIN_BATCHES, 9);
    Batch reversed = new Batch(1000, 10, 20);
    for (int c = TaskSampler.chunkCount(1000) - 1; c >= 0; c--) {
      s.fillChunks(reversed, 5, Purpose.TRAIN_BATCHES, 9, c, c + 1);
    }
    assertArrayEquals(inOrder.x, reversed.x);
    assertArrayEquals(inOrder.sigma, reversed.sigma);
  }

  /**
   * The moments docs/method.md (the task) prescribes. With N draws of a quantity of variance v, the
   * sample mean has standard error sqrt(v / N); each check allows 5 standard errors (a false alarm
   * about 1 in 1.7 million per check).
   */
  @Test
  void momentsMatchTheSpec() {
    int size = 20000;
    Batch b = new TaskSampler(U5).sample(size, 11, Purpose.EVALUATION, 0);
    // x entries: mean 0, variance 1 (N = size * n * d draws); E[x^2] = 1 with Var(x^2) = 2
    int nx = b.x.length;
    double sum = 0;
    double sumSq = 0;
    for (double v : b.x) {
      sum += v;
      sumSq += v * v;
    }
    assertEquals(0.0, sum / nx, 5 * Math.sqrt(1.0 / nx));
    assertEquals(1.0, sumSq / nx, 5 * Math.sqrt(2.0 / nx));
    // sigma ~ U(0, 5): mean 2.5, variance 25/12
    double sigmaMean = Arrays.stream(b.sigma).sum() / size;
    assertEquals(2.5, sigmaMean, 5 * Math.sqrt(25.0 / 12 / size));
    assertTrue(Arrays.stream(b.sigma).allMatch(s -> s >= 0 && s < 5));
    // residual y_i - <w, x_i> = sigma * z: E[r^2 / sigma^2] = 1, Var = 2 (per draw)
    double ratio = 0;
    int count = 0;
    for (int s = 0; s < size; s++) {
      if (b.sigma[s] < 0.5) {
        continue; // avoid dividing by tiny sigmas: the ratio is exact, but rounding grows
      }
      for (int i = 0; i < b.n; i++) {
        double dot = 0;
        for (int k = 0; k < b.d; k++) {
          dot += b.w[s * b.d + k] * b.x[(s * b.n + i) * b.d + k];
        }
        double r = (b.y[s * b.n + i] - dot) / b.sigma[s];
        ratio += r * r;
        count++;
      }
    }
    assertEquals(1.0, ratio / count, 5 * Math.sqrt(2.0 / count));
    // the query target is noiseless: y_t = <w, x_t> exactly as computed in the sampler's order
    for (int s = 0; s < 50; s++) {
      double dot = 0;
      for (int k = 0; k < b.d; k++) {
        dot += b.xq[s * b.d + k] * b.w[s * b.d + k];
      }
      assertEquals(dot, b.yq[s], 0.0);
    }
    // w entries: N(0, 1); E[w^2] = 1, Var(w^2) = 2
    double wSq = Arrays.stream(b.w).map(v -> v * v).sum() / b.w.length;
    assertEquals(1.0, wSq, 5 * Math.sqrt(2.0 / b.w.length));
  }

  @Test
  void categoricalSigmasAreEquallyLikely() {
    int size = 20000;
    Batch b = new TaskSampler(TaskSpec.paper(NoiseDistribution.parse("categorical:1,3,5")))
        .sample(size, 3, Purpose.TRAIN_BATCHES, 0);
    for (double level : new double[] {1, 3, 5}) {
      long hits = Arrays.stream(b.sigma).filter(v -> v == level).count();
      // binomial(size, 1/3): standard deviation sqrt(size * 1/3 * 2/3); allow 5 of them
      assertEquals(size / 3.0, hits, 5 * Math.sqrt(size * 2.0 / 9));
    }
  }

  @Test
  void sampleAtSigmaKeepsTheSequencesAndChangesOnlyTheNoise() {
    TaskSampler s = new TaskSampler(U5);
    Batch mixture = s.sample(300, 2, Purpose.EVALUATION, 0);
    Batch fixed = s.sampleAtSigma(300, 2, Purpose.EVALUATION, 0, 0.0);
    assertArrayEquals(mixture.x, fixed.x);
    assertArrayEquals(mixture.w, fixed.w);
    assertArrayEquals(mixture.yq, fixed.yq);
    for (int seq = 0; seq < 300; seq++) {
      assertEquals(0.0, fixed.sigma[seq]);
    }
    assertThrows(IllegalArgumentException.class,
        () -> s.sampleAtSigma(10, 2, Purpose.EVALUATION, 0, -1));
  }

  @Test
  void mismatchedBatchIsRejected() {
    TaskSampler s = new TaskSampler(U5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.fillChunks(new Batch(10, 5, 20), 0, Purpose.EVALUATION, 0, 0, 1));
    assertTrue(e.getMessage().contains("d=5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TaskSpec(10, 0, U5.noise()));
    assertThrows(IllegalArgumentException.class, () -> new TaskSpec(0, 20, U5.noise()));
  }
}
