package org.linearicl.baselines;

/**
 * A baseline predictor: maps each sequence to its prediction of the query target. One call
 * signature for every baseline, so evaluation treats them alike.
 */
public interface Predictor {
  /** Which predictor this is (its name, label and kind). */
  PredictorId id();

  /** The name in JSON and the results, e.g. {@code const_rr}: {@link PredictorId#id()}. */
  default String name() {
    return id().id();
  }

  /** The prediction for sequence {@code s}. */
  double predict(SpectralBatch batch, int s);

  /** The tuned or fixed parameters, by name (empty when there are none). */
  default java.util.SortedMap<String, Double> parameters() {
    return new java.util.TreeMap<>();
  }

  /** Predictions for every sequence. */
  default double[] predictAll(SpectralBatch batch) {
    double[] out = new double[batch.size];
    for (int s = 0; s < batch.size; s++) {
      out[s] = predict(batch, s);
    }
    return out;
  }
}
