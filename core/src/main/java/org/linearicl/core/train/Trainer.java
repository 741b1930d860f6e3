package org.linearicl.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;

/**
 * Trains a linear transformer with Adam on freshly sampled sequences (SPEC 3).
 *
 * <p>Each step draws {@code batchSize} sequences from the stream
 * {@code (seed, TRAIN_BATCHES, step)}, computes the gradient of the mean loss in fixed chunks of
 * {@link #GRADIENT_CHUNK} sequences, adds the chunks in chunk order, optionally clips the global
 * norm, and takes an Adam step with the scheduled rate. The result is bit-identical for every
 * thread count.
 */
public final class Trainer {
  /** Sequences per gradient chunk: the unit of parallel work and of the fixed-order reduction. */
  public static final int GRADIENT_CHUNK = 64;

  /** Steps in the divergence window: see {@link DivergenceMonitor}. */
  public static final int DIVERGENCE_WINDOW = DivergenceMonitor.WINDOW;

  /** Minimum wall time between two progress reports. */
  public static final double PROGRESS_SECONDS = 5.0;

  private final TrainingConfig config;
  private final ChunkedExecutor executor;

  public Trainer(TrainingConfig config, ChunkedExecutor executor) {
    this.config = Objects.requireNonNull(config, "config");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** The initialisation: every parameter N(0, initStd^2) from the stream (seed, INIT). */
  public static double[] initialParams(TrainingConfig config) {
    ModelShape shape = config.shape();
    Gaussian g = new Gaussian(Streams.of(config.seed(), Streams.Purpose.INIT));
    double[] params = new double[shape.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = config.initStd() * g.next();
    }
    return params;
  }

  /**
   * A warm start (a curriculum over depth): the parameters of a trained model with
   * {@code from.layers() <= config.layers()} layers of the same variant, heads and d, with the
   * layers it lacks taken from {@link #initialParams(TrainingConfig)}. The model's layers come
   * first, since a new last layer near zero is close to the identity map, so the extended model
   * starts near the trained model's predictions.
   */
  public static double[] initialParams(TrainingConfig config, ModelShape from,
      double[] fromParams) {
    ModelShape to = config.shape();
    if (from.variant() != to.variant() || from.heads() != to.heads() || from.d() != to.d()
        || from.layers() > to.layers()) {
      throw new IllegalArgumentException("cannot start a " + to + " from a " + from
          + ": variant, heads and d must agree and the model may not have more layers");
    }
    if (fromParams.length != from.size()) {
      throw new IllegalArgumentException("parameters have length " + fromParams.length
          + ", expected " + from.size() + " for " + from);
    }
    double[] params = initialParams(config);
    System.arraycopy(fromParams, 0, params, 0, fromParams.length);
    return params;
  }

  /** Trains from {@link #initialParams}. */
  public TrainingResult train(TrainingListener listener) {
    return train(initialParams(config), listener);
  }

  /**
   * Trains from the given parameters (for example a shallower trained model extended by a layer).
   *
   * @throws TrainingDivergedException if a batch loss is not finite or explodes
   */
  public TrainingResult train(double[] initial, TrainingListener listener) {
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
    double[] grad = new double[shape.size()];
    Adam adam = new Adam(config.adam(), shape.size());

    List<Long> curveSteps = new ArrayList<>();
    List<Double> curveLosses = new ArrayList<>();
    long start = System.nanoTime();
    double curveSum = 0.0;
    int curveCount = 0;
    double progressSum = 0.0;
    int progressCount = 0;
    long lastProgress = start;
    long steps = config.steps();
    DivergenceMonitor divergence = new DivergenceMonitor(config.divergenceFactor());

    for (long step = 0; step < steps; step++) {
      final long index = step;
      if (fused) {
        // One task per sampling chunk: draw its sequences, then the gradients of the gradient
        // chunks inside it while they are still in cache; one barrier per step.
        executor.run(sampleChunks, (worker, sc) -> {
          sampler.fillChunks(batch, config.seed(), Streams.Purpose.TRAIN_BATCHES, index, sc,
              sc + 1);
          int last = Math.min(gradChunks, (sc + 1) * gradPerSample);
          for (int c = sc * gradPerSample; c < last; c++) {
            gradientChunk(kernels[worker], params, batch, c, chunkGrad[c], chunkLoss);
          }
        });
      } else {
        executor.run(sampleChunks, c -> sampler.fillChunks(batch, config.seed(),
            Streams.Purpose.TRAIN_BATCHES, index, c, c + 1));
        executor.run(gradChunks, (worker, c) ->
            gradientChunk(kernels[worker], params, batch, c, chunkGrad[c], chunkLoss));
      }
      // fixed-order reduction: chunk 0, 1, 2, ... whatever thread computed each
      java.util.Arrays.fill(grad, 0.0);
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
      // a batch that overflowed on a rare sequence has no usable gradient: no update
      boolean finite = divergence.observe(loss, normSq);
      double lr = config.adam().lr() * config.schedule().factor(step, steps);
      if (finite) {
        double norm = Math.sqrt(normSq);
        if (config.clipNorm() > 0 && norm > config.clipNorm()) {
          double scale = config.clipNorm() / norm;
          for (int i = 0; i < grad.length; i++) {
            grad[i] *= scale;
          }
        }
        adam.step(params, grad, lr);
        curveSum += loss;
        curveCount++;
        progressSum += loss;
        progressCount++;
      }
      listener.afterStep(step + 1, params);
      long now = System.nanoTime();
      boolean last = step + 1 == steps;
      if (((step + 1) % config.curveEvery() == 0 || last) && curveCount > 0) {
        curveSteps.add(step + 1);
        curveLosses.add(curveSum / curveCount);
        curveSum = 0.0;
        curveCount = 0;
      }
      if (last || (now - lastProgress) * 1e-9 >= PROGRESS_SECONDS) {
        double elapsed = (now - start) * 1e-9;
        double rate = (step + 1) / elapsed;
        listener.onProgress(new TrainingProgress(step + 1, steps, progressSum / progressCount,
            lr, rate, (steps - step - 1) / rate));
        progressSum = 0.0;
        progressCount = 0;
        lastProgress = now;
      }
    }
    for (double p : params) {
      if (!Double.isFinite(p)) {
        throw new TrainingDivergedException(steps, "training produced non-finite parameters");
      }
    }
    long[] cs = new long[curveSteps.size()];
    double[] cl = new double[cs.length];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = curveSteps.get(i);
      cl[i] = curveLosses.get(i);
    }
    return new TrainingResult(params, new TrainingCurve(cs, cl),
        (System.nanoTime() - start) * 1e-9, divergence.skipped());
  }

  /** The summed loss and gradient of gradient chunk {@code c} into its own slots. */
  private static void gradientChunk(GradientKernel kernel, double[] params, Batch batch, int c,
      double[] g, double[] chunkLoss) {
    java.util.Arrays.fill(g, 0.0);
    int from = c * GRADIENT_CHUNK;
    int to = Math.min(batch.size, from + GRADIENT_CHUNK);
    chunkLoss[c] = kernel.accumulate(params, batch, from, to, g);
  }
}
