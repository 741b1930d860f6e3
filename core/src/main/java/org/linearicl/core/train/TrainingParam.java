package org.linearicl.core.train;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.TrainingConfig.Builder;
import org.linearicl.core.train.TrainingConfig.VariantRecipe;
import org.linearicl.core.util.Checks;

/**
 * The parameters of a training run, each defined here once: its key, type, default, check and
 * help, and where a {@link TrainingConfig} and its checkpoint keep it. The {@code train} stage
 * declares its parameters from these and sets them on the builder by {@link #set}, the
 * {@link Builder} takes its defaults from {@link #defaultValue} and {@link TrainingConfig} its
 * checks from {@link #check}, and the checkpoint writes {@link #get} and reads back by
 * {@link #restore} under {@link #field()}: one name, default and check per parameter however
 * many places read it. Declared in the stage's order.
 *
 * <p>A parameter is given in one form and stored in another only where the two differ: the
 * checkpoint calls the clip {@code clip_norm}, keeps Adam's four numbers in an object
 * {@code adam}, and keeps the training curve as the interval its points imply
 * ({@code curve_every}), which is what training reads. Not here: the model and its task
 * (variant, layers, d, n, noise), the builder's arguments.
 *
 * <p>Values are boxed by {@link Type}: Integer, Long, Double, or String (the schedule's text).
 */
