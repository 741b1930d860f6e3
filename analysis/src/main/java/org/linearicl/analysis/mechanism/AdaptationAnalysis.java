package org.linearicl.analysis.mechanism;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.PredictorId;
import org.linearicl.core.train.Checkpoint;

/**
 * Noise adaptation inside one model: the deepest stable DIAG model of Table 1 on the example
 * noise, its shrinkage of each sequence's least-squares solution after each layer by true-sigma
 * group, beside AdaRR's and the oracle's ({@link NoiseAdaptation}, {@value #TABLE}, {@value
 * #FIGURE}).
 */
public final class AdaptationAnalysis {
  public static final String TABLE = "tables/mechanism_adaptation.csv";
  public static final String FIGURE = "mechanism_adaptation";
  private static final String ADA = PredictorId.ADA_RR.label();
  private static final String ORACLE = PredictorId.ORACLE.label() + " ridge";

  private AdaptationAnalysis() {}

  /**
   * @param model the deepest DIAG model of Table 1 on {@link PaperLayout#EXAMPLE_NOISE} whose
   *     number is stable, if the inputs have one (the stage kind judges stability)
   */
  public static void run(Optional<TrainedModel> model, int samples, int groups, long seed,
      Findings out) {
    StringBuilder md = new StringBuilder("## Noise adaptation inside one model\n\n");
    if (model.isEmpty()) {
      out.skipFigure(FIGURE, "no stable DIAG model of Table 1 on "
          + PaperLayout.display(PaperLayout.EXAMPLE_NOISE));
      md.append("No stable DIAG model of Table 1 (up to " + PaperLayout.MAX_LAYERS
          + " layers) on " + PaperLayout.display(PaperLayout.EXAMPLE_NOISE)
          + " among the inputs.\n\n");
      out.table(TABLE, Table.builder("Noise adaptation", "sigma from").build());
      out.text(md.toString());
      return;
    }
    TrainedModel tr = model.get();
    Checkpoint c = tr.checkpoint();
    int layers = c.config().layers();
    double sigmaMax = c.config().task().noise().max();
    List<String> headers = new ArrayList<>(List.of("sigma from", "sigma to", "sequences"));
    for (int l = 1; l <= layers; l++) {
      headers.add("model after layer " + l);
      headers.add("se " + l);
    }
    headers.addAll(List.of(ADA, ADA + " se", ORACLE, ORACLE + " se"));
    Table.Builder t = Table.builder("Noise adaptation of " + tr.stage(),
        headers.toArray(String[]::new));
    List<NoiseAdaptation.Group> result = NoiseAdaptation.run(c.model(),
        FreshSequences.of(c, samples, seed, FreshSequences.ADAPTATION), groups, sigmaMax);
    for (NoiseAdaptation.Group g : result) {
      List<Cell> row = new ArrayList<>(List.of(Cell.of(g.sigmaFrom()), Cell.of(g.sigmaTo()),
          Cell.text(Integer.toString(g.sequences()))));
      for (int l = 0; l < layers; l++) {
        row.add(Cell.of(g.model()[l]));
        row.add(Cell.of(g.modelSe()[l]));
      }
      row.addAll(List.of(Cell.of(g.adaRr()), Cell.of(g.adaRrSe()), Cell.of(g.oracle()),
          Cell.of(g.oracleSe())));
      t.row(row);
    }
    out.table(TABLE, t.build());
    figure(tr.stage(), layers, result, out);
    NoiseAdaptation.Group low = result.get(0);
    NoiseAdaptation.Group high = result.get(result.size() - 1);
    md.append(Prose.f("%s (%d layers), %d fresh sequences in %d true-sigma groups. The model "
        + "keeps kappa = <w, w_ols> / |w_ols|^2 of each sequence's least-squares solution after "
        + "its last layer: %.3f for sigma in [%.2f, %.2f) and %.3f for sigma in [%.2f, %.2f]; "
        + "the oracle ridge (lambda = sigma^2) keeps %.3f and %.3f, AdaRR %.3f and %.3f. One "
        + "model shrinks each sequence by its own noise level %s. Per layer and group: %s.%n%n",
        tr.stage(), layers, samples, result.size(), low.model()[layers - 1],
        low.sigmaFrom(), low.sigmaTo(), high.model()[layers - 1], high.sigmaFrom(),
        high.sigmaTo(), low.oracle(), high.oracle(), low.adaRr(), high.adaRr(),
        high.model()[layers - 1] < low.model()[layers - 1] ? "(kappa falls with sigma, as "
            + "ridge's does)" : "only if kappa fell with sigma, which it does not here",
        TABLE).replace("\r", ""));
    out.text(md.toString());
  }

  private static void figure(String stage, int layers, List<NoiseAdaptation.Group> groups,
      Findings out) {
    double[] x = new double[groups.size()];
    double[][] model = new double[layers][groups.size()];
    double[] ada = new double[groups.size()];
    double[] oracle = new double[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      NoiseAdaptation.Group gr = groups.get(g);
      x[g] = (gr.sigmaFrom() + gr.sigmaTo()) / 2;
      for (int l = 0; l < layers; l++) {
        model[l][g] = gr.model()[l];
      }
      ada[g] = gr.adaRr();
      oracle[g] = gr.oracle();
    }
    LinePlot.Builder b = out.panel("Shrinkage by the true sigma, " + stage,
        "true sigma of the sequence (group centre)", "kappa = <w, w_ols> / |w_ols|^2")
        .size(360, 240); // wide enough for its nine legend entries in three rows
    for (int l = 0; l < layers; l++) {
      b.series("after layer " + (l + 1), x, model[l], LinePlot.Style.LINE_AND_MARKERS);
    }
    b.series(ADA, x, ada, LinePlot.Style.LINE);
    b.series(ORACLE, x, oracle, LinePlot.Style.LINE);
    out.figure(FIGURE, List.of(b.build()), 1, "", "Noise adaptation inside " + stage + ": the "
        + "fraction kappa of each sequence's least-squares solution its implicit weights hold "
        + "after each layer, by the sequence's true sigma, beside AdaRR's and the oracle ridge's "
        + "on the same sequences");
  }
}
