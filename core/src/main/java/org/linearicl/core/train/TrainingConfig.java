package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.Checks;
import org.linearicl.core.util.Require;

/**
 * Everything that determines the training of one model: the model, its task and seed, and the
 * recipe ({@link Training} runs it). Two runs with equal configs produce bit-identical models,
 * whatever the thread count. Build one with {@link #builder}; the builder's defaults are the
 * default profile's recipe (each {@link TrainingParam}'s default, {@link VariantRecipe} for those
 * that differ by variant), so one model trained with default options is trained as the pipeline
 * trains it. {@link TrainingParam} also holds each field's name and check.
 *
 * <p>The recipe has three phases. <b>Exploration:</b> {@code starts} initialisations
 * N(0, initStd^2), each trained with Adam on {@code steps} fresh batches, and every warm start
 * (a shallower or simpler trained model embedded in this shape) trained with Adam for
 * {@code warmSteps} at {@code warmLr}. <b>Polish:</b> each candidate then takes up to
 * {@code polishIterations} Levenberg-Marquardt steps on one fixed sample of
 * {@code polishSamples} sequences (models with more than {@code polishMaxParams} parameters are
 * not polished: the Gauss-Newton matrix would cost too much). <b>Selection:</b> the candidate,
 * or the warm start itself, with the lowest loss on {@code validationSamples} validation
 * sequences is checked off its training range ({@code offRangePoints} sigmas of
 * {@code offRangeSamples} sequences each; a failing candidate is set aside) and on
 * {@code tailSamples} fresh sequences; if its tail dominates it is repaired up to
 * {@code tailRepairs} times, and never preferred to a stable candidate.
 *
 * @param variant FULL, DIAG or GD++
 * @param layers number of layers L >= 1
 * @param heads heads per layer H >= 1
 * @param task d, n and the noise distribution of the training sequences
 * @param seed root seed of every training stream (batches, initialisation, polish sample, tail)
 * @param starts initialisations trained from scratch (0: only warm starts)
 * @param steps Adam steps from each initialisation
 * @param batchSize fresh sequences per Adam step
 * @param adam Adam's base learning rate and betas
 * @param schedule learning-rate multiplier per step, for both Adam phases
 * @param clipNorm global gradient-norm clip (0 = none)
 * @param initStd standard deviation of the initialisation of every parameter
 * @param warmSteps Adam steps from each warm start (0: polish only)
 * @param warmLr the base learning rate of those steps
 * @param polishSamples sequences of the fixed polish sample
 * @param polishIterations Levenberg-Marquardt iterations per candidate (0: no polish)
 * @param polishMaxParams models with more parameters are not polished
 * @param warmPolish 1: the warm starts are polished too; 0: they are candidates as they are
 *     (and after {@code warmSteps} of Adam), and only the starts from scratch are polished
 * @param fullRank FULL only: k > 0 keeps every candidate in the sub-family of FULL whose
 *     departures from DIAG lie in one k-dimensional subspace of x ({@link LowRankFull}): starts
 *     and warm starts are projected onto it and polished in it; 0: all of FULL
 * @param validationSamples validation sequences for the choice between candidates
 * @param validationSeed seed of the validation sequences (stream EVALUATION; never the
 *     evaluation seed)
 * @param offRangePoints sigmas of the off-range check's grid ({@link OffRangeCheck}; 0: none)
 * @param offRangeSamples fresh sequences of the off-range check at each sigma
 * @param offRangeFactor a candidate fails the off-range check above this multiple of the bound
 * @param tailSamples fresh sequences of the tail check
 * @param tailRepairs polish rounds that add a failing tail check's worst sequences
 * @param curveEvery record the mean training loss every this many Adam steps
 */
