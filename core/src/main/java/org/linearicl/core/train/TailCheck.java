package org.linearicl.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.OracleRidge;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.Checks;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * The tail of a trained model: its loss on many fresh sequences of its own stream
 * {@code (seed, TAIL, round)}, drawn and scored block by block so that a million sequences need
 * no more memory than one block. A mean over 100,000 evaluation sequences can be one sequence: an
 * L-layer model's prediction is a polynomial of degree about 3^L in the data, so a model that is
 * fine on typical sequences can explode on rare ones (a large eigenvalue of the context's
 * covariance, a long w, a large noise). This check measures how much of the mean such sequences
 * carry, and keeps the worst of them for a repair.
 */
public final class TailCheck {
  /** Sequences scored together; 256 sampler chunks. */
  public static final int BLOCK = 1 << 16;

  /** A sequence is in the tail when its loss exceeds this many times the mean loss. */
  public static final double TAIL_FACTOR = 10.0;

  /**
   * A sequence explodes when its loss exceeds this many times the sum of three losses on it:
   * predicting zero (0.5 y_t^2), the oracle's, and predicting zero on a typical sequence
   * (0.5 E[y_t^2] = d / 2). So its error is more than ten times the size of its target and of
   * a typical target, which no noise or ill-conditioning explains: the polynomial the model
   * computes has left the range of the data.
   */
  public static final double EXPLOSION_FACTOR = 100.0;

  /**
   * The model is unstable when its exploding sequences carry more than this share of the summed
   * adjusted loss (the loss above the oracle's): the same share as the tolerance of a match
   * with the paper, so they could decide it.
   */
  public static final double DOMINANT_SHARE = 0.1;

  /** The worst sequences kept for a repair. */
  public static final int KEEP_WORST = 2048;

  private TailCheck() {}

  /**
   * The statistics of one tail check.
   *
   * @param samples fresh sequences scored
   * @param round the draw index: 0 for the first check, then one per repair
   * @param loss the mean loss with its standard error
   * @param adjusted the mean loss minus the oracle's on the same sequences
   * @param maxLoss the largest per-sequence loss
   * @param tailCount sequences whose loss exceeds {@link #TAIL_FACTOR} times the mean loss
   * @param tailShare the share of the summed adjusted loss those sequences carry
   * @param explodedCount sequences that explode ({@link #EXPLOSION_FACTOR})
   * @param explodedShare the share of the summed adjusted loss they carry
   */
  public record Stats(int samples, int round, LossSummary loss, LossSummary adjusted,
      double maxLoss, int tailCount, double tailShare, int explodedCount,
      double explodedShare) {
    /** Whether exploding sequences decide the mean (or a loss is not finite). */
    public boolean unstable() {
      return !Double.isFinite(loss.mean()) || !Double.isFinite(maxLoss)
          || explodedShare > DOMINANT_SHARE;
    }
  }

  /** Stats and the worst sequences of the check (a batch, worst first). */
  public record Result(Stats stats, Batch worst) {}

  /** Runs the check for {@code (shape, params)} on {@code samples} sequences of {@code task}. */
  public static Result run(ModelShape shape, double[] params, TaskSpec task, long seed,
      int round, int samples, ChunkedExecutor executor) {
    Objects.requireNonNull(executor, "executor");
    new LinearTransformer(shape, params); // validates
    Checks.atLeast("tail samples", samples, 2);
    TaskSampler sampler = new TaskSampler(task);
    GradientKernel[] kernels = new GradientKernel[executor.threads()];
    for (int w = 0; w < kernels.length; w++) {
      kernels[w] = new GradientKernel(shape, task.n());
    }
    double[] losses = new double[samples];
    double[] excess = new double[samples];
    boolean[] exploded = new boolean[samples];
    Batch block = new Batch(Math.min(BLOCK, samples), task.d(), task.n());
    double[] yhat = new double[block.size];
    double[] oracle = new double[block.size];
    List<Worst> worst = new ArrayList<>();
    double[] keys = new double[block.size];
    int[] order = new int[block.size];
    double typical = 0.5 * task.d(); // 0.5 E[y_t^2], since y_t = <w, x_t> with w, x_t ~ N(0, I)
    int chunks = TaskSampler.chunkCount(block.size);
    for (int b = 0, from = 0; from < samples; b++, from += BLOCK) {
      int size = Math.min(BLOCK, samples - from);
      final long blockIndex = b;
      final int start = from;
      executor.run(chunks, (worker, c) -> {
        int lo = c * TaskSampler.CHUNK;
        int hi = Math.min(size, lo + TaskSampler.CHUNK);
        if (lo >= hi) {
          return;
        }
        sampler.fillChunks(block, seed, Streams.Purpose.TAIL, round, blockIndex, c, c + 1);
        kernels[worker].predict(params, block, lo, hi, null, yhat);
        OracleRidge.predict(block, lo, hi, oracle);
        // each sequence's own numbers, in the chunk that drew it; the sums over sequences stay
        // serial below, in sequence order
        for (int i = lo; i < hi; i++) {
          double r = yhat[i] - block.yq[i];
          double o = oracle[i] - block.yq[i];
          double l = 0.5 * r * r;
          double oracleLoss = 0.5 * o * o;
          losses[start + i] = l;
          excess[start + i] = l - oracleLoss;
          double zeroLoss = 0.5 * block.yq[i] * block.yq[i];
          exploded[start + i] = !(l <= EXPLOSION_FACTOR * (zeroLoss + oracleLoss + typical));
        }
      });
      keepWorst(worst, block, size, losses, from, keys, order);
    }
    LossSummary loss = LossSummary.of(losses);
    LossSummary adjusted = LossSummary.of(excess);
    double threshold = TAIL_FACTOR * loss.mean();
    double max = 0.0;
    int tail = 0;
    double tailExcess = 0.0;
    double allExcess = 0.0;
    int explodedCount = 0;
    double explodedExcess = 0.0;
    for (int i = 0; i < samples; i++) {
      double l = losses[i];
      max = Double.isNaN(l) ? Double.NaN : Math.max(max, l);
      allExcess += excess[i];
      if (l > threshold) {
        tail++;
        tailExcess += excess[i];
      }
      if (exploded[i]) {
        explodedCount++;
        explodedExcess += excess[i];
      }
    }
    double share = share(tailExcess, allExcess);
    double explodedShare = share(explodedExcess, allExcess);
    List<Worst> kept = new ArrayList<>();
    for (Worst w : worst) {
      if (w.loss > threshold || !Double.isFinite(w.loss)) {
        kept.add(w);
      }
    }
    Batch out = new Batch(kept.size(), task.d(), task.n());
    for (int i = 0; i < kept.size(); i++) {
      copy(kept.get(i).sequence, 0, out, i);
    }
    return new Result(new Stats(samples, round, loss, adjusted, max, tail, share, explodedCount,
        explodedShare), out);
  }

