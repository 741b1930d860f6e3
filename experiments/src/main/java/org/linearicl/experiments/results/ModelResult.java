package org.linearicl.experiments.results;

import java.util.List;
import java.util.Locale;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.TailCheck;
import org.linearicl.core.util.Require;

/**
 * One trained model (one seed) on the evaluation sequences.
 *
 * @param stage the pipeline stage that trained it
 * @param status whether its tail check passed ({@link Status#UNSTABLE}: a few rare sequences
 *     decide its mean loss; its numbers are reported, flagged, and never preferred)
 * @param chosen the candidate the training chose (scratch-K, a warm start, ...)
 * @param adamSteps Adam updates behind the chosen candidate
 * @param rejectedSteps Adam steps undone on overflow, over every candidate
 * @param trainSequences sequences the training evaluated (Adam batches and polish samples)
 * @param validationAdjusted the adjusted loss on the validation sequences (used by select)
 * @param tail the chosen candidate's tail check (null if it had none)
 * @param confirm the adjusted loss on a second, independent evaluation set (a better number than
 *     the paper's is confirmed there)
 * @param perLayerAdjusted the adjusted loss of the prediction read out after layer K = 1..L
 * @param perLayerDiff for K = 1..L, the mean per-sequence change of the loss from the read-out
 *     after layer K-1 (after layer 0: the zero prediction, before any layer) to the one after
 *     layer K, with its paired standard error (the SE of that per-sequence difference; the
 *     oracle cancels, so it is the step of the adjusted loss)
 * @param profileLoss the final prediction's unadjusted loss at each profile sigma
 * @param profileAdjustedByLayer for K = 1..L, the adjusted loss at each profile sigma of the
 *     prediction read out after layer K (the last one is the model's profile)
 */
public record ModelResult(String stage, Variant variant, int layers, int heads, long seed,
    Status status, String chosen, long adamSteps, long rejectedSteps, long trainSequences,
    double validationAdjusted, TailCheck.Stats tail, Estimate loss, Estimate adjusted,
    Estimate confirm, Series perLayerAdjusted, Series perLayerDiff, Series profileLoss, List<Series> profileAdjustedByLayer) {

  /** The outcome of a model's tail check. */
  public enum Status {
    STABLE,
    UNSTABLE;

    /** The lower-case name used in JSON and tables. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #text()}. */
    public static Status parse(String text) {
      for (Status s : values()) {
        if (s.text().equals(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException("status must be 'stable' or 'unstable', got '" + text
          + "'");
    }
  }

  public ModelResult {
    Require.nonNull("stage", stage, "variant", variant, "status", status, "chosen", chosen,
        "loss", loss, "adjusted", adjusted, "confirm", confirm,
        "perLayerAdjusted", perLayerAdjusted, "perLayerDiff", perLayerDiff,
        "profileLoss", profileLoss);
    if (perLayerAdjusted.size() != layers || perLayerDiff.size() != layers) {
      throw new IllegalArgumentException(stage + ": " + perLayerAdjusted.size()
          + " per-layer losses and " + perLayerDiff.size() + " per-layer steps for " + layers
          + " layer(s)");
    }
    if (profileAdjustedByLayer.size() != layers) {
      throw new IllegalArgumentException(stage + ": " + profileAdjustedByLayer.size()
          + " per-layer profiles for " + layers + " layer(s)");
    }
    profileAdjustedByLayer = List.copyOf(profileAdjustedByLayer);
  }

  public boolean stable() {
    return status == Status.STABLE;
  }

  /** The final layer's adjusted profile. */
  public Series profileAdjusted() {
    return profileAdjustedByLayer.get(layers - 1);
  }
}
