/**
 * The yardsticks of every figure (docs/method.md, evaluation and baselines): ridge regression with
 * the true noise (the oracle), ConstRR, AdaRR, TunedRR, the Bayes-optimal predictor for the noise
 * mixture, and an iterative gradient-descent estimator; their tuning on sequences of their own; and
 * their evaluation on exactly the sequences the transformers are evaluated on.
 *
 * <p>Every predictor is a function of a sequence's spectral statistics ({@link SpectralBatch}):
 * with {@code Sigma = V diag(ev) V^T}, {@code beta = V^T alpha} and {@code xt = V^T x_t}, ridge
 * with any lambda predicts {@code sum_i beta_i xt_i / (ev_i + lambda)} in O(d).
 *
 * <p>{@link org.linearicl.baselines.PredictorId} names every predictor the project evaluates, the
 * transformer variants included: its id in the results, its label in tables and figures, its
 * kind.
 */
package org.linearicl.baselines;
