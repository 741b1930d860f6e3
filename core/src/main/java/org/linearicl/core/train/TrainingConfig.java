package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.Require;

/**
 * Everything that determines the training of one model: the model, its task and seed, and the
 * recipe ({@link Training} runs it). Two runs with equal configs produce bit-identical models,
 * whatever the thread count. Build one with {@link #builder}; the builder's defaults are the
 * default profile's recipe ({@link VariantRecipe} and the {@link Builder} constants), so one
 * model trained with default options is trained as the pipeline trains it.
 *
 * <p>The recipe has three phases. <b>Exploration:</b> {@code starts} initialisations
 * N(0, initStd^2), each trained with Adam on {@code steps} fresh batches, and every warm start
 * (a shallower or simpler trained model embedded in this shape) trained with Adam for
 * {@code warmSteps} at {@code warmLr}. <b>Polish:</b> each candidate then takes up to
 * {@code polishIterations} Levenberg-Marquardt steps on one fixed sample of
 * {@code polishSamples} sequences (models with more than {@code polishMaxParams} parameters are
 * not polished: the Gauss-Newton matrix would cost too much). <b>Selection:</b> the candidate,
 * or the warm start itself, with the lowest loss on {@code validationSamples} validation
 * sequences is checked on {@code tailSamples} fresh sequences; if its tail dominates it is
 * repaired up to {@code tailRepairs} times, and never preferred to a stable candidate.
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
 * @param validationSamples validation sequences for the choice between candidates
 * @param validationSeed seed of the validation sequences (stream EVALUATION; never the
 *     evaluation seed)
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
    int validationSamples,
    long validationSeed,
    int tailSamples,
    int tailRepairs,
    int curveEvery) {

  public TrainingConfig {
    Require.nonNull("variant", variant, "task", task, "adam", adam, "schedule", schedule);
    new ModelShape(variant, layers, heads, task.d()); // validates layers and heads
    atLeast("starts", starts, 0);
    atLeast("steps", steps, 0);
    atLeast("batch size", batchSize, 1);
    atLeast("warm steps", warmSteps, 0);
    atLeast("polish samples", polishSamples, 1);
    atLeast("polish iterations", polishIterations, 0);
    atLeast("polish max params", polishMaxParams, 0);
    atLeast("validation samples", validationSamples, 2);
    atLeast("tail samples", tailSamples, 2);
    atLeast("tail repairs", tailRepairs, 0);
    atLeast("curve interval", curveEvery, 1);
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be finite and >= 0 (0 = off), got "
          + clipNorm);
    }
    if (!(initStd >= 0) || Double.isInfinite(initStd)) {
      throw new IllegalArgumentException("init std must be finite and >= 0, got " + initStd);
    }
    if (!(warmLr > 0) || Double.isInfinite(warmLr)) {
      throw new IllegalArgumentException("warm learning rate must be finite and > 0, got "
          + warmLr);
    }
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  /** The model architecture this config trains. */
  public ModelShape shape() {
    return new ModelShape(variant, layers, heads, task.d());
  }

  /** Whether the polish phase runs for this shape. */
  public boolean polishes() {
    return polishIterations > 0 && shape().size() <= polishMaxParams;
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
   * variant (the rest are {@link Builder}'s constants). GD++ has two numbers per layer: a
   * Levenberg-Marquardt polish in the exact spectral form from random starts finds its minima
   * without Adam. DIAG explores with Adam from scratch, then polishes. FULL starts only from the
   * models it contains (DIAG embedded, the shallower FULL) and refines them with Adam; a
   * Gauss-Newton matrix of its hundreds of parameters would cost too much and overfit the
   * polish sample. DIAG takes a second start from scratch at 2 to {@link #SHALLOW} layers,
   * where its warm starts lie in worse basins than Adam finds from scratch.
   */
  public record VariantRecipe(int starts, long steps, double lr, double initStd, long warmSteps,
      int polishSamples, int polishIterations) {
    /** The depth up to which DIAG takes two starts from scratch (from 2 layers on). */
    public static final int SHALLOW = 3;

    public static VariantRecipe of(Variant variant, int layers) {
      return switch (variant) {
        case GDPP -> new VariantRecipe(2, 0, 0.01, 0.3, 0, 131072, 50);
        case DIAG -> new VariantRecipe(layers > 1 && layers <= SHALLOW ? 2 : 1, 1000, 0.01, 0.02, 0, 32768, 20);
        case FULL -> new VariantRecipe(0, 0, 0.005, 0.02, 300, 32768, 0);
      };
    }
  }

  /**
   * Named construction with the default recipe: {@link VariantRecipe} for the variant and the
   * constants below for the rest, so the command line and the pipeline stage show the same
   * values.
   */
  public static final class Builder {
    public static final int HEADS = 1;
    public static final long SEED = 0;
    public static final int BATCH = 2048;
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.99;
    public static final double EPS = 1e-8;
    public static final String SCHEDULE = "cosine:warmup=100,final=0.01";
    public static final double CLIP = 1.0;
    public static final double WARM_LR = 0.001;
    public static final int POLISH_MAX_PARAMS = 512;
    public static final int VALIDATION_SAMPLES = 65536;
    public static final long VALIDATION_SEED = 2;
    public static final int TAIL_SAMPLES = 1_000_000;
    public static final int TAIL_REPAIRS = 2;
    /** Points of the recorded training curve: one every {@code steps / CURVE_POINTS} steps. */
    public static final int CURVE_POINTS = 200;

    private Variant variant;
    private int layers;
    private TaskSpec task;
    private int heads = HEADS;
    private long seed = SEED;
    private int starts;
    private long steps;
    private int batchSize = BATCH;
    private AdamConfig adam;
    private Schedule schedule = Schedule.parse(SCHEDULE);
    private double clipNorm = CLIP;
    private double initStd;
    private long warmSteps;
    private double warmLr = WARM_LR;
    private int polishSamples;
    private int polishIterations;
    private int polishMaxParams = POLISH_MAX_PARAMS;
    private int validationSamples = VALIDATION_SAMPLES;
    private long validationSeed = VALIDATION_SEED;
    private int tailSamples = TAIL_SAMPLES;
    private int tailRepairs = TAIL_REPAIRS;
    private Integer curveEvery; // null: derived from steps

    private Builder(Variant variant, int layers, TaskSpec task) {
      this.variant = Objects.requireNonNull(variant, "variant");
      this.layers = layers;
      this.task = task;
      VariantRecipe r = VariantRecipe.of(variant, layers);
      starts = r.starts();
      steps = r.steps();
      adam = new AdamConfig(r.lr(), BETA1, BETA2, EPS);
      initStd = r.initStd();
      warmSteps = r.warmSteps();
      polishSamples = r.polishSamples();
      polishIterations = r.polishIterations();
    }

    private Builder(TrainingConfig c) {
      variant = c.variant;
      layers = c.layers;
      heads = c.heads;
      task = c.task;
      seed = c.seed;
      starts = c.starts;
      steps = c.steps;
      batchSize = c.batchSize;
      adam = c.adam;
      schedule = c.schedule;
      clipNorm = c.clipNorm;
      initStd = c.initStd;
      warmSteps = c.warmSteps;
      warmLr = c.warmLr;
      polishSamples = c.polishSamples;
      polishIterations = c.polishIterations;
      polishMaxParams = c.polishMaxParams;
      validationSamples = c.validationSamples;
      validationSeed = c.validationSeed;
      tailSamples = c.tailSamples;
      tailRepairs = c.tailRepairs;
      curveEvery = c.curveEvery;
    }

    public Builder layers(int l) { layers = l; return this; }
    public Builder task(TaskSpec t) { task = t; return this; }
    public Builder heads(int h) { heads = h; return this; }
    public Builder seed(long s) { seed = s; return this; }
    public Builder starts(int s) { starts = s; return this; }
    public Builder steps(long s) { steps = s; return this; }
    public Builder batchSize(int b) { batchSize = b; return this; }
    public Builder adam(AdamConfig a) { adam = a; return this; }
    public Builder lr(double lr) {
      adam = new AdamConfig(lr, adam.beta1(), adam.beta2(), adam.eps());
      return this;
    }
    public Builder schedule(Schedule s) { schedule = s; return this; }
    public Builder clipNorm(double c) { clipNorm = c; return this; }
    public Builder initStd(double s) { initStd = s; return this; }
    public Builder warmSteps(long s) { warmSteps = s; return this; }
    public Builder warmLr(double lr) { warmLr = lr; return this; }
    public Builder polishSamples(int n) { polishSamples = n; return this; }
    public Builder polishIterations(int n) { polishIterations = n; return this; }
    public Builder polishMaxParams(int n) { polishMaxParams = n; return this; }
    public Builder validationSamples(int n) { validationSamples = n; return this; }
    public Builder validationSeed(long s) { validationSeed = s; return this; }
    public Builder tailSamples(int n) { tailSamples = n; return this; }
    public Builder tailRepairs(int n) { tailRepairs = n; return this; }
    public Builder curveEvery(int n) { curveEvery = n; return this; }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public TrainingConfig build() {
      int every = curveEvery != null ? curveEvery
          : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.max(steps, warmSteps)
              / CURVE_POINTS));
      return new TrainingConfig(variant, layers, heads, task, seed, starts, steps, batchSize,
          adam, schedule, clipNorm, initStd, warmSteps, warmLr, polishSamples, polishIterations,
          polishMaxParams, validationSamples, validationSeed, tailSamples, tailRepairs, every);
    }
  }
}
