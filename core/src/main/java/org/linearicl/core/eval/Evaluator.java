package org.linearicl.core.eval;

import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.OracleRidge;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Evaluates a model on a fixed set of sequences against the oracle ridge (docs/method.md,
 * evaluation and baselines), in parallel chunks; every per-sequence number is independent of the
 * thread count, and the summaries add them in index order.
 */
public final class Evaluator {
  private static final int CHUNK = 256;

  private Evaluator() {}

  /** The oracle's predictions for every sequence of {@code batch}. */
  public static double[] oraclePredictions(Batch batch, ChunkedExecutor executor) {
    double[] out = new double[batch.size];
    executor.run(chunks(batch), c -> OracleRidge.predict(batch, c * CHUNK,
        Math.min(batch.size, (c + 1) * CHUNK), out));
    return out;
  }

  /** Predictions after every layer: {@code [layers][batch.size]}, the last row final. */
  public static double[][] predictAfterEachLayer(LinearTransformer model, Batch batch,
      ChunkedExecutor executor) {
    ModelShape shape = model.shape();
    double[] params = model.params();
    double[][] perLayer = new double[shape.layers()][batch.size];
    double[] last = new double[batch.size];
    GradientKernel[] kernels = new GradientKernel[executor.threads()];
    for (int w = 0; w < kernels.length; w++) {
      kernels[w] = new GradientKernel(shape, batch.n);
    }
    executor.run(chunks(batch), (worker, c) -> kernels[worker].predict(params, batch, c * CHUNK,
        Math.min(batch.size, (c + 1) * CHUNK), perLayer, last));
    return perLayer;
  }

  /** The model's final-layer loss and adjusted loss on {@code batch}. */
  public static PairedEvaluation evaluate(LinearTransformer model, Batch batch,
      double[] oraclePredictions, ChunkedExecutor executor) {
    double[][] perLayer = predictAfterEachLayer(model, batch, executor);
    return PairedEvaluation.of(perLayer[perLayer.length - 1], oraclePredictions, batch.yq);
  }

  private static int chunks(Batch batch) {
    return (batch.size + CHUNK - 1) / CHUNK;
  }
}