public enum TrainingParam {
  HEADS(fixed("heads", Type.INT, 1, "heads per layer").atLeast(1)
      .in(TrainingConfig::heads, (b, v) -> b.heads((Integer) v))),
  SEED(fixed("seed", Type.LONG, 0L,
      "seed of every training stream (batches, starts, polish sample, off-range and tail"
          + " checks)")
      .in(TrainingConfig::seed, (b, v) -> b.seed((Long) v))),
  STARTS(perVariant("starts", Type.INT, VariantRecipe::starts,
      "initialisations trained from scratch (0: warm starts only)").atLeast(0)
      .in(TrainingConfig::starts, (b, v) -> b.starts((Integer) v))),
  STEPS(perVariant("steps", Type.LONG, VariantRecipe::steps,
      "Adam steps from each initialisation").atLeast(0)
      .in(TrainingConfig::steps, (b, v) -> b.steps((Long) v))),
  BATCH(fixed("batch", Type.INT, 2048, "fresh sequences per Adam step").atLeast(1)
      .in(TrainingConfig::batchSize, (b, v) -> b.batchSize((Integer) v))),
  // Adam's four numbers: AdamConfig checks them
  LR(perVariant("lr", Type.DOUBLE, VariantRecipe::lr, "Adam's base learning rate from scratch")
      .storedIn("adam").in(c -> c.adam().lr(), (b, v) -> b.lr((Double) v))),
  SCHEDULE(fixed("schedule", Type.TEXT, "cosine:warmup=100,final=0.01",
      "constant | cosine[:warmup=STEPS,final=FRACTION]")
      .in(c -> c.schedule().spec(), (b, v) -> b.schedule(Schedule.parse((String) v)))),
  BETA1(fixed("beta1", Type.DOUBLE, 0.9, "Adam beta1")
      .storedIn("adam").in(c -> c.adam().beta1(), (b, v) -> b.beta1((Double) v))),
  BETA2(fixed("beta2", Type.DOUBLE, 0.99, "Adam beta2")
      .storedIn("adam").in(c -> c.adam().beta2(), (b, v) -> b.beta2((Double) v))),
  EPS(fixed("eps", Type.DOUBLE, 1e-8, "Adam epsilon")
      .storedIn("adam").in(c -> c.adam().eps(), (b, v) -> b.eps((Double) v))),
  CLIP(fixed("clip", Type.DOUBLE, 1.0, "global gradient-norm clip, 0 = off").finiteAtLeast(0)
      .storedAs("clip_norm").in(TrainingConfig::clipNorm, (b, v) -> b.clipNorm((Double) v))),
  INIT_STD(perVariant("init_std", Type.DOUBLE, VariantRecipe::initStd,
      "initial parameters ~ N(0, s^2)").finiteAtLeast(0)
      .in(TrainingConfig::initStd, (b, v) -> b.initStd((Double) v))),
  WARM_STEPS(perVariant("warm_steps", Type.LONG, VariantRecipe::warmSteps,
      "Adam steps from each warm start (0: polish only)").atLeast(0)
      .in(TrainingConfig::warmSteps, (b, v) -> b.warmSteps((Long) v))),
  WARM_LR(fixed("warm_lr", Type.DOUBLE, 0.001, "Adam's base rate from a warm start")
      .finiteAbove(0).in(TrainingConfig::warmLr, (b, v) -> b.warmLr((Double) v))),
  POLISH_SAMPLES(perVariant("polish_samples", Type.INT, VariantRecipe::polishSamples,
      "sequences of the fixed Levenberg-Marquardt sample").atLeast(1)
      .in(TrainingConfig::polishSamples, (b, v) -> b.polishSamples((Integer) v))),
  POLISH_ITERATIONS(perVariant("polish_iterations", Type.INT, VariantRecipe::polishIterations,
      "Levenberg-Marquardt iterations per candidate (0: no polish)").atLeast(0)
      .in(TrainingConfig::polishIterations, (b, v) -> b.polishIterations((Integer) v))),
  POLISH_MAX_PARAMS(fixed("polish_max_params", Type.INT, 512,
      "models with more parameters are not polished").atLeast(0)
      .in(TrainingConfig::polishMaxParams, (b, v) -> b.polishMaxParams((Integer) v))),
  WARM_POLISH(perVariant("warm_polish", Type.INT, VariantRecipe::warmPolish,
      "1: the warm starts are polished too; 0: only the starts from scratch").atLeast(0)
      .since(1).in(TrainingConfig::warmPolish, (b, v) -> b.warmPolish((Integer) v))),
  FULL_RANK(perVariant("full_rank", Type.INT, VariantRecipe::fullRank,
      "FULL only: k > 0 trains FULL in its sub-family whose departures from DIAG lie in one"
          + " k-dimensional subspace of x (2 (1 + (k+1)^2) numbers per head, polished like DIAG);"
          + " 0: every FULL parameter").atLeast(0).since(0)
      .in(TrainingConfig::fullRank, (b, v) -> b.fullRank((Integer) v))),
  VALIDATION_SAMPLES(fixed("validation_samples", Type.INT, 65536,
      "validation sequences (the choice between candidates and seeds)").atLeast(2)
      .in(TrainingConfig::validationSamples, (b, v) -> b.validationSamples((Integer) v))),
  VALIDATION_SEED(fixed("validation_seed", Type.LONG, 2L,
      "seed of the validation sequences (not the evaluation seed)")
      .in(TrainingConfig::validationSeed, (b, v) -> b.validationSeed((Long) v))),
  OFFRANGE_POINTS(fixed("offrange_points", Type.INT, 17,
      "sigmas of the off-range check's grid, as the evaluation's profile (0: no check)")
      .atLeast(0).since(0)
      .in(TrainingConfig::offRangePoints, (b, v) -> b.offRangePoints((Integer) v))),
  OFFRANGE_SAMPLES(fixed("offrange_samples", Type.INT, 20000,
      "fresh sequences of the off-range check at each sigma (>= 2 with a check)").atLeast(0)
      .since(2000)
      .in(TrainingConfig::offRangeSamples, (b, v) -> b.offRangeSamples((Integer) v))),
  OFFRANGE_FACTOR(fixed("offrange_factor", Type.DOUBLE, 10.0,
      "a candidate fails off range above this multiple of the one-step optimum's adjusted loss")
      .finiteAbove(0).since(2.0)
      .in(TrainingConfig::offRangeFactor, (b, v) -> b.offRangeFactor((Double) v))),
  TAIL_SAMPLES(fixed("tail_samples", Type.INT, 1_000_000, "fresh sequences of the tail check")
      .atLeast(2).in(TrainingConfig::tailSamples, (b, v) -> b.tailSamples((Integer) v))),
  TAIL_REPAIRS(fixed("tail_repairs", Type.INT, 2,
      "polish rounds with a failing tail check's worst sequences added").atLeast(0)
      .in(TrainingConfig::tailRepairs, (b, v) -> b.tailRepairs((Integer) v))),
  /** Given as points, held and stored as the interval they imply (the builder derives it). */
  CURVE_POINTS(fixed("curve_points", Type.INT, 200, "points of the recorded training curve")
      .atLeast(1).in(TrainingConfig::curveEvery, (b, v) -> b.curvePoints((Integer) v))
      .storedAs("curve_every", (b, v) -> b.curveEvery((Integer) v)));

