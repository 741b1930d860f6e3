package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.Predictor;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.kinds.EvaluateKind;
import org.linearicl.experiments.kinds.TuneBaselinesKind;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baselines}: the {@code tune-baselines} stage kind, then the {@code evaluate} kind with
 * no models, run outside the pipeline. The options are the two kinds' parameters
 * ({@link KindOptions}: {@code --tune-*} and {@code --eval-*}, the task once), so the same
 * values give the bytes of the pipeline's stages.
 */
@Command(name = "baselines", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = BaselinesCommand.KindParams.class,
    description = {
        "Tunes and evaluates the baselines as the pipeline's stages do.",
        "Tunes ConstRR, TunedRR and the GD estimator on sequences of their own (the pipeline's"
            + " tune-baselines stage), then evaluates them, AdaRR, the oracle and the"
            + " Bayes-optimal predictor on the sequences the models are evaluated on (its"
            + " evaluate stage, with no models), and prints one JSON line: loss, adjusted loss"
            + " and its SE, tuned parameters, per-variance profile."})
public final class BaselinesCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(BaselinesCommand.class);

  static final TuneBaselinesKind TUNE = new TuneBaselinesKind();
  static final EvaluateKind EVALUATE = new EvaluateKind();
  /** The parameters both kinds declare: the task (noise, d, n). */
  static final Set<String> TASK = KindOptions.shared(EVALUATE, TUNE);
  /** evaluate's parameters as --eval-* options, the task as --noise, --d, --n. */
  static final KindOptions EVAL_OPTIONS = new KindOptions(EVALUATE, "eval-", TASK, Set.of());
  /** tune-baselines' parameters as --tune-* options; its task is evaluate's (--noise, ...). */
  static final KindOptions TUNE_OPTIONS = new KindOptions(TUNE, "tune-", TASK, TASK);

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the artifacts (" + ResultsJson.BASELINES_FILE + ", "
          + ResultsJson.EVALUATION_FILE + ") into this directory; 'evaluate --baselines DIR'"
          + " reuses the tuning.")
  Path out;

  @Mixin ThreadsOption threads;

  /** Adds the kinds' parameters as options to the annotated ones. */
  public static final class KindParams implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      EVAL_OPTIONS.addTo(spec);
      TUNE_OPTIONS.addTo(spec);
      return spec;
    }
  }

  @Override
  public Integer call() throws Exception {
    int t = threads.count();
    var parsed = spec.commandLine().getParseResult();
    StageParams evalParams = EVAL_OPTIONS.resolve(EVALUATE.name(), parsed,
        JsonNodeFactory.instance.objectNode());
    ObjectNode task = JsonNodeFactory.instance.objectNode();
    for (String name : TASK) {
      task.set(name, evalParams.values().get(name));
    }
    StageParams tuneParams = TUNE_OPTIONS.resolve(TUNE.name(), parsed, task);
    try {
      EvaluateKind.checkParams(evalParams); // before the tuning, which takes a while
    } catch (StageException e) {
      throw EVAL_OPTIONS.error(e);
    }
    if (out != null) {
      OutputPaths.created("--out", out, "the artifacts: baselines.json, evaluation.json");
    }
    Artifact tuned = tune(tuneParams, t);
    TreeMap<String, Artifact> inputs = new TreeMap<>(Map.of(TUNE.name(), tuned));
    Artifact evaluation = evaluate(evalParams, new StageInputs(EVALUATE.name(), inputs), t);
    if (out != null) {
      CheckpointFiles.write(out, tuned, evaluation);
      LOG.info("artifacts written to {}", out);
    }
    Evaluation e = ResultsJson.evaluation(evaluation, EVALUATE.name());
    printLine(spec, e, out, g -> {
      g.writeNumberField("samples", e.samples());
      g.writeNumberField("eval_seed", e.seed());
      g.writeNumberField("tune_samples", e.tuned().tuneSamples());
      g.writeNumberField("tune_seed", e.tuned().tuneSeed());
      predictors(g, e);
      g.writeObjectFieldStart("profile");
      g.writeFieldName("sigma");
      Json.numbers(g, e.profileSigma());
      for (PredictorResult p : e.baselines()) {
        g.writeObjectFieldStart(p.name());
        series(g, "adjusted_loss", p.profileAdjusted());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeFieldName("gd_eta_by_k");
      Json.numbers(g, e.tuned().gdEta());
      series(g, "gd_adjusted_loss_by_k", e.gdByK());
    });
    return 0;
  }

  /**
   * Prints the command's one JSON line about {@code e}: its task (noise, d, n), the fields of
   * {@code body}, then {@code out} if the artifacts were written.
   */
  static void printLine(CommandSpec spec, Evaluation e, Path out, Json.Body body) {
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("noise", e.noise());
      g.writeNumberField("d", e.d());
      g.writeNumberField("n", e.n());
      body.write(g);
      if (out != null) {
        g.writeStringField("out", out.toString());
      }
      g.writeEndObject();
    }));
    stdout.flush();
  }

  /** Runs tune-baselines outside the pipeline; a problem with its parameters is exit 2. */
  static Artifact tune(StageParams params, int threads) {
    long start = System.nanoTime();
    Artifact a;
    try {
      a = TUNE.run(params, StageInputs.none(TUNE.name()),
          StageContext.simple(TUNE.name(), threads));
    } catch (StageException e) {
      throw TUNE_OPTIONS.error(e);
    }
    LOG.info(String.format(Locale.ROOT, "tuned the baselines in %.1f s",
        (System.nanoTime() - start) * 1e-9));
    return a;
  }

  /** Runs evaluate outside the pipeline; a problem with its parameters or inputs is exit 2. */
  static Artifact evaluate(StageParams params, StageInputs inputs, int threads) {
    try {
      return EVALUATE.run(params, inputs, StageContext.simple(EVALUATE.name(), threads));
    } catch (StageException e) {
      throw EVAL_OPTIONS.error(e);
    }
  }

  /**
   * Every baseline of {@code e} as a field: loss, adjusted loss and its SE on the evaluation
   * sequences, and its tuned parameters.
   */
  static void predictors(JsonGenerator g, Evaluation e) throws IOException {
    Map<String, Predictor> byName = new TreeMap<>();
    for (Predictor p : BaselineStudy.predictors(e.tuned())) {
      byName.put(p.name(), p);
    }
    for (PredictorResult r : e.baselines()) {
      g.writeObjectFieldStart(r.name());
      Json.field(g, "loss", r.loss().mean());
      Json.field(g, "adjusted_loss", r.adjusted().mean());
      Json.field(g, "adjusted_loss_se", r.adjusted().se());
      for (Map.Entry<String, Double> param : byName.get(r.name()).parameters().entrySet()) {
        Json.field(g, param.getKey(), param.getValue());
      }
      g.writeEndObject();
    }
  }

  /** A series as {@code name} (means) and {@code name + "_se"}. */
  static void series(JsonGenerator g, String name, Series s) throws IOException {
    g.writeFieldName(name);
    Json.numbers(g, s.mean());
    g.writeFieldName(name + "_se");
    Json.numbers(g, s.se());
  }
}
