package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.table.LossFormat;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;

/**
 * Two checks of the chosen models the report prints beyond the paper's claims: whether every
 * layer lowers the read-out ({@link #layerSteps}), and whether a deep model stays within a
 * bound off its training range ({@link #offRange}).
 */
final class LayerChecks {
  /** The settings whose layer steps are counted: U(0,5) and the two categorical ones. */
  static final List<String> STEP_NOISES = List.of(Column.U5.key(), Column.C13.key(),
      Column.C135.key());
  /** The variants and depths whose layer steps are counted. */
  static final List<Variant> STEP_VARIANTS = List.of(Variant.DIAG, Variant.FULL);
  static final int STEP_MIN_LAYERS = 2;
  static final int STEP_MAX_LAYERS = 8;
  /** A step counts as a change when it is more than this many paired standard errors. */
  static final double STEP_SE = 3.0;

  /** The depth from which a model's profile is checked off range. */
  static final int OFF_RANGE_MIN_LAYERS = 3;
  /** The factor on the worst ridge baseline in the off-range bound. */
  static final double OFF_RANGE_FACTOR = 2.0;
  /** The ridge baselines of the off-range bound (names in evaluation.json). */
  static final List<String> OFF_RANGE_BASELINES = List.of("const_rr", "ada_rr", "tuned_rr");
  /** How many of the worst violations the report lists. */
  static final int WORST = 10;

  private LayerChecks() {}

  /** One layer step of a chosen model: the change of its read-out at layer {@code layer}. */
  record Step(String noise, ModelResult model, int layer, double mean, double se) {
    boolean lower() {
      return mean < -STEP_SE * se;
    }

    boolean higher() {
      return mean > STEP_SE * se;
    }

    String text() {
      return Prose.f("%s-%d on %s (%s), layer %d: %s ± %s (%s SE)%s",
          PaperLayout.label(model.variant()), model.layers(), PaperLayout.display(noise),
          model.stage(), layer, signed(mean), LossFormat.format(se),
          se > 0 ? Prose.f("%+.1f", mean / se) : "inf", model.stable() ? "" : " (unstable)");
    }
  }

  /**
   * The steps l = 2..L of the chosen DIAG and FULL models with 2..8 layers on {@link
   * #STEP_NOISES}: the paired change of the adjusted loss from the read-out after layer l-1 to
   * the one after layer l.
   */
  static List<Step> layerSteps(SortedMap<String, Selection> sel) {
    List<Step> out = new ArrayList<>();
    for (String noise : STEP_NOISES) {
      Selection s = sel.get(noise);
      if (s == null) {
        continue;
      }
      for (Variant v : STEP_VARIANTS) {
        for (int layers = STEP_MIN_LAYERS; layers <= STEP_MAX_LAYERS; layers++) {
          Optional<ModelResult> m = s.best(v, layers);
          if (m.isEmpty()) {
            continue;
          }
          Series d = m.get().perLayerDiff();
          for (int l = 2; l <= layers; l++) {
            out.add(new Step(noise, m.get(), l, d.mean(l - 1), d.se(l - 1)));
          }
        }
      }
    }
    return out;
  }

  /** The report section "Every layer works". */
  static String layerStepsSection(SortedMap<String, Selection> sel) {
    List<Step> steps = layerSteps(sel);
    List<String> noises = STEP_NOISES.stream().filter(sel::containsKey)
        .map(PaperLayout::display).toList();
    StringBuilder sb = new StringBuilder("## Every layer works\n\n");
    if (steps.isEmpty()) {
      return sb.append("No chosen DIAG or FULL model with 2 or more layers on U(0,5), {1,3} or "
          + "{1,3,5} in this profile.\n\n").toString();
    }
    long lower = steps.stream().filter(Step::lower).count();
    List<Step> higher = steps.stream().filter(Step::higher).toList();
    sb.append(Prose.f("On %s, over the chosen DIAG and FULL models with %d..%d layers, the "
        + "step from the read-out after layer l-1 to the one after layer l (l = 2..L; the "
        + "per-sequence change of the loss, with its paired standard error; "
        + ReportKind.link(ModelTables.READOUT_CSV) + ", column diff_se): %d of %d steps lower "
        + "the adjusted loss by more than %.0f SE, %d raise it by more than %.0f SE, %d are "
        + "within %.0f SE.\n", String.join(", ", noises), STEP_MIN_LAYERS, STEP_MAX_LAYERS, lower,
        steps.size(), STEP_SE, higher.size(), STEP_SE, steps.size() - lower - higher.size(),
        STEP_SE));
    if (!higher.isEmpty()) {
      sb.append("\nThe steps that raise it:\n\n");
      for (Step st : higher) {
        sb.append("- ").append(st.text()).append('\n');
      }
    }
    return sb.append('\n').toString();
  }