  /** How a value is held: INT and LONG integers, DOUBLE numbers, TEXT strings. */
  public enum Type {
    INT(Integer.class), LONG(Long.class), DOUBLE(Double.class), TEXT(String.class);

    private final Class<?> boxed;

    Type(Class<?> boxed) {
      this.boxed = boxed;
    }
  }

  /** The check of a number: none, finite and >= bound, or finite and > bound. */
  private enum Bound { NONE, AT_LEAST, ABOVE }

  private final String key;
  private final String field;
  private final String group;
  private final Type type;
  private final Function<VariantRecipe, Object> defaults;
  private final boolean perVariant;
  private final Bound bound;
  private final double min;
  private final String help;
  private final Function<TrainingConfig, Object> get;
  private final BiConsumer<Builder, Object> set;
  private final BiConsumer<Builder, Object> restore;
  private final Object before;

  TrainingParam(Def d) {
    key = d.key;
    field = d.field;
    group = d.group;
    type = d.type;
    defaults = d.defaults;
    perVariant = d.perVariant;
    bound = d.bound;
    min = d.min;
    help = d.help;
    get = Objects.requireNonNull(d.get, key);
    set = d.set;
    restore = d.restore;
    before = d.before;
  }

  /** The parameter's name: the stage parameter's key (and the option {@code --KEY}). */
  public String key() {
    return key;
  }

  /** The checkpoint's key for the stored value: {@link #key()} unless it was stored otherwise. */
  public String field() {
    return field;
  }

  /** The object of the checkpoint's config that holds {@link #field()}; null: the config. */
  public String group() {
    return group;
  }

  public Type type() {
    return type;
  }

  /** One line on what the parameter does, as the stage schema and {@code --help} show it. */
  public String help() {
    return help;
  }

  /** Whether the default depends on the variant (for some, on the depth too): VariantRecipe. */
  public boolean perVariant() {
    return perVariant;
  }

  /** The default of a {@code layers}-layer model of {@code variant}. */
  public Object defaultValue(Variant variant, int layers) {
    return defaults.apply(perVariant ? VariantRecipe.of(variant, layers) : null);
  }

  /**
   * The default of a parameter whose default does not depend on the model.
   *
   * @throws IllegalStateException for a {@link #perVariant()} one
   */
  public Object defaultValue() {
    if (perVariant) {
      throw new IllegalStateException(key + ": the default depends on the variant");
    }
    return defaults.apply(null);
  }

  /**
   * The value a config held before the parameter existed, for a checkpoint written then (the
   * parameter is absent from it); null: every checkpoint holds the parameter.
   */
  public Object before() {
    return before;
  }

  /** The least value an integer parameter may take, if it has one. */
  public OptionalLong min() {
    return bound == Bound.AT_LEAST && type != Type.DOUBLE ? OptionalLong.of((long) min)
        : OptionalLong.empty();
  }

