package org.linearicl.analysis.mechanism;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.IntStream;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Table;
import org.linearicl.baselines.PredictorId;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;

/**
 * Is it the same algorithm: the cosine between the implicit weights after each layer of the
 * chosen GD++ and DIAG models and those of gradient descent, ridge and AdaRR ({@link Alignment},
 * {@value #TABLE}); per layer, for the deepest models of Table 1 ({@value #FIGURE}).
 */
public final class AlignmentAnalysis {
  public static final String TABLE = "tables/mechanism_alignment.csv";
  public static final String FIGURE = "mechanism_alignment";

  private AlignmentAnalysis() {}

  /** Every chosen GD++ and DIAG model of the noises {@code noises}. */
  public static void run(SortedMap<String, Selection> sel,
      SortedMap<String, TrainedModel> ckpt, List<String> noises, int samples, long seed,
      Findings out) {
    List<LinePlot> panels = new ArrayList<>();
    Table.Builder t = Table.builder("Alignment with gradient descent and ridge", "noise",
        "model", "variant", "layers", "layer", "GD step", "cos GD mean", "cos GD p10",
        "implied lambda", "cos ridge mean", "cos ridge p10", "cos AdaRR mean", "cos AdaRR p10",
        "labels: cos GD", "labels: cos ridge", "labels: cos AdaRR");
    StringBuilder md = new StringBuilder("## Is it the same algorithm?\n\n");
    List<String> verdicts = new ArrayList<>();
    for (String noise : noises) {
      Selection s = sel.get(noise);
      if (s == null) {
        continue;
      }
      for (Variant v : List.of(Variant.GDPP, Variant.DIAG)) {
        for (int layers = 1; layers <= ChosenModels.ANY_DEPTH; layers++) {
          Optional<TrainedModel> tr = ChosenModels.chosen(s, v, layers, ckpt);
          if (tr.isEmpty()) {
            continue;
          }
          Checkpoint c = tr.get().checkpoint();
          Alignment.Layer[] result = Alignment.run(c.model(),
              FreshSequences.of(c, samples, seed, FreshSequences.ALIGNMENT_TUNE),
              FreshSequences.of(c, samples, seed, FreshSequences.ALIGNMENT),
              c.config().task().n());
          for (Alignment.Layer l : result) {
            t.row(Cell.text(noise), Cell.text(tr.get().stage()),
                Cell.text(PaperLayout.label(v)), Cell.text(Integer.toString(layers)),
                Cell.text(Integer.toString(l.layer())), Cell.of(l.gdStep()),
                Cell.of(l.gdMean()), Cell.of(l.gdP10()), Cell.of(l.lambda()),
                Cell.of(l.ridgeMean()), Cell.of(l.ridgeP10()), Cell.of(l.adaMean()),
                Cell.of(l.adaP10()), Cell.of(l.gdLabels()), Cell.of(l.ridgeLabels()),
                Cell.of(l.adaLabels()));
          }
          boolean deepest = layers == ChosenModels.deepestModel(s, v, PaperLayout.MAX_LAYERS)
              .map(ModelResult::layers).orElse(0);
          if (!deepest) {
            continue; // the verdict quotes the deepest model of Table 1; the table has them all
          }
          panels.add(panel(PaperLayout.label(v) + "-" + layers + " on "
              + PaperLayout.display(noise), result, out));
          Alignment.Layer last = result[result.length - 1];
          verdicts.add(Prose.f("%s-%d on %s: GD %.3f, ridge %.3f, AdaRR %.3f (labels: %.3f, "
              + "%.3f, %.3f)", PaperLayout.label(v), layers, PaperLayout.display(noise),
              last.gdMean(), last.ridgeMean(), last.adaMean(), last.gdLabels(),
              last.ridgeLabels(), last.adaLabels()));
        }
      }
    }
    out.table(TABLE, t.build());
    out.figure(FIGURE, panels, 2, "", "Mean cosine, per layer, between the implicit weights of "
        + "the deepest GD++ and DIAG models of Table 1 and those of gradient descent (as many "
        + "steps as layers so far, step tuned), ridge (the model's implied lambda) and AdaRR, on "
        + "fresh sequences");
    if (verdicts.isEmpty()) {
      md.append("No GD++ or DIAG model of the noises " + noises + ".\n\n");
    } else {
      md.append(Prose.f("The prediction is linear in the query, so its sensitivity to the "
          + "query is the implicit weight vector w of the read-out. Mean cosine, over %d fresh "
          + "sequences, for the deepest GD++ and DIAG models of Table 1, between the last "
          + "layer's w and (a) as many GD steps as the model has layers, the step tuned for "
          + "that count, (b) ridge with the lambda that agrees best with the model, (c) AdaRR, "
          + "and in brackets the same for the sensitivity to the context labels (d yhat / d "
          + "y_j, by central differences; the model is not linear in the labels, so this is "
          + "its local derivative): %s. A cosine near 1 means the model computes that "
          + "algorithm's weights up to a scale; per layer, with the 10th percentiles of the "
          + "query cosines: %s.%n%n", samples, String.join("; ", verdicts), TABLE)
          .replace("\r", ""));
    }
    out.text(md.toString());
  }

  /**
   * Mean cosine per layer with GD, ridge and AdaRR; layers whose weights are still 0 have no
   * direction and are left out.
   */
  private static LinePlot panel(String title, Alignment.Layer[] result, Findings out) {
    double[] x = IntStream.rangeClosed(1, result.length).asDoubleStream().toArray();
    double[][] y = new double[3][result.length];
    for (int l = 0; l < result.length; l++) {
      y[0][l] = result[l].gdMean();
      y[1][l] = result[l].ridgeMean();
      y[2][l] = result[l].adaMean();
    }
    int first = 0;
    while (first < result.length && Double.isNaN(y[0][first])) {
      first++;
    }
    double[] xs = Arrays.copyOfRange(x, first, x.length);
    LinePlot.Builder b = out.panel(title, "layer", "mean cosine with the model's w")
        .integerX().xRange(0.5, result.length + 0.5);
    String[] names = {"GD, step tuned", "ridge, implied lambda", PredictorId.ADA_RR.label()};
    for (int k = 0; k < names.length && xs.length > 0; k++) {
      b.series(names[k], xs, Arrays.copyOfRange(y[k], first, x.length),
          LinePlot.Style.LINE_AND_MARKERS);
    }
    return b.build();
  }
}
