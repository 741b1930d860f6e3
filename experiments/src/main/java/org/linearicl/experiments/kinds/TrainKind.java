package org.linearicl.experiments.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Training;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingConfig.VariantRecipe;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.core.train.TrainingParam;
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
 * polished with Levenberg-Marquardt, chosen on validation sequences, checked off range and
 * tail-checked). Every
 * upstream train stage is a warm start: a model this one contains (the same variant with fewer
 * layers, or a simpler variant: GD++ in DIAG in FULL), embedded exactly, so this model is never
 * worse on validation than the models it starts from (the nesting of Table 1 by construction).
 *
 * <p>Artifact: {@value ResultsJson#CHECKPOINT_FILE} (config, parameters, Adam curve, validation)
 * and {@value OutcomeJson#FILE} (stable or unstable, off range passed or not, every candidate
 * with its validation, off-range and tail numbers, rejected Adam steps). The {@code train} command runs exactly this kind, so one
 * model trained by hand with the default options is trained as the default profile trains it.
 */
public final class TrainKind extends DeclaredKind {
  private static final Logger LOG = LogManager.getLogger(TrainKind.class);

  public TrainKind() {
    super("train",
        4, // 4: off-range check before the tail check (a filter; outcome.json records it);
        // split_layers: the shallower model's layers split in two half steps as warm starts
        // 3: candidates, Levenberg-Marquardt polish, warm starts, tail check; no skipping
        "trains one linear transformer (Adam, then Levenberg-Marquardt) from its own starts"
            + " and the models it contains, and checks it off its noise range and its tail",
        PARAMS);
  }

  // before PARAMS: declare() reads them
  private static final String SPLIT_LAYERS = "split_layers";
  /** This kind's own parameter with a default per variant: the recipe's split_layers. */
  private static final BiFunction<Variant, Integer, Object> SPLIT_DEFAULT =
      (v, layers) -> VariantRecipe.of(v, layers).splitLayers();

  private static final List<ParamSpec> PARAMS = declare();

  /**
   * The schema: the model, then every {@link TrainingParam} in its order with its key, default
   * and help, and this kind's own {@code identity_q} and {@code split_layers} after the warm
   * starts' rate.
   */
  private static List<ParamSpec> declare() {
    List<ParamSpec> specs = new ArrayList<>(List.of(
        ParamSpec.required("variant", ParamType.STRING, "full | diag | gdpp"),
        ParamSpec.required("layers", ParamType.INTEGER, "layers (>= 1)")));
    for (TrainingParam t : TrainingParam.values()) {
      specs.add(t.perVariant() ? perVariant(t) : ParamSpec.optional(t.key(), type(t),
          literal(t.defaultValue()), t.help()));
      if (t == TrainingParam.WARM_LR) {
        specs.add(ParamSpec.optional("identity_q", ParamType.NUMBER, literal(IDENTITY_Q),
            "Q of the identity layers put in front of a shallower warm start (P = 0)"));
        specs.add(perVariant(SPLIT_LAYERS, ParamType.INTEGER,
            "1: each layer of a warm start one layer shallower, split into two half steps, is a"
                + " warm start too, when the variant is polished; 0: only the identity layer",
            SPLIT_DEFAULT));
      }
    }
    return Kinds.with(specs);
  }

  /** Q of the identity layers put first: P = 0 keeps the function, Q != 0 gives a gradient. */
  public static final double IDENTITY_Q = 1.0;

  private static ParamType type(TrainingParam t) {
    return switch (t.type()) {
      case INT, LONG -> ParamType.INTEGER;
      case DOUBLE -> ParamType.NUMBER;
      case TEXT -> ParamType.STRING;
    };
  }

  /** A default as a JSON literal: shortest decimals for numbers, quotes around text. */
  private static String literal(Object value) {
    return value instanceof Double v ? Decimal.shortest(v)
        : value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }

  /**
   * The defaults of one variant over depths 1..deep, where the last holds for every deeper model:
   * {@code 1} or {@code 1 (2 at 2-3 layers)}.
   */
  private static String byDepth(BiFunction<Variant, Integer, Object> defaults, Variant v,
      int deep) {
    String base = literal(defaults.apply(v, deep));
    List<String> exceptions = new ArrayList<>();
    for (int from = 1; from < deep; ) {
      String x = literal(defaults.apply(v, from));
      int to = from;
      while (to + 1 < deep && literal(defaults.apply(v, to + 1)).equals(x)) {
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
  private static ParamSpec perVariant(TrainingParam t) {
    return perVariant(t.key(), type(t), t.help(), t::defaultValue);
  }

  private static ParamSpec perVariant(String key, ParamType type, String help,
      BiFunction<Variant, Integer, Object> defaults) {
    StringBuilder b = new StringBuilder(help).append(" (default per variant:");
    int deep = VariantRecipe.SHALLOW + 1;
    String sep = " ";
    for (Variant v : Variant.values()) {
      b.append(sep).append(v.cliName()).append(' ').append(byDepth(defaults, v, deep));
      sep = ", ";
    }
    return ParamSpec.optional(key, type, literal(defaults.apply(Variant.DIAG, deep)),
        b.append(')').toString());
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
    int depth = layers.canConvertToInt() ? layers.asInt() : 1;
    for (TrainingParam t : TrainingParam.values()) {
      JsonNode v = given.get(t.key());
      if (t.perVariant() && (v == null || v.isNull())) {
        given.set(t.key(), StageParams.parseLiteral(literal(t.defaultValue(variant, depth))));
      }
    }
    JsonNode split = given.get(SPLIT_LAYERS);
    if (split == null || split.isNull()) {
      given.set(SPLIT_LAYERS, StageParams.parseLiteral(literal(SPLIT_DEFAULT.apply(variant,
          depth))));
    }
    return given;
  }

  /** The checks of {@link #config}, which is what {@code train} and {@link #run} call. */
  @Override
  public void check(StageParams p) {
    config(p);
    splitLayers(p);
  }

  /** Whether a warm start one layer shallower is also split ({@code split_layers}: 0 or 1). */
  private static boolean splitLayers(StageParams p) {
    long split = p.integer(SPLIT_LAYERS);
    if (split != 0 && split != 1) {
      throw p.invalid(SPLIT_LAYERS, new IllegalArgumentException("must be 0 or 1, got "
          + split));
    }
    return split == 1;
  }

  /** The training config the parameters describe. */
  public static TrainingConfig config(StageParams p) {
    Variant variant;
    try {
      variant = Variant.parse(p.string("variant"));
    } catch (IllegalArgumentException e) {
      throw p.invalid("variant", e);
    }
    TrainingConfig.Builder b = TrainingConfig.builder(variant, p.atLeast("layers", 1),
        Kinds.task(p));
    for (TrainingParam t : TrainingParam.values()) {
      Object value = value(p, t);
      try {
        t.set(b, value);
      } catch (IllegalArgumentException e) {
        throw p.invalid(t.key(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new StageException("stage '" + p.stage() + "': " + e.getMessage(), e);
    }
  }

  /**
   * The parameter's value; an integer below its least value fails here, naming the parameter,
   * the rest when the config is built.
   */
  private static Object value(StageParams p, TrainingParam t) {
    return switch (t.type()) {
      case INT -> t.min().isPresent()
          ? p.atLeast(t.key(), Math.toIntExact(t.min().getAsLong())) : p.int32(t.key());
      case LONG -> p.integer(t.key());
      case DOUBLE -> p.number(t.key());
      case TEXT -> p.string(t.key());
    };
  }

  /**
   * Every input as a warm start, embedded in the config's shape; with {@code split_layers}, an
   * input of the same variant one layer shallower is also a warm start once per layer, that
   * layer split into two half steps ({@link Embedding#split}), so that a deeper model can start
   * with every layer at work rather than with an identity layer in front.
   *
   * @throws StageException if an input is not a trained model this model contains
   */
  public static List<Training.WarmStart> warmStarts(StageParams p, TrainingConfig config,
      StageInputs inputs) {
    List<Training.WarmStart> out = new ArrayList<>();
    ModelShape shape = config.shape();
    boolean split = splitLayers(p);
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
        ModelShape from0 = start.config().shape();
        out.add(new Training.WarmStart(from, Embedding.embed(from0, start.params(), shape,
            p.number("identity_q"))));
        // a split start differs from the shallower model at second order only; the polish is
        // what makes it a candidate of its own, so without one it would add nothing
        if (split && config.polishes() && from0.withLayers(shape.layers()).equals(shape)
            && from0.layers() == shape.layers() - 1) {
          for (int layer = 0; layer < from0.layers(); layer++) {
            out.add(new Training.WarmStart(from + "/split-" + (layer + 1),
                Embedding.split(from0, start.params(), layer)));
          }
        }
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
      Training.Outcome outcome = Training.run(config, warm, executor, new TrainingListener() {
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
          (outcome.stable() ? "stable" : "UNSTABLE: its tail dominates")
              + (outcome.offRangePassed() ? "" : ", OFF-RANGE FAILED: above the one-step"
              + " optimum off its noise range"), outcome.seconds()));
      Checkpoint checkpoint = new Checkpoint(config, outcome.params(), outcome.curve(),
          config.validationSamples(), config.validationSeed(), c.validation());
      return Artifact.builder()
          .text(ResultsJson.CHECKPOINT_FILE, CheckpointJson.write(checkpoint))
          .text(OutcomeJson.FILE, OutcomeJson.write(outcome))
          .build();
    }
  }
}
