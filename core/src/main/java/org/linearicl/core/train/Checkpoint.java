package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;

/**
 * A trained model with everything needed to trust and reproduce it: the full training config
 * (recipe, seed, task), the parameters, the training curve, and the final evaluation on
 * {@code evalSamples} sequences drawn from {@code (evalSeed, EVALUATION)}. Deterministic content
 * only (no wall times), so equal runs give equal checkpoints.
 */
public record Checkpoint(TrainingConfig config, double[] params, TrainingCurve curve,
    int evalSamples, long evalSeed, PairedEvaluation evaluation) {
  public Checkpoint {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(evaluation, "evaluation");
    if (params.length != config.shape().size()) {
      throw new IllegalArgumentException("checkpoint params have length " + params.length
          + ", expected " + config.shape().size() + " for " + config.shape());
    }
    params = params.clone();
  }

  @Override
  public double[] params() {
    return params.clone();
  }

  /** The trained model. */
  public LinearTransformer model() {
    return new LinearTransformer(config.shape(), params);
  }
}
