package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.TailCheck;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;

/**
 * When a number of ours is not a measurement that can match the paper's: a model whose tail
 * check failed ({@link ModelResult.Status#UNSTABLE}), or an evaluation that a few sequences
 * dominate by a measure every reader can check from the table itself, a standard error above
 * {@value #SE_SHARE} of a mean above {@value #MIN_MEAN}. A mean over 100,000 sequences with such
 * a standard error is decided by its largest terms; it is reported, marked, and never counted
 * as matching (nor as beating) the paper.
 *
 * <p>Every unstable number says how many sequences decide it ({@link #sequences}): the tail
 * check counts its exploding sequences exactly; an evaluation keeps only its mean, standard
 * error and count, from which the effective number of sequences behind the mean follows
 * ({@link #effectiveCount}).
 */
final class Stability {
  /** Means at or below this are not judged by their standard error (a noiseless deep model). */
  static final double MIN_MEAN = 1e-3;

  /** A standard error above this share of the mean marks the estimate as dominated. */
  static final double SE_SHARE = 0.3;

  private Stability() {}

  /** Whether a few sequences dominate the estimate (or its mean is not finite). */
  static boolean dominated(Estimate e) {
    return dominated(e.mean(), e.se());
  }

  /** {@link #dominated(Estimate)} of a mean and its standard error (NaN: none). */
  static boolean dominated(double mean, double se) {
    return !Double.isFinite(mean) || (mean > MIN_MEAN && se > SE_SHARE * mean);
  }

  /** Why the model's number is unstable, or empty when it is not. */
  static Optional<String> of(ModelResult m) {
    List<String> why = new ArrayList<>();
    if (!m.stable()) {
      why.add(tailText(m.tail()));
    }
    dominance(m.adjusted()).ifPresent(why::add);
    return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
  }

  /** Why a baseline's (or any) estimate is unstable, or empty when it is not. */
  static Optional<String> dominance(Estimate e) {
    if (!dominated(e)) {
      return Optional.empty();
    }
    if (!Double.isFinite(e.mean())) {
      return Optional.of("mean not finite");
    }
    return Optional.of("SE " + percent(e.se() / e.mean()) + " of the mean");
  }

  /**
   * {@code 2 of 1000000 sequences}: how many sequences decide an unstable model's number. A
   * failed tail check counts its exploding fresh sequences; a dominated evaluation gives its
   * {@link #effectiveCount}; a tail check that failed on a non-finite loss, or left no
   * statistics, says so. Empty when the model is stable.
   */
  static Optional<String> sequences(ModelResult m) {
    if (!unstable(m)) {
      return Optional.empty();
    }
    TailCheck.Stats t = m.tail();
    if (!m.stable() && t != null && t.explodedCount() > 0) {
      return Optional.of(t.explodedCount() + " of " + t.samples() + " sequences");
    }
    if (dominated(m.adjusted())) {
      return Optional.of(sequences(m.adjusted()));
    }
    return Optional.of(t == null ? "tail check failed, no count"
        : "a non-finite loss among " + t.samples() + " sequences");
  }

  /**
   * {@code about 2 of 100000 sequences} ({@link #effectiveCount}), or {@code mean not finite
   * over 100000 sequences}, for an estimate.
   */
  static String sequences(Estimate e) {
    if (!Double.isFinite(e.mean()) || !Double.isFinite(e.se()) || e.count() < 2) {
      return "mean not finite over " + e.count() + " sequences";
    }
    return "about " + effectiveCount(e) + " of " + e.count() + " sequences";
  }

  /**
   * The effective number of sequences behind a mean, {@code (sum x)^2 / sum x^2} (Kish's
   * effective sample size of the per-sequence losses), from the mean m, the standard error s and
   * the count n alone: {@code sum x = n m} and {@code sum x^2 = n (n - 1) s^2 + n m^2}, so it is
   * {@code n m^2 / ((n - 1) s^2 + m^2)}, rounded, at least 1. n equal losses give n; one
   * sequence that carries the whole sum gives 1. A dominated estimate ({@link #dominated}: a
   * standard error above 30% of the mean) has at most {@code 1 / 0.09 = 11} of them.
   */
  static long effectiveCount(Estimate e) {
    double n = e.count();
    double m2 = e.mean() * e.mean();
    double k = n * m2 / ((n - 1) * e.se() * e.se() + m2);
    return Math.max(1, Math.min(e.count(), Math.round(k)));
  }

  /** Whether the model's number is unstable. */
  static boolean unstable(ModelResult m) {
    return of(m).isPresent();
  }

  /** The chosen model of {@code variant} with the most layers whose number is stable. */
  static Optional<ModelResult> deepestStable(Selection s, Variant variant) {
    return deepestStable(s, variant, ChosenModels.ANY_DEPTH);
  }

  /** As {@link #deepestStable(Selection, Variant)}, up to {@code maxLayers} layers. */
  static Optional<ModelResult> deepestStable(Selection s, Variant variant, int maxLayers) {
    return ChosenModels.deepest(s, variant, maxLayers, r -> !unstable(r));
  }

  /** {@code 45%}, {@code 0.1%}: a share in percent, 3 significant digits. */
  static String percent(double share) {
    return LossFormat.format(100 * share) + "%";
  }

  private static String tailText(TailCheck.Stats t) {
    if (t == null) {
      return "tail check failed";
    }
    return Prose.f("tail check failed: %d of %d fresh sequences explode and carry %s of the "
        + "adjusted loss (max loss %s)", t.explodedCount(), t.samples(),
        percent(t.explodedShare()), LossFormat.format(t.maxLoss()));
  }
}
