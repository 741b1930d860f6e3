package org.linearicl.analysis.mechanism;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.inputs.ChosenModels;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.table.Cell;
import org.linearicl.analysis.table.Table;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.Batch;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.results.Selection;

/**
 * How diagonal FULL becomes: for every chosen FULL model, the share of each layer's P and Q off
 * the DIAG structure ({@link Diagonality}, {@value #TABLE}), and the loss of the model projected
 * onto DIAG against the FULL and the trained DIAG model of the same depth, paired on fresh
 * sequences ({@value #PROJECTION_TABLE}); per depth, how many left the structure ({@value
 * #FIGURE}).
 */
public final class DiagonalityAnalysis {
  public static final String TABLE = "tables/mechanism_diagonality.csv";
  public static final String PROJECTION_TABLE = "tables/mechanism_projection.csv";
  public static final String FIGURE = "mechanism_diagonality";
  /** Off-DIAG share below which a FULL layer counts as an embedded DIAG layer (round-off). */
  static final double EMBEDDED_SHARE = 1e-20;

  private DiagonalityAnalysis() {}

  public static void run(SortedMap<String, Selection> sel,
      SortedMap<String, TrainedModel> ckpt, int samples, long seed, ChunkedExecutor executor,
      Findings out) {
    List<Map.Entry<String, TrainedModel>> models = fullModels(sel, ckpt);
    // the largest off-DIAG share of each FULL model, by stage, from the one measurement
    Map<String, Double> maxOffShare = new LinkedHashMap<>();
    OffPart off = new OffPart();
    out.table(TABLE, diagonality(models, maxOffShare, off));
    projection(sel, ckpt, models, maxOffShare, off, samples, seed, executor, out);
  }

  /**
   * The off-DIAG part of the models that left the structure, pooled over their layers' P and Q:
   * its squared mass by block (x-x, x-y, y-x) and how much of the x-x block's lies along its top
   * singular direction; and the family the models were trained in.
   */
  private static final class OffPart {
    int models;
    double mass;
    double xx;
    double xy;
    double yx;
    double xxTop;
    final Set<Integer> ranks = new TreeSet<>();

    void add(Diagonality.Layer l) {
      double m = l.mass() * l.offShare();
      mass += m;
      xx += m * l.xxShare();
      xy += m * l.xyShare();
      yx += m * l.yxShare();
      if (l.xxShare() > 0) {
        xxTop += m * l.xxShare() * l.xxTopRankShare();
      }
    }

    String text() {
      String family = ranks.equals(Set.of(0)) ? "trained in all of FULL"
          : ranks.contains(0) ? "some trained in all of FULL, some in a low-rank family"
          : "trained in FULL's rank-" + ranks.iterator().next() + " family, so one direction"
              + " of x carries the x parts by construction (docs/recipes.md)";
      return Prose.f("What the off-DIAG part is, pooled over the layers of the %d model(s) that "
          + "left the structure (%s): of its squared mass, the x-x block holds %.0f%%, the x-y "
          + "column %.0f%% and the y-x row %.0f%%; the x-x part's top singular "
          + "direction holds %.0f%% of that block's. ", models, family, 100 * xx / mass,
          100 * xy / mass, 100 * yx / mass, xx > 0 ? 100 * xxTop / xx : 0);
    }
  }

