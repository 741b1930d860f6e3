package org.linearicl.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * The exploration phase of the recipe: Adam on freshly sampled sequences, one run from given
 * parameters at a time ({@link Training} runs the whole recipe around it).
 *
 * <p>Each step draws {@code batchSize} sequences from the stream
 * {@code (seed, TRAIN_BATCHES, run, step)}, computes the gradient of the mean loss in fixed
 * chunks of {@link #GRADIENT_CHUNK} sequences, adds the chunks in chunk order, optionally clips
 * the global norm, and takes an Adam step with the scheduled rate. The result is bit-identical
 * for every thread count.
 *
 * <p><b>Rejected steps.</b> An L-layer model's prediction is a polynomial of degree about 3^L in
 * the data, so a step can carry the model into a region where a rare sequence's loss or gradient
 * overflows. When a batch's loss or gradient is not finite, the step that led there is rejected:
 * parameters and Adam's moments return to their values before it, and the step size halves; it
 * recovers by a factor of two every {@link #RECOVERY_STEPS} accepted steps. Nothing is skipped
 * silently: the result counts the rejections.
 */
public final class AdamTrainer {
  /** Sequences per gradient chunk: the unit of parallel work and of the fixed-order reduction. */
  public static final int GRADIENT_CHUNK = 64;

  /** Accepted steps over which a halved step size doubles again. */
  public static final int RECOVERY_STEPS = 100;

  /** The run ends early when rejections have cut the step size below this factor. */
  public static final double MIN_BACKOFF = 1e-6;

  /** Minimum wall time between two progress reports. */
  public static final double PROGRESS_SECONDS = 5.0;

  private final TrainingConfig config;
  private final ChunkedExecutor executor;

  /**
   * The outcome of one Adam run.
   *
   * @param params the final parameters (layout of {@link TrainingConfig#shape()})
   * @param curve the training loss over time
   * @param seconds wall time of the run
   * @param takenSteps Adam updates applied
   * @param rejectedSteps steps undone because the next batch's loss or gradient overflowed
   */
  public record Result(double[] params, TrainingCurve curve, double seconds, long takenSteps,
      long rejectedSteps) {
    public Result {
      params = params.clone();
    }

    @Override
    public double[] params() {
      return params.clone();
    }
  }

  public AdamTrainer(TrainingConfig config, ChunkedExecutor executor) {
    this.config = Objects.requireNonNull(config, "config");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Initialisation {@code start}: every parameter N(0, initStd^2), stream (seed, INIT, start). */
  public static double[] initialParams(TrainingConfig config, int start) {
    ModelShape shape = config.shape();
    Gaussian g = new Gaussian(Streams.of(config.seed(), Streams.Purpose.INIT, start));
    double[] params = new double[shape.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = config.initStd() * g.next();
    }
    return params;
  }

  /**
   * Trains from {@code initial} for {@code steps} Adam steps at base rate {@code lr} on the
   * batches of stream {@code run}.
   */
  public Result train(double[] initial, long steps, double lr0, long run,
      TrainingListener listener) {
    ModelShape shape = config.shape();
    if (initial.length != shape.size()) {
      throw new IllegalArgumentException("initial parameters have length " + initial.length
          + ", expected " + shape.size() + " for " + shape);
    }
    int batchSize = config.batchSize();
    TaskSampler sampler = new TaskSampler(config.task());
    Batch batch = new Batch(batchSize, config.task().d(), config.task().n());
    int sampleChunks = TaskSampler.chunkCount(batchSize);
    int gradChunks = (batchSize + GRADIENT_CHUNK - 1) / GRADIENT_CHUNK;
    GradientKernel[] kernels = new GradientKernel[executor.threads()];
    for (int w = 0; w < kernels.length; w++) {
      kernels[w] = new GradientKernel(shape, config.task().n());
    }
    // Fuse sampling and gradients when there are enough sampling chunks to keep every thread
    // busy; either way each gradient chunk sees the same sequences and is reduced in order.
    int gradPerSample = TaskSampler.CHUNK / GRADIENT_CHUNK;
    boolean fused = sampleChunks >= executor.threads();
    double[][] chunkGrad = new double[gradChunks][shape.size()];
    double[] chunkLoss = new double[gradChunks];
    double[] params = initial.clone();
    double[] before = initial.clone();
    double[] grad = new double[shape.size()];
    Adam adam = new Adam(config.adam(), shape.size());
    Adam adamBefore = new Adam(config.adam(), shape.size());

    List<Long> curveSteps = new ArrayList<>();
    List<Double> curveLosses = new ArrayList<>();
    long start = System.nanoTime();
    double curveSum = 0.0;
    int curveCount = 0;
    double progressSum = 0.0;
    int progressCount = 0;
    long lastProgress = start;
    double backoff = 1.0;
    double recovery = StrictMath.pow(2.0, 1.0 / RECOVERY_STEPS);
    long rejected = 0;
    long taken = 0;
    for (long step = 0; step < steps; step++) {
      final long index = step;
      final double[] at = params;
      if (fused) {
        // One task per sampling chunk: draw its sequences, then the gradients of the gradient
        // chunks inside it while they are still in cache; one barrier per step.
        executor.run(sampleChunks, (worker, sc) -> {
          sampler.fillChunks(batch, config.seed(), Streams.Purpose.TRAIN_BATCHES, run, index, sc,
              sc + 1);
          int last = Math.min(gradChunks, (sc + 1) * gradPerSample);
          for (int c = sc * gradPerSample; c < last; c++) {
            gradientChunk(kernels[worker], at, batch, c, chunkGrad[c], chunkLoss);
          }
        });
      } else {
        executor.run(sampleChunks, c -> sampler.fillChunks(batch, config.seed(),
            Streams.Purpose.TRAIN_BATCHES, run, index, c, c + 1));
        executor.run(gradChunks, (worker, c) ->
            gradientChunk(kernels[worker], at, batch, c, chunkGrad[c], chunkLoss));
      }
      // fixed-order reduction: chunk 0, 1, 2, ... whatever thread computed each
      Arrays.fill(grad, 0.0);
      double lossSum = 0.0;
      for (int c = 0; c < gradChunks; c++) {
        lossSum += chunkLoss[c];
        double[] g = chunkGrad[c];
        for (int i = 0; i < grad.length; i++) {
          grad[i] += g[i];
        }
      }
      double loss = lossSum / batchSize;
      double normSq = 0.0;
      for (int i = 0; i < grad.length; i++) {
        grad[i] /= batchSize;
        normSq += grad[i] * grad[i];
      }
      double lr = 0.0;
      if (Double.isFinite(loss) && Double.isFinite(normSq)) {
        System.arraycopy(params, 0, before, 0, params.length);
        adam.saveTo(adamBefore);
        double norm = Math.sqrt(normSq);
        if (config.clipNorm() > 0 && norm > config.clipNorm()) {
          double scale = config.clipNorm() / norm;
          for (int i = 0; i < grad.length; i++) {
            grad[i] *= scale;
          }
        }
        lr = lr0 * config.schedule().factor(step, steps) * backoff;
        adam.step(params, grad, lr);
        backoff = Math.min(1.0, backoff * recovery);
        taken++;
        curveSum += loss;
        curveCount++;
        progressSum += loss;
        progressCount++;
      } else {
        // the last step went somewhere a sequence overflows: undo it and take smaller steps
        rejected++;
        System.arraycopy(before, 0, params, 0, params.length);
        adamBefore.saveTo(adam);
        backoff *= 0.5;
      }
      listener.afterStep(step + 1, params);
      long now = System.nanoTime();
      boolean last = step + 1 == steps || backoff < MIN_BACKOFF;
      if (((step + 1) % config.curveEvery() == 0 || last) && curveCount > 0) {
        curveSteps.add(step + 1);
        curveLosses.add(curveSum / curveCount);
        curveSum = 0.0;
        curveCount = 0;
      }
      if (last || (now - lastProgress) * 1e-9 >= PROGRESS_SECONDS) {
        double elapsed = (now - start) * 1e-9;
        double rate = (step + 1) / elapsed;
        listener.onProgress(new TrainingProgress(step + 1, steps,
            progressCount == 0 ? Double.NaN : progressSum / progressCount, lr, rate,
            (steps - step - 1) / rate));
        progressSum = 0.0;
        progressCount = 0;
        lastProgress = now;
      }
      if (backoff < MIN_BACKOFF) {
        break; // every direction overflows: keep the last good parameters
      }
    }
    long[] cs = new long[curveSteps.size()];
    double[] cl = new double[cs.length];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = curveSteps.get(i);
      cl[i] = curveLosses.get(i);
    }
    return new Result(params, new TrainingCurve(cs, cl),
        (System.nanoTime() - start) * 1e-9, taken, rejected);
  }

  /** The summed loss and gradient of gradient chunk {@code c} into its own slots. */
  private static void gradientChunk(GradientKernel kernel, double[] params, Batch batch, int c,
      double[] g, double[] chunkLoss) {
    Arrays.fill(g, 0.0);
    int from = c * GRADIENT_CHUNK;
    int to = Math.min(batch.size, from + GRADIENT_CHUNK);
    chunkLoss[c] = kernel.accumulate(params, batch, from, to, g);
  }
}
