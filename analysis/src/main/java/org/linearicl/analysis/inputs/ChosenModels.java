package org.linearicl.analysis.inputs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Predicate;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;

/**
 * Which of the selected models an analysis reads: the chosen seed of (variant, layers), the
 * deepest chosen model of a variant, the model of the paper's fig. 4, every evaluated model in
 * a fixed order.
 */
public final class ChosenModels {
  /** More layers than any profile trains: the search bound of the deepest-model queries. */
  public static final int ANY_DEPTH = 64;

  /** The depth of the paper's fig. 4 model (FULL on {1,3}, whose P and Q it draws). */
  public static final int HEAT_MAP_LAYERS = 4;

  private ChosenModels() {}

  /** The checkpoint of the chosen seed of (variant, layers) on a noise, if it is an input. */
  public static Optional<TrainedModel> chosen(Selection s, Variant variant, int layers,
      SortedMap<String, TrainedModel> checkpoints) {
    return s.choice(variant, layers).map(c -> c.best()).map(checkpoints::get);
  }

  /** The chosen model of {@code variant} with the most layers, stable or not. */
  public static Optional<ModelResult> deepestModel(Selection s, Variant variant) {
    return deepestModel(s, variant, ANY_DEPTH);
  }

  /** The chosen model of {@code variant} with the most layers up to {@code maxLayers}. */
  public static Optional<ModelResult> deepestModel(Selection s, Variant variant,
      int maxLayers) {
    return deepest(s, variant, maxLayers, r -> true);
  }

  /**
   * The chosen model of {@code variant} with the most layers up to {@code maxLayers} that
   * {@code keep} accepts.
   */
  public static Optional<ModelResult> deepest(Selection s, Variant variant, int maxLayers,
      Predicate<ModelResult> keep) {
    for (int l = maxLayers; l >= 1; l--) {
      Optional<ModelResult> m = s.best(variant, l).filter(keep);
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }

  /**
   * The FULL model on {1,3} whose P and Q fig. 4 draws: the 4-layer one as in the paper, else
   * the deepest this profile has. One choice, so the figure and the report's caption agree.
   */
  public static Optional<ModelResult> heatMapModel(SortedMap<String, Selection> sel) {
    Selection s = sel.get(PaperTable1.Column.C13.key());
    if (s == null) {
      return Optional.empty();
    }
    Optional<ModelResult> m = s.best(Variant.FULL, HEAT_MAP_LAYERS);
    return m.isPresent() ? m : deepestModel(s, Variant.FULL);
  }

  /** Every model of every selection in (noise, variant, layers, seed, stage) order. */
  public static List<Map.Entry<String, ModelResult>> allModels(
      SortedMap<String, Selection> sel) {
    List<Map.Entry<String, ModelResult>> out = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      List<ModelResult> ms = new ArrayList<>(e.getValue().evaluation().models());
      ms.sort(Comparator.comparingInt((ModelResult m) -> PaperLayout.variantIndex(m.variant()))
          .thenComparingInt(ModelResult::layers).thenComparingLong(ModelResult::seed)
          .thenComparing(ModelResult::stage));
      for (ModelResult m : ms) {
        out.add(Map.entry(e.getKey(), m));
      }
    }
    return out;
  }
}
