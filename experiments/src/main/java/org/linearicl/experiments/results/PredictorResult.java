package org.linearicl.experiments.results;

import org.linearicl.core.util.Require;

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
    Require.nonNull("name", name, "loss", loss, "adjusted", adjusted, "profileLoss", profileLoss,
        "profileAdjusted", profileAdjusted);
  }
}