  /**
   * One profile point of a chosen model off range: its final layer's adjusted loss at a sigma,
   * the bound there, and which term set the bound.
   */
  record Point(String noise, ModelResult model, double sigma, double value, double bound,
      String boundBy) {
    boolean violates() {
      return !(value <= bound);
    }

    String text() {
      return Prose.f("%s-%d on %s (%s), sigma = %s: %s > bound %s (%s)%s",
          PaperLayout.label(model.variant()), model.layers(), PaperLayout.display(noise),
          model.stage(), LossFormat.format(sigma), LossFormat.format(value),
          LossFormat.format(bound), boundBy, model.stable() ? "" : " (unstable)");
    }
  }

  /**
   * The upper end of the checked sigmas: the standard profile grid's, sigma_max + 1 (at least 6
   * for categorical), whatever grid the evaluation used.
   */
  static double offRangeMax(String noiseSpec) {
    return NoiseDistribution.parse(noiseSpec).profileMax();
  }

  /**
   * Every profile point sigma <= {@link #offRangeMax} of every chosen model with {@value
   * #OFF_RANGE_MIN_LAYERS} or more layers, with the bound max(2 x the worst of ConstRR, AdaRR
   * and TunedRR at that sigma, the same variant's chosen 1-layer model at that sigma). The
   * models and baselines share the evaluation's grid (evaluate computes them on the same
   * sequences per sigma), so points match by index; a model whose profile has another length
   * is left out.
   */
  static List<Point> offRange(SortedMap<String, Selection> sel) {
    List<Point> out = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Evaluation ev = e.getValue().evaluation();
      double[] sigma = ev.profileSigma();
      double hi = offRangeMax(ev.noise());
      List<Series> base = new ArrayList<>();
      for (String b : OFF_RANGE_BASELINES) {
        ev.baseline(b).map(PredictorResult::profileAdjusted).ifPresent(base::add);
      }
      for (Choice c : e.getValue().choices()) {
        if (c.layers() < OFF_RANGE_MIN_LAYERS) {
          continue;
        }
        ModelResult m = e.getValue().best(c.variant(), c.layers()).orElseThrow();
        Series mine = m.profileAdjusted();
        Optional<Series> one = e.getValue().best(c.variant(), 1).map(ModelResult::profileAdjusted);
        if (mine.size() != sigma.length) {
          continue;
        }
        for (int i = 0; i < sigma.length; i++) {
          if (sigma[i] > hi + 1e-12) {
            continue;
          }
          double worst = Double.NEGATIVE_INFINITY;
          for (Series b : base) {
            if (b.size() == sigma.length) {
              worst = Math.max(worst, b.mean(i));
            }
          }
          double bound = OFF_RANGE_FACTOR * worst;
          String by = Prose.f("%.0f x the worst ridge", OFF_RANGE_FACTOR);
          if (one.isPresent() && one.get().size() == sigma.length
              && one.get().mean(i) > bound) {
            bound = one.get().mean(i);
            by = "the 1-layer " + PaperLayout.label(c.variant());
          }
          if (bound == Double.NEGATIVE_INFINITY) {
            continue; // neither a baseline nor a 1-layer model: nothing to compare with
          }
          out.add(new Point(e.getKey(), m, sigma[i], mine.mean(i), bound, by));
        }
      }
    }
    return out;
  }

  /** The report section "Off range". */
  static String offRangeSection(SortedMap<String, Selection> sel) {
    List<Point> points = offRange(sel);
    StringBuilder sb = new StringBuilder("## Off range\n\n");
    if (points.isEmpty()) {
      return sb.append(Prose.f("No chosen model with %d or more layers in this profile.\n\n",
          OFF_RANGE_MIN_LAYERS)).toString();
    }
    List<Point> bad = points.stream().filter(Point::violates)
        .sorted(Comparator.comparingDouble((Point p) -> -ratio(p))).toList();
    long models = points.stream().map(p -> p.noise() + "|" + p.model().stage()).distinct()
        .count();
    List<String> noises = points.stream().map(p -> PaperLayout.display(p.noise())).distinct()
        .toList();
    sb.append(Prose.f("The chosen models with %d or more layers (%d on %s): the final layer's "
        + "adjusted loss at every profile sigma up to sigma_max + 1 (at least 6 for the "
        + "categorical settings), a range that reaches past the training one, against the bound "
        + "max(%.0f x the worst of ConstRR, AdaRR and TunedRR at that sigma, the same variant's "
        + "chosen 1-layer model at that sigma): %d of %d points exceed it. Models and "
        + "baselines are evaluated on the same grid and sequences per sigma, so points match "
        + "by grid index (" + ReportKind.link(ModelTables.PROFILES_CSV) + ").\n",
        OFF_RANGE_MIN_LAYERS, models, String.join(", ", noises), OFF_RANGE_FACTOR, bad.size(),
        points.size()));
    if (!bad.isEmpty()) {
      sb.append(Prose.f("\nThe worst%s (by loss / bound):\n\n", bad.size() > WORST
          ? Prose.f(" %d of %d", WORST, bad.size()) : ""));
      for (Point p : bad.subList(0, Math.min(WORST, bad.size()))) {
        sb.append("- ").append(p.text()).append('\n');
      }
    }
    sb.append(fullAgainstDiag(sel));
    return sb.append('\n').toString();
  }

  /** The noise setting on which the paper compares FULL's extrapolation with DIAG's. */
  static final String EXTRAPOLATION_NOISE = Column.C13.key();

  /**
   * FULL against DIAG of the same depth above the training noise levels on {@link
   * #EXTRAPOLATION_NOISE} (the paper, sec. 6: FULL is better in distribution but extrapolates
   * worse): per depth, the geometric mean over the profile's sigmas above the largest training
   * level of FULL's adjusted loss over DIAG's, and both at the top of the grid. Empty when the
   * profile has no such pair.
   */
  static String fullAgainstDiag(SortedMap<String, Selection> sel) {
    Selection s = sel.get(EXTRAPOLATION_NOISE);
    if (s == null) {
      return "";
    }
    Evaluation ev = s.evaluation();
    double[] sigma = ev.profileSigma();
    double from = NoiseDistribution.parse(ev.noise()).max();
    double to = offRangeMax(ev.noise());
    List<String> parts = new ArrayList<>();
    int compared = 0;
    int worse = 0;
    for (int layers = OFF_RANGE_MIN_LAYERS; layers <= STEP_MAX_LAYERS; layers++) {
      Optional<ModelResult> full = s.best(Variant.FULL, layers);
      Optional<ModelResult> diag = s.best(Variant.DIAG, layers);
      if (full.isEmpty() || diag.isEmpty()) {
        continue;
      }
      Series f = full.get().profileAdjusted();
      Series d = diag.get().profileAdjusted();
      if (f.size() != sigma.length || d.size() != sigma.length) {
        continue;
      }
      if (sameUpToRoundOff(f, d)) {
        parts.add(Prose.f("%d layers: the DIAG model itself", layers));
        continue;
      }
      double logSum = 0;
      int count = 0;
      int top = -1;
      for (int i = 0; i < sigma.length; i++) {
        if (sigma[i] > from + 1e-12 && sigma[i] <= to + 1e-12) {
          logSum += Math.log(f.mean(i) / d.mean(i));
          count++;
          top = i;
        }
      }
      if (count == 0) {
        continue;
      }
      double ratio = Math.exp(logSum / count);
      compared++;
      worse += ratio > 1 ? 1 : 0;
      parts.add(Prose.f("%d layers: %.2f x (at sigma = %s: FULL %s, DIAG %s)", layers, ratio,
          LossFormat.format(sigma[top]), LossFormat.format(f.mean(top)),
          LossFormat.format(d.mean(top))));
    }
    if (parts.isEmpty()) {
      return "";
    }
    return Prose.f("\nFULL against DIAG of the same depth on %s above its noise levels (the "
        + "paper: FULL is better in distribution but extrapolates worse), the geometric mean "
        + "over the profile's sigmas in (%s, %s] of FULL's adjusted loss over DIAG's: %s. FULL is "
        + "the worse of the two there in %d of the %d depths where it is not DIAG's model.\n",
        PaperLayout.display(EXTRAPOLATION_NOISE), LossFormat.format(from),
        LossFormat.format(to), String.join("; ", parts), worse, compared);
  }

  /**
   * Whether two profiles agree to 1e-9 relative at every point: the same model run in FULL's
   * and in DIAG's arithmetic (an embedded DIAG model), whose sums round differently.
   */
  private static boolean sameUpToRoundOff(Series a, Series b) {
    for (int i = 0; i < a.size(); i++) {
      if (!(Math.abs(a.mean(i) - b.mean(i)) <= 1e-9 * Math.abs(b.mean(i)))) {
        return false;
      }
    }
    return true;
  }

  private static double ratio(Point p) {
    return p.bound() > 0 ? p.value() / p.bound() : Double.POSITIVE_INFINITY;
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "") + LossFormat.format(v);
  }
}
