package org.linearicl.analysis.kinds;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.PredictorId;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;

/**
 * The per-model tables the {@code table1} stage publishes beside Table 1, every seed of every
 * model in (noise, variant, layers, seed) order ({@link ChosenModels#allModels}): the read-out
 * after each layer ({@value #READOUT_CSV}), the per-variance profiles ({@value #PROFILES_CSV})
 * and the seeds with the one select chose ({@value #SEEDS_CSV}). The noise column is the
 * setting's key ({@code u5}, {@code c13}), as in the training table.
 */
final class ModelTables {
  static final String READOUT_CSV = "tables/readout_by_layer.csv";
  static final String PROFILES_CSV = "tables/profiles.csv";
  static final String SEEDS_CSV = "tables/seeds.csv";

  /** The tables, in reading order. */
  static final List<String> TABLES = List.of(READOUT_CSV, PROFILES_CSV, SEEDS_CSV);

  /** The setting whose profiles are published after every layer, not only the last (fig. 7). */
  static final String EVERY_LAYER_NOISE = PaperTable1.Column.U5.key();

  /** The ridge baselines published beside the models' profiles. */
  static final List<PredictorId> PROFILE_BASELINES = List.of(PredictorId.CONST_RR,
      PredictorId.ADA_RR, PredictorId.TUNED_RR);

  private ModelTables() {}

  /**
   * One row per model (every seed) and layer: the adjusted loss of the prediction read out after
   * that layer with its standard error, and {@code diff_se}, the paired standard error of the
   * per-sequence change from the read-out after the layer before (after layer 0: zero).
   */
  static Table readoutByLayer(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("The read-out after every layer", "variant", "layers",
        "noise", "seed", "after_layer", "adjusted_loss", "se", "diff_se");
    for (Map.Entry<String, ModelResult> e : ChosenModels.allModels(sel)) {
      ModelResult m = e.getValue();
      Series per = m.perLayerAdjusted();
      for (int l = 0; l < m.layers(); l++) {
        b.row(Cell.text(PaperLayout.label(m.variant())), integer(m.layers()),
            Cell.text(e.getKey()), integer(m.seed()), integer(l + 1), Cell.of(per.mean(l)),
            Cell.of(per.se(l)), Cell.of(m.perLayerDiff().se(l)));
      }
    }
    return b.build();
  }

  /**
   * The adjusted loss at each profile sigma: per noise, the final layer of every model (every
   * layer of the {@value #EVERY_LAYER_NOISE} models), then ConstRR, AdaRR and TunedRR on the same
   * grid (evaluate computes them all on one set of sequences per sigma), their layers, seed and
   * after_layer empty.
   */
  static Table profiles(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Per-variance profiles: adjusted loss at fixed sigmas",
        "variant", "layers", "noise", "seed", "after_layer", "sigma", "adjusted_loss", "se");
    List<Map.Entry<String, ModelResult>> all = ChosenModels.allModels(sel);
    for (Map.Entry<String, Selection> s : sel.entrySet()) {
      String noise = s.getKey();
      Evaluation ev = s.getValue().evaluation();
      double[] sigma = ev.profileSigma();
      for (Map.Entry<String, ModelResult> e : all) {
        if (!e.getKey().equals(noise)) {
          continue;
        }
        ModelResult m = e.getValue();
        int first = noise.equals(EVERY_LAYER_NOISE) ? 0 : m.layers() - 1;
        for (int l = first; l < m.layers(); l++) {
          Series p = m.profileAdjustedByLayer().get(l);
          for (int i = 0; i < sigma.length; i++) {
            b.row(Cell.text(PaperLayout.label(m.variant())), integer(m.layers()),
                Cell.text(noise), integer(m.seed()), integer(l + 1), Cell.of(sigma[i]),
                Cell.of(p.mean(i)), Cell.of(p.se(i)));
          }
        }
      }
      for (PredictorId id : PROFILE_BASELINES) {
        PredictorResult r = ev.baseline(id.id()).orElse(null);
        if (r == null) {
          continue;
        }
        Series p = r.profileAdjusted();
        for (int i = 0; i < sigma.length; i++) {
          b.row(Cell.text(id.label()), Cell.empty(), Cell.text(noise), Cell.empty(),
              Cell.empty(), Cell.of(sigma[i]), Cell.of(p.mean(i)), Cell.of(p.se(i)));
        }
      }
    }
    return b.build();
  }

  /**
   * One row per model (every seed): its tail-check status, validation loss (which chooses the
   * seed), adjusted evaluation loss with its standard error, and whether select chose it.
   */
  static Table seeds(SortedMap<String, Selection> sel) {
    Table.Builder b = Table.builder("Every seed and the one chosen (the best validation loss "
        + "among the stable seeds)", "variant", "layers", "noise", "seed", "status",
        "validation_adjusted", "adjusted_loss", "se", "chosen");
    for (Map.Entry<String, ModelResult> e : ChosenModels.allModels(sel)) {
      ModelResult m = e.getValue();
      boolean chosen = sel.get(e.getKey()).choice(m.variant(), m.layers())
          .map(c -> c.best().equals(m.stage())).orElse(false);
      b.row(Cell.text(PaperLayout.label(m.variant())), integer(m.layers()),
          Cell.text(e.getKey()), integer(m.seed()), Cell.text(m.status().text()),
          Cell.of(m.validationAdjusted()), Cell.of(m.adjusted().mean()),
          Cell.of(m.adjusted().se()), Cell.text(Boolean.toString(chosen)));
    }
    return b.build();
  }

  private static Cell integer(long v) {
    return Cell.text(Long.toString(v));
  }
}