  /**
   * Checks a value of this parameter in the form it is held.
   *
   * @throws IllegalArgumentException naming the parameter: "batch must be >= 1, got 0"
   */
  public void check(Object value) {
    switch (bound) {
      case NONE -> {}
      case AT_LEAST -> {
        if (type == Type.DOUBLE) {
          Checks.finiteAtLeast(key, (Double) typed(value), min);
        } else {
          Checks.atLeast(key, ((Number) typed(value)).longValue(), (long) min);
        }
      }
      case ABOVE -> Checks.finiteAbove(key, (Double) typed(value), min);
    }
  }

  /**
   * Sets the parameter as given (a stage parameter, a default) on {@code builder}.
   *
   * @throws IllegalArgumentException if the value cannot be read (a schedule's text)
   */
  public void set(Builder builder, Object value) {
    set.accept(builder, typed(value));
  }

  /** The value as {@code config} holds it and its checkpoint stores it. */
  public Object get(TrainingConfig config) {
    return get.apply(config);
  }

  /**
   * Sets a value read back from where {@link #get} came from (a checkpoint, another config).
   *
   * @throws IllegalArgumentException if the value cannot be read (a schedule's text)
   */
  public void restore(Builder builder, Object stored) {
    restore.accept(builder, typed(stored));
  }

  private Object typed(Object value) {
    if (!type.boxed.isInstance(value)) {
      throw new IllegalArgumentException(key + ": expected a " + type.boxed.getSimpleName()
          + ", got " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return value;
  }

  private static Def fixed(String key, Type type, Object value, String help) {
    if (!type.boxed.isInstance(value)) {
      throw new IllegalArgumentException(key + ": default " + value + " is not a " + type);
    }
    return new Def(key, type, r -> value, false, help);
  }

  private static Def perVariant(String key, Type type, Function<VariantRecipe, Object> value,
      String help) {
    return new Def(key, type, value, true, help);
  }

  /** The definition of one parameter, written fluently in the constants above. */
  private static final class Def {
    final String key;
    final Type type;
    final Function<VariantRecipe, Object> defaults;
    final boolean perVariant;
    final String help;
    String field;
    String group;
    Bound bound = Bound.NONE;
    double min;
    Function<TrainingConfig, Object> get;
    BiConsumer<Builder, Object> set;
    BiConsumer<Builder, Object> restore;
    Object before;

    Def(String key, Type type, Function<VariantRecipe, Object> defaults, boolean perVariant,
        String help) {
      this.key = key;
      this.field = key;
      this.type = type;
      this.defaults = defaults;
      this.perVariant = perVariant;
      this.help = help;
    }

    Def atLeast(long least) {
      bound = Bound.AT_LEAST;
      min = least;
      return this;
    }

    Def finiteAtLeast(double least) {
      bound = Bound.AT_LEAST;
      min = least;
      return this;
    }

    Def finiteAbove(double least) {
      bound = Bound.ABOVE;
      min = least;
      return this;
    }

    /** Added later: older checkpoints lack it and held {@code value} (see {@link #before()}). */
    Def since(Object value) {
      if (!type.boxed.isInstance(value)) {
        throw new IllegalArgumentException(key + ": earlier value " + value + " is not a " + type);
      }
      before = value;
      return this;
    }

    Def storedIn(String object) {
      group = object;
      return this;
    }

    Def storedAs(String name) {
      field = name;
      return this;
    }

    /** Stored under another name and in another form, read back by {@code restoreStored}. */
    Def storedAs(String name, BiConsumer<Builder, Object> restoreStored) {
      field = name;
      restore = restoreStored;
      return this;
    }

    /** Where a config holds the value, and how the builder takes it. */
    Def in(Function<TrainingConfig, Object> getter, BiConsumer<Builder, Object> setter) {
      get = getter;
      set = setter;
      if (restore == null) {
        restore = setter;
      }
      return this;
    }
  }
}