public record TrainingConfig(
    Variant variant,
    int layers,
    int heads,
    TaskSpec task,
    long seed,
    int starts,
    long steps,
    int batchSize,
    AdamConfig adam,
    Schedule schedule,
    double clipNorm,
    double initStd,
    long warmSteps,
    double warmLr,
    int polishSamples,
    int polishIterations,
    int polishMaxParams,
    int warmPolish,
    int fullRank,
    int validationSamples,
    long validationSeed,
    int offRangePoints,
    int offRangeSamples,
    double offRangeFactor,
    int tailSamples,
    int tailRepairs,
    int curveEvery) {

  public TrainingConfig {
    Require.nonNull("variant", variant, "task", task, "adam", adam, "schedule", schedule);
    new ModelShape(variant, layers, heads, task.d()); // validates layers and heads
    TrainingParam.STARTS.check(starts);
    TrainingParam.STEPS.check(steps);
    TrainingParam.BATCH.check(batchSize);
    TrainingParam.CLIP.check(clipNorm);
    TrainingParam.INIT_STD.check(initStd);
    TrainingParam.WARM_STEPS.check(warmSteps);
    TrainingParam.WARM_LR.check(warmLr);
    TrainingParam.POLISH_SAMPLES.check(polishSamples);
    TrainingParam.POLISH_ITERATIONS.check(polishIterations);
    TrainingParam.POLISH_MAX_PARAMS.check(polishMaxParams);
    TrainingParam.WARM_POLISH.check(warmPolish);
    if (warmPolish > 1) {
      throw new IllegalArgumentException(TrainingParam.WARM_POLISH.key() + " must be 0 or 1, got "
          + warmPolish);
    }
    TrainingParam.FULL_RANK.check(fullRank);
    if (fullRank > 0 && variant != Variant.FULL) {
      throw new IllegalArgumentException(TrainingParam.FULL_RANK.key() + " applies to FULL only,"
          + " got " + fullRank + " for " + variant.paperName());
    }
    if (fullRank >= task.d()) {
      throw new IllegalArgumentException(TrainingParam.FULL_RANK.key() + " must be below d = "
          + task.d() + " (at d - 1 the family is nearly all of FULL), got " + fullRank);
    }
    TrainingParam.VALIDATION_SAMPLES.check(validationSamples);
    TrainingParam.OFFRANGE_POINTS.check(offRangePoints);
    TrainingParam.OFFRANGE_SAMPLES.check(offRangeSamples);
    TrainingParam.OFFRANGE_FACTOR.check(offRangeFactor);
    if (offRangePoints == 1) {
      throw new IllegalArgumentException(TrainingParam.OFFRANGE_POINTS.key()
          + " must be 0 (no check) or >= 2, got 1");
    }
    if (offRangePoints > 0) {
      Checks.atLeast(TrainingParam.OFFRANGE_SAMPLES.key(), offRangeSamples, 2);
    }
    TrainingParam.TAIL_SAMPLES.check(tailSamples);
    TrainingParam.TAIL_REPAIRS.check(tailRepairs);
    // the interval the curve's points imply
    Checks.atLeast(TrainingParam.CURVE_POINTS.field(), curveEvery, 1);
  }

  /** The model architecture this config trains. */
  public ModelShape shape() {
    return new ModelShape(variant, layers, heads, task.d());
  }

  /** Whether the polish phase runs for this shape. */
  public boolean polishes() {
    return polishIterations > 0 && trainedParams() <= polishMaxParams;
  }

  /** Whether the candidates live in FULL's low-rank sub-family ({@code fullRank > 0}). */
  public boolean lowRank() {
    return fullRank > 0;
  }

  /** The numbers the optimiser moves: the model's, or the low-rank family's. */
  public int trainedParams() {
    return lowRank() ? LowRankFull.perHead(fullRank) * layers * heads : shape().size();
  }

  /** A builder with the default recipe for the given model. */
  public static Builder builder(Variant variant, int layers, TaskSpec task) {
    return new Builder(variant, layers, task);
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The default recipe of one variant: the parameters of the default profile that differ by
   * variant (the others have one default: {@link TrainingParam}), and the {@code train} stage's
   * {@code split_layers}. GD++ has two numbers per layer: a Levenberg-Marquardt polish in the
   * exact spectral form from random starts finds its minima without Adam. DIAG explores with
   * Adam from scratch, then polishes; it takes a second start from scratch at 2 to {@link
   * #SHALLOW} layers, where its warm starts lie in worse basins than Adam finds from scratch.
   * FULL is trained in its rank-one family ({@link LowRankFull}), 10 numbers per layer: from a
   * DIAG point the gradient of FULL is DIAG, so its warm starts (DIAG embedded, the shallower
   * FULL) cannot leave the structure, and one small random start polished like DIAG is what
   * finds the off-DIAG models. Its warm starts are candidates as they are: polished, a DIAG
   * point stays DIAG, and the polish would cost as much as the start's. More starts find better
   * models (docs/recipes.md) but cost a minute or more each, which the default profile's budget
   * does not hold; splits are left out for the same reason.
   */
  public record VariantRecipe(int starts, long steps, double lr, double initStd, long warmSteps,
      int polishSamples, int polishIterations, int warmPolish, int fullRank, int splitLayers) {
    /** The depth up to which DIAG takes two starts from scratch (from 2 layers on). */
    public static final int SHALLOW = 3;

    public static VariantRecipe of(Variant variant, int layers) {
      return switch (variant) {
        case GDPP -> new VariantRecipe(2, 0, 0.01, 0.3, 0, 131072, 50, 1, 0, 1);
        case DIAG -> new VariantRecipe(layers > 1 && layers <= SHALLOW ? 2 : 1, 1000, 0.01, 0.02,
            0, 32768, 20, 1, 0, 1);
        case FULL -> new VariantRecipe(1, 0, 0.005, 0.05, 0, 32768, 60, 0, 1, 0);
      };
    }
  }

  /**
   * Named construction with the default recipe: each {@link TrainingParam}'s default ({@link
   * VariantRecipe} for the variant's), so the command line and the pipeline stage show the same
   * values.
   */
  public static final class Builder {
    private Variant variant;
    private int layers;
    private TaskSpec task;
    private int heads;
    private long seed;
    private int starts;
    private long steps;
    private int batchSize;
    private double lr;
    private double beta1;
    private double beta2;
    private double eps;
    private Schedule schedule;
    private double clipNorm;
    private double initStd;
    private long warmSteps;
    private double warmLr;
    private int polishSamples;
    private int polishIterations;
    private int polishMaxParams;
    private int warmPolish;
    private int fullRank;
    private int validationSamples;
    private long validationSeed;
    private int offRangePoints;
    private int offRangeSamples;
    private double offRangeFactor;
    private int tailSamples;
    private int tailRepairs;
    private int curvePoints;
    private Integer curveEvery; // null: derived from steps and curvePoints

    private Builder(Variant variant, int layers, TaskSpec task) {
      this.variant = Objects.requireNonNull(variant, "variant");
      this.layers = layers;
      this.task = task;
      for (TrainingParam p : TrainingParam.values()) {
        p.set(this, p.defaultValue(variant, layers));
      }
    }

    private Builder(TrainingConfig c) {
      variant = c.variant;
      layers = c.layers;
      task = c.task;
      for (TrainingParam p : TrainingParam.values()) {
        p.restore(this, p.get(c));
      }
    }

    public Builder layers(int l) { layers = l; return this; }
    public Builder task(TaskSpec t) { task = t; return this; }
    public Builder heads(int h) { heads = h; return this; }
    public Builder seed(long s) { seed = s; return this; }
    public Builder starts(int s) { starts = s; return this; }
    public Builder steps(long s) { steps = s; return this; }
    public Builder batchSize(int b) { batchSize = b; return this; }
    public Builder adam(AdamConfig a) {
      lr = a.lr();
      beta1 = a.beta1();
      beta2 = a.beta2();
      eps = a.eps();
      return this;
    }
    public Builder lr(double r) { lr = r; return this; }
    public Builder beta1(double b) { beta1 = b; return this; }
    public Builder beta2(double b) { beta2 = b; return this; }
    public Builder eps(double e) { eps = e; return this; }
    public Builder schedule(Schedule s) { schedule = s; return this; }
    public Builder clipNorm(double c) { clipNorm = c; return this; }
    public Builder initStd(double s) { initStd = s; return this; }
    public Builder warmSteps(long s) { warmSteps = s; return this; }
    public Builder warmLr(double r) { warmLr = r; return this; }
    public Builder polishSamples(int n) { polishSamples = n; return this; }
    public Builder polishIterations(int n) { polishIterations = n; return this; }
    public Builder polishMaxParams(int n) { polishMaxParams = n; return this; }
    public Builder warmPolish(int w) { warmPolish = w; return this; }
    public Builder fullRank(int k) { fullRank = k; return this; }
    public Builder validationSamples(int n) { validationSamples = n; return this; }
    public Builder validationSeed(long s) { validationSeed = s; return this; }
    public Builder offRangePoints(int n) { offRangePoints = n; return this; }
    public Builder offRangeSamples(int n) { offRangeSamples = n; return this; }
    public Builder offRangeFactor(double f) { offRangeFactor = f; return this; }
    public Builder tailSamples(int n) { tailSamples = n; return this; }
    public Builder tailRepairs(int n) { tailRepairs = n; return this; }
    /** Records the curve every this many Adam steps (instead of {@link #curvePoints}). */
    public Builder curveEvery(int n) { curveEvery = n; return this; }
    /** Records about {@code n} points of the curve over the longest Adam run. */
    public Builder curvePoints(int n) {
      curvePoints = n;
      curveEvery = null;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public TrainingConfig build() {
      int every;
      if (curveEvery != null) {
        every = curveEvery;
      } else {
        TrainingParam.CURVE_POINTS.check(curvePoints);
        every = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.max(steps, warmSteps)
            / curvePoints));
      }
      return new TrainingConfig(variant, layers, heads, task, seed, starts, steps, batchSize,
          new AdamConfig(lr, beta1, beta2, eps), schedule, clipNorm, initStd, warmSteps, warmLr,
          polishSamples, polishIterations, polishMaxParams, warmPolish, fullRank, validationSamples,
          validationSeed, offRangePoints, offRangeSamples, offRangeFactor, tailSamples,
          tailRepairs, every);
    }
  }
}
