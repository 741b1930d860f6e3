package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.kinds.EvaluateKind;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
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
 * {@code evaluate}: the {@code evaluate} stage kind run outside the pipeline on saved models.
 * The checkpoints are its train inputs and fix the task (noise, d, n): the kind evaluates models
 * on the task they were trained on, next to the baselines of that task. Its other parameters are
 * the {@code --eval-*} options ({@link KindOptions}), so the same values give the bytes of the
 * pipeline's stage.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = EvaluateCommand.KindParams.class,
    description = {
        "Evaluates saved models as the pipeline's evaluate stage does.",
        "On held-out sequences of the task they were trained on: loss and adjusted loss (minus"
            + " the oracle ridge on the same sequences) of the prediction read out after every"
            + " layer, a second evaluation set and the per-variance profile, next to the tuned"
            + " baselines. Prints one JSON line."})
public final class EvaluateCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(EvaluateCommand.class);

  /** evaluate's parameters as --eval-* options; the task is the models'. */
  static final KindOptions EVAL_OPTIONS = new KindOptions(BaselinesCommand.EVALUATE, "eval-",
      Set.of(), BaselinesCommand.TASK);

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "A checkpoint.json written by 'train --out DIR' (with the outcome.json"
          + " beside it); repeatable, for models of one task.")
  List<Path> models;

  @Option(names = "--baselines", paramLabel = "DIR",
      description = "The tuned baselines written by 'baselines --out DIR' for the models' task"
          + " (default: tuned first, see above).")
  Path baselines;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the artifact (" + ResultsJson.EVALUATION_FILE + ", and "
          + ResultsJson.BASELINES_FILE + " when tuned here) into this directory.")
  Path out;

  @Mixin ThreadsOption threads;

  /** Adds evaluate's parameters as options, and says how the baselines are tuned. */
  public static final class KindParams implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      EVAL_OPTIONS.addTo(spec);
      List<String> description = new ArrayList<>(
          List.of(spec.usageMessage().description()));
      description.add("Without --baselines, the baselines are tuned first as the pipeline's");
      description.add("tune-baselines stage tunes them by default (" + tuneDefaults() + ").");
      spec.usageMessage().description(description.toArray(String[]::new));
      return spec;
    }
  }

  /** tune-baselines' defaults, as {@code samples 100000, seed 0, max_k 10}. */
  private static String tuneDefaults() {
    return BaselinesCommand.TUNE.params().stream()
        .filter(p -> !p.isRequired() && !BaselinesCommand.TASK.contains(p.name()))
        .map(p -> p.name() + " " + KindOptions.defaultText(p))
        .collect(Collectors.joining(", "));
  }

  @Override
  public Integer call() throws IOException {
    int t = threads.count();
    if (out != null) {
      OutputPaths.created("--out", out, "the artifact: evaluation.json, and baselines.json when tuned here");
    }
    TreeMap<String, Artifact> inputs = new TreeMap<>();
    TaskSpec task = null;
    String first = null;
    for (Path file : models) {
      CheckpointFiles.TrainFiles m = CheckpointFiles.train("--model", file);
      TaskSpec trained = m.checkpoint().config().task();
      if (task == null) {
        task = trained;
        first = file.toString();
      } else if (!trained.equals(task)) {
        // checked here too: without --baselines the kind would see it only after the tuning
        throw new UserError("--model " + file + " was trained on " + describe(trained)
            + ", --model " + first + " on " + describe(task) + ": evaluate compares models of"
            + " one task");
      }
      put(inputs, file.toString(), m.artifact());
    }
    StageParams params = EVAL_OPTIONS.resolve(BaselinesCommand.EVALUATE.name(),
        spec.commandLine().getParseResult(), EvaluateKind.taskParams(task));
    try {
      EvaluateKind.checkParams(params);
    } catch (StageException e) {
      throw EVAL_OPTIONS.error(e);
    }
    Artifact tuned = null;
    if (baselines != null) {
      put(inputs, baselines.toString(), CheckpointFiles.baselines("--baselines", baselines));
    } else {
      LOG.info("no --baselines: tuning them for {} ({})", task.noise().spec(), tuneDefaults());
      tuned = BaselinesCommand.tune(StageParams.resolve(BaselinesCommand.TUNE.name(),
          BaselinesCommand.TUNE.params(), EvaluateKind.taskParams(task)), t);
      put(inputs, BaselinesCommand.TUNE.name(), tuned);
    }
    Main.logArithmetic();
    Artifact evaluation = BaselinesCommand.evaluate(params,
        new StageInputs(BaselinesCommand.EVALUATE.name(), inputs), t);
    if (out != null) {
      CheckpointFiles.write(out, tuned == null ? new Artifact[] {evaluation}
          : new Artifact[] {tuned, evaluation});
      LOG.info("artifact written to {}", out);
    }
    Evaluation e = ResultsJson.evaluation(evaluation, BaselinesCommand.EVALUATE.name());
    BaselinesCommand.printLine(spec, e, out, g -> {
      g.writeNumberField("eval_samples", e.samples());
      g.writeNumberField("eval_seed", e.seed());
      Json.field(g, "oracle_loss", e.oracleLoss().mean());
      g.writeArrayFieldStart("models");
      for (ModelResult m : e.models()) {
        g.writeStartObject();
        g.writeStringField("model", m.stage());
        ResultsJson.modelFields(g, m);
        Json.field(g, "eval_loss", m.loss().mean());
        Json.field(g, "adjusted_loss", m.adjusted().mean());
        Json.field(g, "adjusted_loss_se", m.adjusted().se());
        Json.field(g, "confirm_adjusted_loss", m.confirm().mean());
        Json.field(g, "confirm_adjusted_loss_se", m.confirm().se());
        g.writeFieldName("adjusted_loss_after_layer");
        Json.numbers(g, m.perLayerAdjusted().mean());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("baselines");
      BaselinesCommand.predictors(g, e);
      g.writeEndObject();
    });
    return 0;
  }

  private static String describe(TaskSpec task) {
    return task.noise().spec() + " with d, n = " + task.d() + ", " + task.n();
  }

  /** Adds an input of the kind; the inputs are named by their files, as the kind reports them. */
  private static void put(TreeMap<String, Artifact> inputs, String name, Artifact a) {
    if (inputs.putIfAbsent(name, a) != null) {
      throw new UserError("'" + name + "' is given twice (as --model or --baselines)");
    }
  }
}