  /** The chosen FULL models, in (noise, layers) order. */
  private static List<Map.Entry<String, TrainedModel>> fullModels(
      SortedMap<String, Selection> sel, SortedMap<String, TrainedModel> ckpt) {
    List<Map.Entry<String, TrainedModel>> out = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      for (int layers = 1; layers <= ChosenModels.ANY_DEPTH; layers++) {
        ChosenModels.chosen(e.getValue(), Variant.FULL, layers, ckpt)
            .ifPresent(tr -> out.add(Map.entry(e.getKey(), tr)));
      }
    }
    return out;
  }

  private static Table diagonality(List<Map.Entry<String, TrainedModel>> models,
      Map<String, Double> maxOffShare, OffPart off) {
    Table.Builder t = Table.builder("Diagonality of the FULL models", "noise", "model",
        "layers", "layer", "matrix", "squared mass", "off-DIAG share", "xx share of residual",
        "xy share of residual", "yx share of residual", "top singular share of xx residual");
    for (Map.Entry<String, TrainedModel> e : models) {
      Checkpoint c = e.getValue().checkpoint();
      double maxOff = 0;
      Diagonality.Layer[] layers = Diagonality.measure(c.config().shape(), c.params());
      for (Diagonality.Layer l : layers) {
        maxOff = Math.max(maxOff, l.offShare());
        t.row(Cell.text(e.getKey()), Cell.text(e.getValue().stage()),
            Cell.text(Integer.toString(c.config().layers())),
            Cell.text(Integer.toString(l.layer())), Cell.text(l.matrix()), Cell.of(l.mass()),
            Cell.of(l.offShare()), Cell.of(l.xxShare()), Cell.of(l.xyShare()),
            Cell.of(l.yxShare()), Cell.of(l.xxTopRankShare()));
      }
      maxOffShare.put(e.getValue().stage(), maxOff);
      if (maxOff >= EMBEDDED_SHARE) {
        off.models++;
        off.ranks.add(c.config().fullRank());
        for (Diagonality.Layer l : layers) {
          off.add(l);
        }
      }
    }
    return t.build();
  }

  private static void projection(SortedMap<String, Selection> sel,
      SortedMap<String, TrainedModel> ckpt, List<Map.Entry<String, TrainedModel>> models,
      Map<String, Double> maxOffShare, OffPart off, int samples, long seed,
      ChunkedExecutor executor, Findings out) {
    // per noise: layers, max off-DIAG share
    Map<String, List<double[]>> points = new LinkedHashMap<>();
    Table.Builder t = Table.builder("FULL projected onto DIAG, no retraining", "noise", "model",
        "layers", "max off-DIAG share", "FULL adjusted", "FULL se", "projected adjusted",
        "projected se", "projected - FULL", "projected - FULL se", "DIAG adjusted", "DIAG se",
        "FULL - DIAG", "FULL - DIAG se");
    StringBuilder md = new StringBuilder("## How diagonal does FULL become?\n\n");
    int embedded = 0;
    int beats = 0;
    List<String> beating = new ArrayList<>();
    // of those that beat DIAG, the ones whose gain needs the off-DIAG part (projection costs
    // more than 3 paired SE)
    List<String> structural = new ArrayList<>();
    for (Map.Entry<String, TrainedModel> e : models) {
      Checkpoint c = e.getValue().checkpoint();
      ModelShape shape = c.config().shape();
      double maxOff = maxOffShare.get(e.getValue().stage());
      embedded += maxOff < EMBEDDED_SHARE ? 1 : 0;
      points.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
          .add(new double[] {shape.layers(), maxOff});
      Batch b = FreshSequences.of(c, samples, seed, FreshSequences.PROJECTION);
      double[] oracle = Evaluator.oraclePredictions(b, executor);
      double[] full = AdjustedLoss.perSequence(c.model(), b, oracle, executor);
      // the projection and the DIAG model run as FULL models, in FULL's arithmetic: a paired
      // difference then holds no round-off of two algebras, and is exactly 0 for an embedded one
      double[] projected = sameOrEvaluate(Embedding.embed(Diagonality.diagShape(shape),
          Diagonality.projectToDiag(shape, c.params()), shape, 0.0), c.params(), full, shape, b,
          oracle, executor);
      LossSummary fs = LossSummary.of(full);
      LossSummary ps = LossSummary.of(projected);
      LossSummary cost = LossSummary.of(difference(projected, full));
      Optional<TrainedModel> diag = ChosenModels.chosen(sel.get(e.getKey()), Variant.DIAG,
          shape.layers(), ckpt);
      List<Cell> row = new ArrayList<>(List.of(Cell.text(e.getKey()),
          Cell.text(e.getValue().stage()), Cell.text(Integer.toString(shape.layers())),
          Cell.of(maxOff), Cell.of(fs.mean()), Cell.of(fs.standardError()), Cell.of(ps.mean()),
          Cell.of(ps.standardError()), Cell.of(cost.mean()), Cell.of(cost.standardError())));
      if (diag.isPresent()) {
        Checkpoint dc = diag.get().checkpoint();
        double[] dg = sameOrEvaluate(Embedding.embed(dc.config().shape(), dc.params(), shape,
            0.0), c.params(), full, shape, b, oracle, executor);
        LossSummary ds = LossSummary.of(dg);
        LossSummary dd = LossSummary.of(difference(full, dg));
        row.addAll(List.of(Cell.of(ds.mean()), Cell.of(ds.standardError()), Cell.of(dd.mean()),
            Cell.of(dd.standardError())));
        if (dd.mean() < -3 * dd.standardError()) {
          beats++;
          beating.add(e.getKey() + " " + shape.layers() + " layers");
          if (cost.mean() > 3 * cost.standardError()) {
            structural.add(e.getKey() + " " + shape.layers() + " layers");
          }
        }
      } else {
        row.addAll(List.of(Cell.empty(), Cell.empty(), Cell.empty(), Cell.empty()));
      }
      t.row(row);
    }
    out.table(PROJECTION_TABLE, t.build());
    figure(points, out);
    if (models.isEmpty()) {
      md.append("No FULL model among the inputs.\n\n");
    } else {
      md.append(Prose.f("%d chosen FULL models. In %d of them every layer's P and Q lie on the "
          + "DIAG structure up to round-off (off-DIAG share below %.0e of the squared mass): "
          + "they are a DIAG model they were warm-started from, kept as it is (at a DIAG point "
          + "the gradient of FULL is DIAG, so no descent leads off the structure from there). "
          + "%sFULL beats the trained DIAG model of the same depth "
          + "by more than 3 SE (paired, on the same sequences) in %d model(s)%s; in %d of them "
          + "projecting the FULL model onto DIAG (no retraining) costs more than 3 paired SE, "
          + "so the gain is carried by the off-DIAG part. Per layer and block: %s; losses: "
          + "%s.%n%n", models.size(), embedded, EMBEDDED_SHARE, off.models > 0 ? off.text() : "",
          beats,
          beating.isEmpty() ? "" : " (" + String.join(", ", beating) + ")", structural.size(),
          TABLE, PROJECTION_TABLE).replace("\r", ""));
    }
    out.text(md.toString());
  }

  /**
   * The per-sequence adjusted losses of the FULL parameters {@code params}: those of the FULL
   * model ({@code fullLoss}) when they are its parameters exactly (an embedded DIAG model and
   * its projection), else evaluated.
   */
  private static double[] sameOrEvaluate(double[] params, double[] fullParams, double[] fullLoss,
      ModelShape shape, Batch b, double[] oracle, ChunkedExecutor executor) {
    return Arrays.equals(params, fullParams) ? fullLoss
        : AdjustedLoss.perSequence(new LinearTransformer(shape, params), b, oracle, executor);
  }

  /** {@code a - b}, sequence by sequence (the paired difference). */
  private static double[] difference(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int s = 0; s < out.length; s++) {
      out[s] = a[s] - b[s];
    }
    return out;
  }

  /**
   * How many chosen FULL models of each depth are their embedded DIAG model and how many left
   * the structure; beside it, for those that left, the largest off-DIAG share of a layer's P or Q
   * (the embedded ones have share 0 up to round-off and are not drawn there).
   */
  private static void figure(Map<String, List<double[]>> points, Findings out) {
    if (points.isEmpty()) {
      out.skipFigure(FIGURE, "no FULL model compared with DIAG");
      return;
    }
    int maxLayers = 1;
    for (List<double[]> ps : points.values()) {
      for (double[] p : ps) {
        maxLayers = Math.max(maxLayers, (int) p[0]);
      }
    }
    double[] depth = IntStream.rangeClosed(1, maxLayers).asDoubleStream().toArray();
    double[] embeddedCount = new double[maxLayers];
    double[] offCount = new double[maxLayers];
    LinePlot.Builder share = out.panel("FULL models off the DIAG structure", "layers",
        "largest off-DIAG share of P or Q").logY(true).integerX()
        .xRange(0.5, maxLayers + 0.5);
    int off = 0;
    for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
      List<double[]> left = new ArrayList<>();
      for (double[] p : e.getValue()) {
        (p[1] > EMBEDDED_SHARE ? offCount : embeddedCount)[(int) p[0] - 1]++;
        if (p[1] > EMBEDDED_SHARE) {
          left.add(p);
        }
      }
      if (!left.isEmpty()) {
        share.series(PaperLayout.display(e.getKey()), left.stream().mapToDouble(p -> p[0])
            .toArray(), left.stream().mapToDouble(p -> p[1]).toArray(), LinePlot.Style.MARKERS);
        off += left.size();
      }
    }
    // only the depths that have models; counts on a fixed axis from 0 (no outlier rule)
    List<Integer> present = new ArrayList<>();
    double most = 0;
    for (int l = 0; l < maxLayers; l++) {
      if (embeddedCount[l] + offCount[l] > 0) {
        present.add(l);
        most = Math.max(most, embeddedCount[l] + offCount[l]);
      }
    }
    double[] px = present.stream().mapToDouble(l -> depth[l]).toArray();
    LinePlot counts = out.panel("Chosen FULL models per depth", "layers", "models")
        .integerX().integerY().xRange(0.5, maxLayers + 0.5).yRange(0, most + 1)
        .series("its embedded DIAG model", px, present.stream()
            .mapToDouble(l -> embeddedCount[l]).toArray(), LinePlot.Style.BARS)
        .series("off the DIAG structure", px, present.stream()
            .mapToDouble(l -> offCount[l]).toArray(), LinePlot.Style.BARS)
        .build();
    List<LinePlot> panels = off == 0 ? List.of(counts) : List.of(counts, share.build());
    out.figure(FIGURE, panels, panels.size(), "", "Chosen FULL models: per depth, how many are "
        + "their embedded DIAG model (every layer's off-DIAG share of the squared P and Q mass "
        + "at or below " + EMBEDDED_SHARE + ") and how many left the DIAG structure"
        + (off == 0 ? " (none did)" : "; for the " + off + " that left it, the largest "
        + "off-DIAG share of a layer") + "; losses against the trained DIAG models are in "
        + PROJECTION_TABLE);
  }
}
