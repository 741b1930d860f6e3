package org.linearicl.pipeline.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.linearicl.core.model.FlopCount;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.train.AdamTrainer;
import org.linearicl.core.train.TrainingConfig;

/**
 * {@code bench --guard}: the speed of the gradient kernel relative to a yardstick timed in the
 * same process, so that a slower kernel shows up even on a busy machine whose absolute speed
 * drifts from minute to minute.
 *
 * <p>The kernel is {@link GradientKernel#accumulate} (forward and backward pass) over one batch,
 * on the calling thread. The yardstick does the same number of multiply-adds (the kernel's
 * {@link FlopCount}) as products of D x D blocks of 32 sequences side by side, written here as
 * plain loops: it shares no code with the kernel ({@code LaneOps} and its implementations,
 * {@code GradientKernel}), so a change that slows the kernel cannot slow the yardstick with it.
 * Kernel and yardstick alternate (which goes first alternates too), each is timed in thread CPU
 * time (a thread waiting for a core accrues none), and the verdict is the median of the
 * round-by-round ratios kernel / yardstick.
 */
final class KernelGuard {
  /** Sequences side by side in the yardstick's blocks, as the kernel stores them. */
  private static final int W = 32;

  private final GradientKernel kernel;
  private final Batch batch;
  private final double[] params;
  private final double[] grad;
  private final int dim;
  private final long blockProducts;
  private final double[] a;
  private final double[] b;
  private final double[] c;
  /** Keeps the results alive, so the JIT cannot drop the work. */
  private double sink;

  KernelGuard(TrainingConfig config) {
    ModelShape shape = config.shape();
    int n = config.task().n();
    int size = config.batchSize();
    kernel = new GradientKernel(shape, n);
    batch = new Batch(size, config.task().d(), n);
    new TaskSampler(config.task()).fillChunks(batch, config.seed(),
        Streams.Purpose.TRAIN_BATCHES, 0, 0, 0, TaskSampler.chunkCount(size));
    params = AdamTrainer.initialParams(config, 0);
    grad = new double[shape.size()];
    dim = shape.tokenDim();
    long macs = FlopCount.perSequence(shape, n) * size;
    blockProducts = Math.max(1, Math.round(macs / (double) ((long) dim * dim * dim * W)));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    a = new double[dim * dim * W];
    b = new double[dim * dim * W];
    c = new double[dim * dim * W];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble() - 0.5;
      b[i] = rng.nextDouble() - 0.5;
    }
  }

  /** The outcome: medians over the timed rounds, in milliseconds of thread CPU time. */
  record Result(double ratio, double kernelMs, double yardstickMs, double minRatio,
      double maxRatio, int rounds) {}

  /** {@code warmup} untimed rounds (the JIT), then {@code rounds} timed ones. */
  Result run(int warmup, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isCurrentThreadCpuTimeSupported();
    if (cpu && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    double[] kernelNs = new double[rounds];
    double[] yardNs = new double[rounds];
    double[] ratios = new double[rounds];
    for (int r = -warmup; r < rounds; r++) {
      long k;
      long y;
      if ((r & 1) == 0) {
        k = timeKernel(threads, cpu);
        y = timeYardstick(threads, cpu);
      } else {
        y = timeYardstick(threads, cpu);
        k = timeKernel(threads, cpu);
      }
      if (r >= 0) {
        kernelNs[r] = k;
        yardNs[r] = y;
        ratios[r] = k / (double) Math.max(1, y);
      }
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    return new Result(BenchCommand.median(ratios), BenchCommand.median(kernelNs) * 1e-6,
        BenchCommand.median(yardNs) * 1e-6, sorted[0], sorted[rounds - 1], rounds);
  }

  /** Whatever the timed work left behind, so that it is observably used. */
  double sink() {
    return sink;
  }

  private static long now(ThreadMXBean threads, boolean cpu) {
    return cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private long timeKernel(ThreadMXBean threads, boolean cpu) {
    long t0 = now(threads, cpu);
    int chunk = AdamTrainer.GRADIENT_CHUNK;
    int size = batch.size;
    double loss = 0;
    for (int from = 0; from < size; from += chunk) {
      Arrays.fill(grad, 0.0);
      loss += kernel.accumulate(params, batch, from, Math.min(size, from + chunk), grad);
    }
    long t1 = now(threads, cpu);
    sink += loss + grad[0];
    return t1 - t0;
  }

  /** {@code blockProducts} times c = a b, per sequence, on D x D blocks of W sequences. */
  private long timeYardstick(ThreadMXBean threads, boolean cpu) {
    long t0 = now(threads, cpu);
    int m = dim;
    for (long p = 0; p < blockProducts; p++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          int ci = (i * m + j) * W;
          for (int l = 0; l < W; l++) {
            c[ci + l] = 0.0;
          }
          for (int k = 0; k < m; k++) {
            int ai = (i * m + k) * W;
            int bi = (k * m + j) * W;
            for (int l = 0; l < W; l++) {
              c[ci + l] += a[ai + l] * b[bi + l];
            }
          }
        }
      }
      sink += c[(int) (p % c.length)];
    }
    long t1 = now(threads, cpu);
    return t1 - t0;
  }

  /** One JSON-free summary line of a result against the allowed ratio. */
  static String line(Result r, double maxRatio) {
    return String.format(Locale.ROOT,
        "kernel/yardstick %.3f (allowed %.2f; kernel %.2f ms, yardstick %.2f ms, thread CPU,"
            + " medians of %d rounds; ratios %.3f-%.3f)",
        r.ratio(), maxRatio, r.kernelMs(), r.yardstickMs(), r.rounds(), r.minRatio(),
        r.maxRatio());
  }
}
