package org.linearicl.analysis.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.core.train.TailCheck;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.ModelResult;

/**
 * When a number of ours is not a measurement that can match the paper's: a model whose tail
 * check failed ({@link ModelResult.Status#UNSTABLE}), or an evaluation that a few sequences
 * dominate by a measure every reader can check from the table itself, a standard error above
 * {@value #SE_SHARE} of a mean above {@value #MIN_MEAN}. A mean over 100,000 sequences with such
 * a standard error is decided by its largest terms; it is reported, marked, and never counted
 * as matching (nor as beating) the paper.
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

  /** Whether the model's number is unstable. */
  static boolean unstable(ModelResult m) {
    return of(m).isPresent();
  }

  /** {@code 45%}, {@code 0.1%}: a share in percent, 3 significant digits. */
  static String percent(double share) {
    return LossFormat.format(100 * share) + "%";
  }

  private static String tailText(TailCheck.Stats t) {
    if (t == null) {
      return "tail check failed";
    }
    return Inputs.f("tail check failed: %d of %d fresh sequences explode and carry %s of the "
        + "adjusted loss (max loss %s)", t.explodedCount(), t.samples(),
        percent(t.explodedShare()), LossFormat.format(t.maxLoss()));
  }
}
