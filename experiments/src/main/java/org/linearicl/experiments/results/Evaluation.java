package org.linearicl.experiments.results;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.linearicl.baselines.TunedBaselines;

/**
 * Everything evaluated for one noise distribution, on one shared set of sequences: the oracle,
 * the tuned baselines, every trained model (all seeds) and the per-variance profiles.
 *
 * @param noiseKey the paper's column key (u0..u7, c13, c135, or the distribution's own key)
 * @param samples evaluation sequences (stream EVALUATION, {@code seed})
 * @param profileSigma the fixed sigmas of the per-variance profiles
 * @param profileSamples sequences per profile point
 * @param gdByK the GD estimator's adjusted loss for K = 1..max (each K with its tuned step)
 */
public record Evaluation(String noise, String noiseKey, int d, int n, int samples, long seed,
    double[] profileSigma, int profileSamples, Estimate oracleLoss, TunedBaselines tuned,
    List<PredictorResult> baselines, Series gdByK, List<ModelResult> models) {
  public Evaluation {
    Objects.requireNonNull(noise, "noise");
    Objects.requireNonNull(tuned, "tuned");
    profileSigma = profileSigma.clone();
    baselines = List.copyOf(baselines);
    models = List.copyOf(models);
  }

  @Override
  public double[] profileSigma() {
    return profileSigma.clone();
  }

  /** The baseline named {@code name} (oracle, const_rr, ada_rr, tuned_rr, bayes, gd). */
  public Optional<PredictorResult> baseline(String name) {
    return baselines.stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
