package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.Ridge;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;

class TailCheckTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));
  private static final ModelShape DIAG2 = new ModelShape(Variant.DIAG, 2, 1, 10);

  /** One GD step of size 1 (w_yx = -1): a bounded, linear predictor, so nothing explodes. */
  @Test
  void aGradientStepIsStable() {
    double[] gd = {0, 0, 0, 0, 0, -1, 1, 0};
    TailCheck.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = TailCheck.run(DIAG2, gd, U5, 7, 0, 20_000, e);
    }
    TailCheck.Stats s = r.stats();
    assertFalse(s.unstable(), s.toString());
    assertEquals(0, s.explodedCount());
    assertEquals(20_000, s.samples());
    assertTrue(s.tailCount() > 0 && s.tailCount() == r.worst().size,
        "the sequences above 10x the mean are kept for a repair: " + s);
    assertTrue(s.adjusted().mean() > 0, "worse than the oracle");
  }

  /**
   * w_yy = 1 in both layers rescales y by (1 + lambda/n) twice, and lambda/n grows with
   * |w|^2 + sigma^2: the prediction is of degree 5 in the data and explodes on the long-w,
   * high-noise sequences, whose losses then carry nearly all of the mean.
   */
  @Test
  void aPolynomialBlowUpIsUnstable() {
    double[] blowUp = {0, 1, 0, 1, 0, 1, -1, 1};
    TailCheck.Stats s;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      s = TailCheck.run(DIAG2, blowUp, U5, 7, 0, 20_000, e).stats();
    }
    assertTrue(s.unstable(), s.toString());
    assertTrue(s.explodedCount() > 0 && s.explodedShare() > TailCheck.DOMINANT_SHARE);
    assertTrue(s.maxLoss() > 1e4, s.toString());
  }

  @Test
  void theCheckIsTheSameForEveryThreadCountAndRound() {
    double[] p = {0.1, -0.5, 1, 0.2, 0.3, -1, 0.8, 0.1};
    new LinearTransformer(DIAG2, p);
    TailCheck.Stats one;
    TailCheck.Stats two;
    TailCheck.Stats other;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      one = TailCheck.run(DIAG2, p, U5, 3, 0, 70_000, e).stats();
    }
    try (ChunkedExecutor e = new ChunkedExecutor(3)) {
      two = TailCheck.run(DIAG2, p, U5, 3, 0, 70_000, e).stats();
      other = TailCheck.run(DIAG2, p, U5, 3, 1, 70_000, e).stats();
    }
    assertEquals(one, two);
    assertTrue(one.loss().mean() != other.loss().mean(), "another round draws other sequences");
  }

  /**
   * The check's statistics and worst sequences, bit for bit, against a direct computation: each
   * block drawn on its own, every sequence scored, the oracle through the factorisation with its
   * log-determinant, the sums in sequence order and the worst sequences from one sort of all of
   * them. Three blocks (the last one short) of a model whose tail explodes, so that the merge of
   * the blocks' worst lists decides what is kept.
   */
  @Test
  void theCheckIsADirectComputationBitForBit() {
    double[] blowUp = {0, 1, 0, 1, 0, 1, -1, 1};
    int samples = 2 * TailCheck.BLOCK + 8_000;
    long seed = 11;
    int round = 2;
    TailCheck.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(2)) {
      r = TailCheck.run(DIAG2, blowUp, U5, seed, round, samples, e);
    }
    TaskSampler sampler = new TaskSampler(U5);
    GradientKernel kernel = new GradientKernel(DIAG2, U5.n());
    ContextStats stats = new ContextStats(U5.d(), U5.n());
    Ridge ridge = new Ridge(U5.d());
    double[] w = new double[U5.d()];
    double[] losses = new double[samples];
    double[] excess = new double[samples];
    boolean[] exploded = new boolean[samples];
    List<Batch> blocks = new ArrayList<>();
    for (int b = 0, from = 0; from < samples; b++, from += TailCheck.BLOCK) {
      int size = Math.min(TailCheck.BLOCK, samples - from);
      Batch block = new Batch(size, U5.d(), U5.n());
      sampler.fillChunks(block, seed, Streams.Purpose.TAIL, round, b, 0,
          TaskSampler.chunkCount(size));
      blocks.add(block);
      double[] yhat = new double[size];
      kernel.predict(blowUp, block, 0, size, null, yhat);
      for (int i = 0; i < size; i++) {
        stats.of(block, i);
        ridge.factor(stats.sigma, block.sigma[i] * block.sigma[i]);
        ridge.substitute(stats.alpha, w);
        double oracle = 0.0;
        for (int k = 0; k < U5.d(); k++) {
          oracle += w[k] * block.xq[i * U5.d() + k];
        }
        double l = 0.5 * (yhat[i] - block.yq[i]) * (yhat[i] - block.yq[i]);
        double o = 0.5 * (oracle - block.yq[i]) * (oracle - block.yq[i]);
        losses[from + i] = l;
        excess[from + i] = l - o;
        exploded[from + i] = !(l <= TailCheck.EXPLOSION_FACTOR
            * (0.5 * block.yq[i] * block.yq[i] + o + 0.5 * U5.d()));
      }
    }
    LossSummary loss = LossSummary.of(losses);
    double threshold = TailCheck.TAIL_FACTOR * loss.mean();
    double max = 0.0;
    double all = 0.0;
    double tail = 0.0;
    double boom = 0.0;
    int tailCount = 0;
    int boomCount = 0;
    for (int i = 0; i < samples; i++) {
      max = Double.isNaN(losses[i]) ? Double.NaN : Math.max(max, losses[i]);
      all += excess[i];
      if (losses[i] > threshold) {
        tailCount++;
        tail += excess[i];
      }
      if (exploded[i]) {
        boomCount++;
        boom += excess[i];
      }
    }
    TailCheck.Stats expected = new TailCheck.Stats(samples, round, loss,
        LossSummary.of(excess), max, tailCount, tail / all, boomCount, boom / all);
    assertTrue(all > 0 && boomCount > 0 && tailCount > TailCheck.KEEP_WORST, expected.toString());
    assertEquals(expected, r.stats());

    // the worst: all sequences sorted once, worst first, earlier first among equal losses
    Integer[] order = new Integer[samples];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -key(losses[i])));
    List<Integer> kept = new ArrayList<>();
    for (int k = 0; k < TailCheck.KEEP_WORST; k++) {
      if (losses[order[k]] > threshold || !Double.isFinite(losses[order[k]])) {
        kept.add(order[k]);
      }
    }
    Batch worst = r.worst();
    assertEquals(kept.size(), worst.size);
    for (int k = 0; k < kept.size(); k++) {
      int i = kept.get(k);
      Batch from = blocks.get(i / TailCheck.BLOCK);
      Batch one = from.slice(i % TailCheck.BLOCK, i % TailCheck.BLOCK + 1);
      Batch got = worst.slice(k, k + 1);
      assertArrayEquals(one.x, got.x, "sequence " + i);
      assertArrayEquals(one.y, got.y);
      assertArrayEquals(one.xq, got.xq);
      assertArrayEquals(one.w, got.w);
      assertArrayEquals(one.yq, got.yq);
      assertArrayEquals(one.sigma, got.sigma);
    }
  }

  /**
   * The running worst list is the first KEEP_WORST of all sequences so far, worst first (NaN
   * and infinity worst of all), earlier first among equal losses: many ties, NaNs and
   * infinities over blocks of several sizes, against one sort of everything.
   */
  @Test
  void theWorstListIsTheFirstOfOneSortOfEverything() {
    SplittableRandom rng = new SplittableRandom(5);
    int[] sizes = {5_000, 300, 2_048, 4_000, 1, 3_000};
    int total = Arrays.stream(sizes).sum();
    double[] losses = new double[total];
    for (int i = 0; i < total; i++) {
      int v = rng.nextInt(40);
      losses[i] = v == 0 ? Double.NaN : v == 1 ? Double.POSITIVE_INFINITY : v % 9;
    }
    List<TailCheck.Worst> worst = new ArrayList<>();
    double[] keys = new double[5_000];
    int[] order = new int[5_000];
    int from = 0;
    for (int size : sizes) {
      Batch block = new Batch(size, 1, 1);
      for (int i = 0; i < size; i++) {
        block.yq[i] = from + i; // names the sequence
      }
      TailCheck.keepWorst(worst, block, size, losses, from, keys, order);
      from += size;
      Integer[] all = new Integer[from];
      Arrays.setAll(all, i -> i);
      Arrays.sort(all, Comparator.comparingDouble((Integer i) -> -key(losses[i])));
      assertEquals(Math.min(from, TailCheck.KEEP_WORST), worst.size());
      for (int k = 0; k < worst.size(); k++) {
        assertEquals((long) all[k], worst.get(k).order(), "place " + k + " after " + from);
        assertEquals(all[k], (int) worst.get(k).sequence().yq[0]);
      }
    }
  }

  private static double key(double loss) {
    return Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss;
  }
}
