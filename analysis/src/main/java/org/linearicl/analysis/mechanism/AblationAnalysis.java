package org.linearicl.analysis.mechanism;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.HeatMap;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Table;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.StageContext;

/**
 * When each term reaches the prediction: for the chosen DIAG models of the ablated noises with 2
 * layers and up, one term of one layer zeroed ({@link Ablation}), the change of the loss read out
 * after every later layer, paired on fresh sequences ({@value #TABLE}); the heat map of the
 * deepest such model of Table 1 on the first noise ({@value #FIGURE}).
 */
public final class AblationAnalysis {
  public static final String TABLE = "tables/mechanism_ablation.csv";
  public static final String FIGURE = "mechanism_ablation";
  /** The relative change at which the colour scale starts its first decade. */
  static final double RESOLUTION = 1e-3;
  /** Decades the colour scale spans: a relative change of 1000 or more saturates. */
  static final double DECADES = 6;

  private AblationAnalysis() {}

  /** Ablates the models; reports its progress from 0 to 0.5 of the stage. */
  public static void run(SortedMap<String, Selection> sel,
      SortedMap<String, TrainedModel> ckpt, List<String> noises, int samples, long seed,
      ChunkedExecutor executor, StageContext context, Findings out) {
    Table.Builder t = Table.builder("Ablation: one term of one DIAG layer zeroed", "noise",
        "model", "layers", "zeroed layer", "term", "read-out layer", "loss change", "se",
        "relative change", "loss");
    StringBuilder md = new StringBuilder(
        "## Ablation: when each term reaches the prediction\n\n");
    int models = 0;
    int delayedExact = 0;
    int delayedCount = 0;
    int laterMoved = 0;
    int laterCount = 0;
    List<Map.Entry<String, TrainedModel>> chosen = new ArrayList<>();
    for (String noise : noises) {
      Selection s = sel.get(noise);
      for (int layers = 2; s != null && layers <= ChosenModels.ANY_DEPTH; layers++) {
        ChosenModels.chosen(s, Variant.DIAG, layers, ckpt)
            .ifPresent(tr -> chosen.add(Map.entry(noise, tr)));
      }
    }
    TrainedModel drawn = null; // the deepest model of Table 1 on the first noise
    List<Ablation.Effect> drawnEffects = null;
    for (Map.Entry<String, TrainedModel> m : chosen) {
      String noise = m.getKey();
      TrainedModel tr = m.getValue();
      context.progress(0.5 * models / chosen.size(), "ablation of " + tr.stage());
      models++;
      Checkpoint c = tr.checkpoint();
      int layers = c.config().layers();
      double[][] omegas = OmegaForward.omegas(c.config().shape(), c.params());
      List<Ablation.Effect> effects = Ablation.run(omegas, FreshSequences.of(c, samples, seed,
          FreshSequences.ABLATION), executor);
      if (noise.equals(noises.get(0)) && layers <= PaperLayout.MAX_LAYERS) {
        drawn = tr;
        drawnEffects = effects;
      }
      for (Ablation.Effect e : effects) {
        t.row(Cell.text(noise), Cell.text(tr.stage()), Cell.text(Integer.toString(layers)),
            Cell.text(Integer.toString(e.zeroedLayer())), Cell.text(e.term().label()),
            Cell.text(Integer.toString(e.readLayer())), Cell.of(e.change()),
            Cell.of(e.standardError()), Cell.of(e.relative()), Cell.of(e.loss()));
        boolean xUpdate = e.term() == OmegaForward.Term.XX || e.term() == OmegaForward.Term.XY;
        if (xUpdate && e.readLayer() == e.zeroedLayer()) {
          delayedCount++;
          delayedExact += e.change() == 0.0 ? 1 : 0;
        } else if (xUpdate && e.readLayer() == e.zeroedLayer() + 1) {
          laterCount++;
          laterMoved += Math.abs(e.change()) > 3 * e.standardError() ? 1 : 0;
        }
      }
    }
    out.table(TABLE, t.build());
    if (drawn != null) {
      figure(drawn.stage(), drawn.layers(), drawnEffects, out);
    } else {
      out.skipFigure(FIGURE, "no DIAG model of 2 to " + PaperLayout.MAX_LAYERS + " layers on "
          + noises.get(0));
    }
    if (models == 0) {
      md.append("No DIAG model with 2 or more layers of the noises " + noises + ".\n\n");
    } else {
      md.append(Prose.f("%d DIAG models (noises %s, 2 layers and up). Zeroing omega_xx or "
          + "omega_xy of a layer leaves the prediction read out after that same layer unchanged "
          + "in %d of %d cases (exactly: a layer's x-update cannot reach the query's y-slot in "
          + "the same layer), and changes the read-out one layer later by more than 3 SE in %d "
          + "of %d cases: the x-update terms act on the prediction with a delay of one layer, "
          + "as the paper argues for omega_xy. The full grid (zeroed layer x term x read-out "
          + "layer, with SEs) is in %s.%n%n", models, noises, delayedExact, delayedCount,
          laterMoved, laterCount, TABLE).replace("\r", ""));
    }
    out.text(md.toString());
  }

  /**
   * One heat map per term: rows the zeroed layer, columns the read-out layer, colour the signed
   * number of decades of the relative change above {@link #RESOLUTION}, {@code sign(r) log10(1
   * + |r| / resolution)} (0 where the read-out precedes the zeroed layer).
   */
  private static void figure(String stage, int layers, List<Ablation.Effect> effects,
      Findings out) {
    double[][][] m = new double[OmegaForward.Term.values().length][layers][layers];
    for (double[][] t : m) {
      for (double[] r : t) {
        Arrays.fill(r, Double.NaN); // no effect measured: the read-out precedes
      }
    }
    for (Ablation.Effect e : effects) {
      double r = e.relative();
      m[e.term().ordinal()][e.zeroedLayer() - 1][e.readLayer() - 1] = Math.signum(r)
          * Math.min(DECADES, Math.log10(1 + Math.abs(r) / RESOLUTION));
    }
    List<String> rows = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (int l = 1; l <= layers; l++) {
      rows.add("zeroed " + l);
      columns.add(Integer.toString(l));
    }
    HeatMap.Builder hb = HeatMap.builder().missing("read out before the zeroed layer (not "
        + "applicable)").rowLabels(rows).columnLabels(columns).xTitle("read out after layer")
        .barTitle("signed decades of loss change").scale(DECADES);
    for (OmegaForward.Term term : OmegaForward.Term.values()) {
      hb.matrix(term.label(), m[term.ordinal()]);
    }
    out.figure(FIGURE, List.of(hb.build()), 1, "Ablation of " + stage, "Each term of each layer "
        + "of " + stage + " zeroed in turn (rows): the change of the loss read out after every "
        + "later layer (columns), relative to the unablated loss there, as sign(r) log10(1 + |r| "
        + "/ " + RESOLUTION + "), saturating at " + (int) DECADES + " decades (red: the loss "
        + "rises, blue: it falls, white: no change, grey: not applicable, the read-out precedes "
        + "the zeroed layer); omega_xx and omega_xy leave the same layer's read-out unchanged "
        + "(the diagonal)");
  }
}
