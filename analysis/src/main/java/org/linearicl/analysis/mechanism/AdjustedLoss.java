package org.linearicl.analysis.mechanism;

import java.util.function.IntToDoubleFunction;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.task.Batch;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * The adjusted loss per sequence, {@code 0.5 (yhat - y)^2 - 0.5 (oracle - y)^2}: two predictors
 * measured on the same sequences can be compared pair by pair.
 */
final class AdjustedLoss {
  private AdjustedLoss() {}

  /** Of the model's read-out after its last layer. */
  static double[] perSequence(LinearTransformer model, Batch b, double[] oracle,
      ChunkedExecutor executor) {
    double[][] p = Evaluator.predictAfterEachLayer(model, b, executor);
    return perSequence(p[p.length - 1], oracle, b.yq);
  }

  static double[] perSequence(double[] predictions, double[] oracle, double[] targets) {
    double[] out = new double[targets.length];
    for (int s = 0; s < out.length; s++) {
      double e = predictions[s] - targets[s];
      double o = oracle[s] - targets[s];
      out[s] = 0.5 * e * e - 0.5 * o * o;
    }
    return out;
  }

  /** Mean and standard error of the adjusted loss of {@code predict} (sequence to yhat). */
  static LossSummary summary(Batch b, double[] oracle, IntToDoubleFunction predict) {
    double[] predictions = new double[b.size];
    for (int s = 0; s < b.size; s++) {
      predictions[s] = predict.applyAsDouble(s);
    }
    return LossSummary.of(perSequence(predictions, oracle, b.yq));
  }
}
