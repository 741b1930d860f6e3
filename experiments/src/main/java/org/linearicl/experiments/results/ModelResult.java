package org.linearicl.experiments.results;

import java.util.List;
import java.util.Objects;

/**
 * One trained model (one seed) on the evaluation sequences.
 *
 * <p>A model whose training diverged even after its learning-rate back-offs has {@code status}
 * {@code "diverged"} and no numbers (the loss fields are null, the lists empty): the grid goes
 * on, and the tables show the cell as missing.
 *
 * @param stage the pipeline stage that trained it
 * @param steps Adam steps of the successful attempt
 * @param lr the learning rate of the successful attempt (after back-offs)
 * @param restarts how many times training restarted with half the rate
 * @param validationAdjusted the adjusted loss on the validation sequences (used by select)
 * @param perLayerAdjusted the adjusted loss of the prediction read out after layer K = 1..L
 * @param profileLoss the final prediction's unadjusted loss at each profile sigma
 * @param profileAdjustedByLayer for K = 1..L, the adjusted loss at each profile sigma of the
 *     prediction read out after layer K (the last one is the model's profile)
 */
public record ModelResult(String stage, String variant, int layers, int heads, long seed,
    String status, long steps, int batch, double lr, int restarts, double validationAdjusted,
    Estimate loss, Estimate adjusted, Series perLayerAdjusted, Series profileLoss,
    List<Series> profileAdjustedByLayer) {
  public static final String OK = "ok";
  public static final String DIVERGED = "diverged";

  public ModelResult {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(variant, "variant");
    if (!OK.equals(status) && !DIVERGED.equals(status)) {
      throw new IllegalArgumentException("status must be 'ok' or 'diverged', got " + status);
    }
    if (OK.equals(status) && (loss == null || adjusted == null || perLayerAdjusted == null
        || profileLoss == null || profileAdjustedByLayer.size() != layers)) {
      throw new IllegalArgumentException(stage + ": a model with status ok needs every result");
    }
    profileAdjustedByLayer = List.copyOf(profileAdjustedByLayer);
  }

  public boolean ok() {
    return OK.equals(status);
  }

  /** The final layer's adjusted profile. */
  public Series profileAdjusted() {
    return profileAdjustedByLayer.get(layers - 1);
  }
}
