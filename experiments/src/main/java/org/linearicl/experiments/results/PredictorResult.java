package org.linearicl.experiments.results;

import java.util.Objects;

/**
 * One baseline on the evaluation sequences: loss, adjusted loss (minus the oracle on the same
 * sequences) and the per-variance profile on {@link Evaluation#profileSigma()}.
 *
 * @param name oracle, const_rr, ada_rr, tuned_rr, bayes or gd
 * @param profileLoss the unadjusted loss at each fixed sigma
 * @param profileAdjusted the adjusted loss at each fixed sigma
 */
public record PredictorResult(String name, Estimate loss, Estimate adjusted, Series profileLoss,
    Series profileAdjusted) {
  public PredictorResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(adjusted, "adjusted");
    Objects.requireNonNull(profileLoss, "profileLoss");
    Objects.requireNonNull(profileAdjusted, "profileAdjusted");
  }
}
