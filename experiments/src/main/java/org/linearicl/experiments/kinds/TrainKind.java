package org.linearicl.experiments.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.Training;
import org.linearicl.core.train.TrainingConfig.Builder;
import org.linearicl.core.train.TrainingConfig.VariantRecipe;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingProgress;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.util.Decimal;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * {@code train}: one model by the recipe of {@link Training} (candidates explored with Adam and
 * polished with Levenberg-Marquardt, chosen on validation sequences, tail-checked). Every
 * upstream train stage is a warm start: a model this one contains (the same variant with fewer
 * layers, or a simpler variant: GD++ in DIAG in FULL), embedded exactly, so this model is never
 * worse on validation than the models it starts from (the nesting of Table 1 by construction).
 *
 * <p>Artifact: {@value ResultsJson#CHECKPOINT_FILE} (config, parameters, Adam curve, validation)
 * and {@value OutcomeJson#FILE} (stable or unstable, every candidate with its validation and
 * tail numbers, rejected Adam steps). The {@code train} command runs exactly this kind, so one
 * model trained by hand with the default options is trained as the default profile trains it.
 */
public final class TrainKind extends DeclaredKind {
  private static final Logger LOG = LogManager.getLogger(TrainKind.class);

  public TrainKind() {
    super("train",
        3, // 3: candidates, Levenberg-Marquardt polish, warm starts, tail check; no skipping
        "trains one linear transformer (Adam, then Levenberg-Marquardt) from its own starts"
            + " and the models it contains, and checks its tail",
        PARAMS);
  }

  /** The parameters whose default is the variant's ({@link VariantRecipe}). */
  private static final Map<String, Function<VariantRecipe, Object>> PER_VARIANT =
      new LinkedHashMap<>();

  private static final List<ParamSpec> PARAMS = declare();

  private static List<ParamSpec> declare() {
    return Kinds.with(List.of(
        ParamSpec.required("variant", ParamType.STRING, "full | diag | gdpp"),
        ParamSpec.required("layers", ParamType.INTEGER, "layers (>= 1)"),
        opt("heads", ParamType.INTEGER, Builder.HEADS, "heads per layer"),
        opt("seed", ParamType.INTEGER, Builder.SEED,
            "seed of every training stream (batches, starts, polish sample, tail check)"),
        perVariant("starts", ParamType.INTEGER, VariantRecipe::starts,
            "initialisations trained from scratch (0: warm starts only)"),
        perVariant("steps", ParamType.INTEGER, VariantRecipe::steps,
            "Adam steps from each initialisation"),
        opt("batch", ParamType.INTEGER, Builder.BATCH, "fresh sequences per Adam step"),
        perVariant("lr", ParamType.NUMBER, VariantRecipe::lr,
            "Adam's base learning rate from scratch"),
        ParamSpec.optional("schedule", ParamType.STRING, "\"" + Builder.SCHEDULE + "\"",
            "constant | cosine[:warmup=STEPS,final=FRACTION]"),
        opt("beta1", ParamType.NUMBER, Builder.BETA1, "Adam beta1"),
        opt("beta2", ParamType.NUMBER, Builder.BETA2, "Adam beta2"),
        opt("eps", ParamType.NUMBER, Builder.EPS, "Adam epsilon"),
        opt("clip", ParamType.NUMBER, Builder.CLIP, "global gradient-norm clip, 0 = off"),
        perVariant("init_std", ParamType.NUMBER, VariantRecipe::initStd,
            "initial parameters ~ N(0, s^2)"),
        perVariant("warm_steps", ParamType.INTEGER, VariantRecipe::warmSteps,
            "Adam steps from each warm start (0: polish only)"),
        opt("warm_lr", ParamType.NUMBER, Builder.WARM_LR, "Adam's base rate from a warm start"),
        opt("identity_q", ParamType.NUMBER, IDENTITY_Q,
            "Q of the identity layers put in front of a shallower warm start (P = 0)"),
        perVariant("polish_samples", ParamType.INTEGER, VariantRecipe::polishSamples,
            "sequences of the fixed Levenberg-Marquardt sample"),
        perVariant("polish_iterations", ParamType.INTEGER, VariantRecipe::polishIterations,
            "Levenberg-Marquardt iterations per candidate (0: no polish)"),
        opt("polish_max_params", ParamType.INTEGER, Builder.POLISH_MAX_PARAMS,
            "models with more parameters are not polished"),
        opt("validation_samples", ParamType.INTEGER, Builder.VALIDATION_SAMPLES,
            "validation sequences (the choice between candidates and seeds)"),
        opt("validation_seed", ParamType.INTEGER, Builder.VALIDATION_SEED,
            "seed of the validation sequences (not the evaluation seed)"),
        opt("tail_samples", ParamType.INTEGER, Builder.TAIL_SAMPLES,
            "fresh sequences of the tail check"),
        opt("tail_repairs", ParamType.INTEGER, Builder.TAIL_REPAIRS,
            "polish rounds with a failing tail check's worst sequences added"),
        opt("curve_points", ParamType.INTEGER, Builder.CURVE_POINTS,
            "points of the recorded training curve")));
  }

  /** Q of the identity layers put first: P = 0 keeps the function, Q != 0 gives a gradient. */
  public static final double IDENTITY_Q = 1.0;

  private static ParamSpec opt(String name, ParamType type, Object value, String help) {
    return ParamSpec.optional(name, type, literal(value), help);
  }

  private static String literal(Object value) {
    return value instanceof Double v ? Decimal.shortest(v) : String.valueOf(value);
  }

  /**
   * The defaults of one variant over depths 1..deep, where the last holds for every deeper model:
   * {@code 1} or {@code 1 (2 at 2-3 layers)}.
   */
  private static String byDepth(Function<VariantRecipe, Object> value, Variant v, int deep) {
    String base = literal(value.apply(VariantRecipe.of(v, deep)));
    List<String> exceptions = new ArrayList<>();
    for (int from = 1; from < deep; ) {
      String x = literal(value.apply(VariantRecipe.of(v, from)));
      int to = from;
      while (to + 1 < deep && literal(value.apply(VariantRecipe.of(v, to + 1))).equals(x)) {
        to++;
      }
      if (!x.equals(base)) {
        exceptions.add(x + " at " + (from == to ? from + (from == 1 ? " layer" : " layers")
            : from + "-" + to + " layers"));
      }
      from = to + 1;
    }
    return exceptions.isEmpty() ? base : base + " (" + String.join(", ", exceptions) + ")";
  }

  /**
   * A parameter whose default depends on the variant (and for some, the depth):
   * {@link #completeParams} fills it in; the declared default (deep DIAG's) only shows in the
   * schema.
   */
  private static ParamSpec perVariant(String name, ParamType type,
      Function<VariantRecipe, Object> value, String help) {
    PER_VARIANT.put(name, value);
    StringBuilder b = new StringBuilder(help).append(" (default per variant:");
    int deep = VariantRecipe.SHALLOW + 1;
    String sep = " ";
    for (Variant v : Variant.values()) {
      b.append(sep).append(v.cliName()).append(' ').append(byDepth(value, v, deep));
      sep = ", ";
    }
    return ParamSpec.optional(name, type, literal(value.apply(VariantRecipe.of(Variant.DIAG,
        deep))), b.append(')').toString());
  }

  /**
   * Fills in the variant's recipe ({@link VariantRecipe}) for the parameters not given, so the
   * default profile, the command line and the cache key all see the same values.
   */
  @Override
  public ObjectNode completeParams(ObjectNode given) {
    Variant variant;
    try {
      variant = Variant.parse(given.path("variant").asText(null));
    } catch (IllegalArgumentException e) {
      return given; // the resolution reports it
    }
    JsonNode layers = given.path("layers");
    // an invalid depth is reported by the resolution; any depth gives the defaults a value
    VariantRecipe recipe = VariantRecipe.of(variant,
        layers.canConvertToInt() ? layers.asInt() : 1);
    for (Map.Entry<String, Function<VariantRecipe, Object>> e : PER_VARIANT.entrySet()) {
      JsonNode v = given.get(e.getKey());
      if (v == null || v.isNull()) {
        given.set(e.getKey(), StageParams.parseLiteral(literal(e.getValue().apply(recipe))));
      }
    }
    return given;
  }

  /** The checks of {@link #config}, which is what {@code train} and {@link #run} call. */
  @Override
  public void check(StageParams p) {
    config(p);
  }

  /** The training config the parameters describe. */
  public static TrainingConfig config(StageParams p) {
    Variant variant;
    try {
      variant = Variant.parse(p.string("variant"));
    } catch (IllegalArgumentException e) {
      throw p.invalid("variant", e);
    }
    Schedule schedule;
    try {
      schedule = Schedule.parse(p.string("schedule"));
    } catch (IllegalArgumentException e) {
      throw p.invalid("schedule", e);
    }
    long steps = p.integer("steps");
    long warmSteps = p.integer("warm_steps");
    int curvePoints = Kinds.atLeast(p, "curve_points", 1);
    try {
      return TrainingConfig.builder(variant, Kinds.atLeast(p, "layers", 1), Kinds.task(p))
          .heads(Kinds.atLeast(p, "heads", 1))
          .seed(p.integer("seed"))
          .starts(Kinds.atLeast(p, "starts", 0))
          .steps(steps)
          .batchSize(Kinds.atLeast(p, "batch", 1))
          .adam(new AdamConfig(p.number("lr"), p.number("beta1"), p.number("beta2"),
              p.number("eps")))
          .schedule(schedule)
          .clipNorm(p.number("clip"))
          .initStd(p.number("init_std"))
          .warmSteps(warmSteps)
          .warmLr(p.number("warm_lr"))
          .polishSamples(Kinds.atLeast(p, "polish_samples", 1))
          .polishIterations(Kinds.atLeast(p, "polish_iterations", 0))
          .polishMaxParams(Kinds.atLeast(p, "polish_max_params", 0))
          .validationSamples(Kinds.atLeast(p, "validation_samples", 2))
          .validationSeed(p.integer("validation_seed"))
          .tailSamples(Kinds.atLeast(p, "tail_samples", 2))
          .tailRepairs(Kinds.atLeast(p, "tail_repairs", 0))
          .curveEvery((int) Math.max(1, Math.min(Integer.MAX_VALUE,
              Math.max(steps, warmSteps) / curvePoints)))
          .build();
    } catch (IllegalArgumentException e) {
      throw new StageException("stage '" + p.stage() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Every input as a warm start, embedded in the config's shape.
   *
   * @throws StageException if an input is not a trained model this model contains
   */
  public static List<Training.WarmStart> warmStarts(StageParams p, TrainingConfig config,
      StageInputs inputs) {
    List<Training.WarmStart> out = new ArrayList<>();
    ModelShape shape = config.shape();
    for (Map.Entry<String, Artifact> in : inputs.all().entrySet()) {
      String from = in.getKey();
      if (!in.getValue().has(ResultsJson.CHECKPOINT_FILE)) {
        throw new StageException("stage '" + p.stage() + "': input '" + from + "' is not a"
            + " train artifact (files " + in.getValue().names() + ")");
      }
      Checkpoint start = CheckpointJson.read(in.getValue().text(ResultsJson.CHECKPOINT_FILE),
          from + "/" + ResultsJson.CHECKPOINT_FILE);
      if (!start.config().task().equals(config.task())) {
        throw new StageException("stage '" + p.stage() + "' cannot start from '" + from
            + "': it was trained on " + start.config().task() + ", this stage trains on "
            + config.task());
      }
      try {
        out.add(new Training.WarmStart(from, Embedding.embed(start.config().shape(),
            start.params(), shape, p.number("identity_q"))));
      } catch (IllegalArgumentException e) {
        throw new StageException("stage '" + p.stage() + "' cannot start from '" + from + "': "
            + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public Artifact run(StageParams p, StageInputs inputs, StageContext ctx) {
    TrainingConfig config = config(p);
    List<Training.WarmStart> warm = warmStarts(p, config, inputs);
    String stage = ctx.stageName();
    double[] fraction = {0.0}; // of the current Adam run, for the phase messages
    try (ChunkedExecutor executor = new ChunkedExecutor(ctx.threads())) {
      Training.Outcome outcome = Training.run(config, warm, executor, new Training.Listener() {
        @Override
        public void onProgress(TrainingProgress progress) {
          fraction[0] = (double) progress.step() / Math.max(1, progress.steps());
          ctx.progress(fraction[0],
              String.format(Locale.ROOT, "step %d/%d loss %.4g", progress.step(),
                  progress.steps(), progress.loss()));
          LOG.info(String.format(Locale.ROOT, "%s: step %d/%d loss %.5f, %.1f steps/s, %.0f s"
              + " left", stage, progress.step(), progress.steps(), progress.loss(),
              progress.stepsPerSecond(), progress.secondsLeft()));
        }

        @Override
        public void message(String text) {
          ctx.progress(fraction[0], text);
          LOG.info("{}: {}", stage, text);
        }

        @Override
        public void phase(String phase, double seconds) {
          ctx.time(phase, seconds);
        }
      });
      Training.Candidate c = outcome.choice();
      LOG.info(String.format(Locale.ROOT, "%s: chose %s of %d candidate(s): validation adjusted"
          + " loss %.5g +- %.2g, %s (%.1f s)", stage, c.name(), outcome.candidates().size(),
          c.validation().adjusted().mean(), c.validation().adjusted().standardError(),
          outcome.stable() ? "stable" : "UNSTABLE: its tail dominates", outcome.seconds()));
      Checkpoint checkpoint = new Checkpoint(config, outcome.params(), outcome.curve(),
          config.validationSamples(), config.validationSeed(), c.validation());
      return Artifact.builder()
          .text(ResultsJson.CHECKPOINT_FILE, CheckpointJson.write(checkpoint))
          .text(OutcomeJson.FILE, OutcomeJson.write(outcome))
          .build();
    }
  }
}