  /** part / whole for a positive whole; a positive part of a non-positive whole is all of it. */
  private static double share(double part, double whole) {
    return whole > 0 ? part / whole : (part > 0 ? 1.0 : 0.0);
  }

  /** One sequence of the running worst list, copied out of its block. */
  record Worst(double loss, long order, Batch sequence) {}

  /**
   * Merges the block's worst sequences into the running list of at most KEEP_WORST: the list is
   * always the first KEEP_WORST of all sequences so far in the order worst loss first (NaN as
   * infinity), earlier sequence first among equal losses. {@code keys} and {@code order} are
   * scratch of the block's size.
   */
  static void keepWorst(List<Worst> worst, Batch block, int size, double[] losses, int from,
      double[] keys, int[] order) {
    double floor = worst.size() < KEEP_WORST ? Double.NEGATIVE_INFINITY
        : worst.get(worst.size() - 1).loss;
    int count = 0;
    for (int i = 0; i < size; i++) {
      double l = losses[from + i];
      if (!(l <= floor)) { // NaN and infinity are the worst of all
        order[count] = i;
        keys[count++] = key(l);
      }
    }
    if (count > KEEP_WORST) {
      // the block's KEEP_WORST worst, ties at the cut in sequence order: the cut from a sort of
      // the primitive keys, then one pass (no boxed indices sorted by a comparator)
      double[] sorted = Arrays.copyOf(keys, count);
      Arrays.sort(sorted);
      double cut = sorted[count - KEEP_WORST];
      int ties = KEEP_WORST;
      for (int k = 0; k < count; k++) {
        if (Double.compare(keys[k], cut) > 0) {
          ties--;
        }
      }
      int m = 0;
      for (int k = 0; k < count; k++) {
        int c = Double.compare(keys[k], cut);
        if (c > 0 || (c == 0 && ties-- > 0)) {
          order[m++] = order[k];
        }
      }
      count = m;
    }
    for (int k = 0; k < count; k++) {
      int i = order[k];
      worst.add(new Worst(losses[from + i], (long) from + i, block.slice(i, i + 1)));
    }
    worst.sort((a, b) -> {
      int c = Double.compare(key(b.loss), key(a.loss));
      return c != 0 ? c : Long.compare(a.order, b.order);
    });
    while (worst.size() > KEEP_WORST) {
      worst.remove(worst.size() - 1);
    }
  }

  private static double key(double loss) {
    return Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss;
  }

  /** Copies sequence {@code s} of {@code from} into slot {@code t} of {@code to}. */
  static void copy(Batch from, int s, Batch to, int t) {
    int d = from.d;
    int n = from.n;
    System.arraycopy(from.x, s * n * d, to.x, t * n * d, n * d);
    System.arraycopy(from.y, s * n, to.y, t * n, n);
    System.arraycopy(from.xq, s * d, to.xq, t * d, d);
    System.arraycopy(from.w, s * d, to.w, t * d, d);
    to.yq[t] = from.yq[s];
    to.sigma[t] = from.sigma[s];
  }
}
