package org.linearicl.experiments.kinds;

import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.BackoffTraining;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.ChunkedExecutor;
import org.linearicl.core.train.Evaluator;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.Trainer;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingDivergedException;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/**
 * {@code train}: one model with Adam on fresh sequences (SPEC 3), with the learning-rate
 * back-off of {@link BackoffTraining}, then a validation on sequences of their own (stream
 * EVALUATION with {@code validation_seed}, which must differ from the evaluation seed) that
 * {@code select} uses to pick the best seed.
 *
 * <p>Artifact: {@value ResultsJson#CHECKPOINT_FILE} (the checkpoint, its training curve and the
 * validation numbers) and {@code outcome.json} (restarts and the requested rate); when every
 * attempt diverged, only {@value ResultsJson#DIVERGED_FILE}, so the grid goes on and the table
 * shows a missing cell. An optional single upstream train stage is a warm start (a curriculum
 * over depth: its layers first, the rest initialised as usual).
 */
public final class TrainKind implements StageKind {
  private static final Logger LOG = LogManager.getLogger(TrainKind.class);

  /** The outcome file beside the checkpoint. */
  public static final String OUTCOME_FILE = "outcome.json";

  @Override
  public String name() {
    return "train";
  }

  @Override
  public int version() {
    return 2; // 2: divergence judged on the median of the window; non-finite batches skipped
  }

  @Override
  public String description() {
    return "trains one linear transformer with Adam and validates it";
  }

  @Override
  public List<ParamSpec> params() {
    return Kinds.with(List.of(
        ParamSpec.required("variant", ParamType.STRING, "full | diag | gdpp"),
        ParamSpec.required("layers", ParamType.INTEGER, "layers (>= 1)"),
        ParamSpec.optional("heads", ParamType.INTEGER, "1", "heads per layer"),
        ParamSpec.optional("seed", ParamType.INTEGER, "0", "seed of batches and initialisation"),
        ParamSpec.required("steps", ParamType.INTEGER, "Adam steps"),
        ParamSpec.optional("batch", ParamType.INTEGER, "2048", "fresh sequences per step"),
        ParamSpec.optional("lr", ParamType.NUMBER, "0.001", "base learning rate"),
        ParamSpec.optional("schedule", ParamType.STRING, "\"cosine:warmup=100,final=0.01\"",
            "constant | cosine[:warmup=STEPS,final=FRACTION]"),
        ParamSpec.optional("beta1", ParamType.NUMBER, "0.9", "Adam beta1"),
        ParamSpec.optional("beta2", ParamType.NUMBER, "0.99", "Adam beta2"),
        ParamSpec.optional("eps", ParamType.NUMBER, "1e-8", "Adam epsilon"),
        ParamSpec.optional("clip", ParamType.NUMBER, "1", "global gradient-norm clip, 0 = off"),
        ParamSpec.optional("init_std", ParamType.NUMBER, "0.02", "initial parameters ~ N(0, s^2)"),
        ParamSpec.optional("retries", ParamType.INTEGER, "3",
            "restarts with half the learning rate after a divergence"),
        ParamSpec.optional("curve_points", ParamType.INTEGER, "200",
            "points of the recorded training curve"),
        ParamSpec.optional("validation_samples", ParamType.INTEGER, "10000",
            "validation sequences (for selecting the best seed)"),
        ParamSpec.optional("validation_seed", ParamType.INTEGER, "2",
            "seed of the validation sequences (not the evaluation seed)")));
  }

  /** The training config the parameters describe. */
  static TrainingConfig config(StageParams p) {
    TaskSpec task = Kinds.task(p);
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
    int curvePoints = Kinds.atLeast(p, "curve_points", 1);
    try {
      return new TrainingConfig(variant, Kinds.atLeast(p, "layers", 1),
          Kinds.atLeast(p, "heads", 1), task, p.integer("seed"), steps,
          Kinds.atLeast(p, "batch", 1),
          new AdamConfig(p.number("lr"), p.number("beta1"), p.number("beta2"), p.number("eps")),
          schedule, p.number("clip"), p.number("init_std"), 1e3,
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, steps / curvePoints)));
    } catch (IllegalArgumentException e) {
      throw new StageException("stage '" + p.stage() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public Artifact run(StageParams p, StageInputs inputs, StageContext ctx) {
    TrainingConfig requested = config(p);
    int retries = Kinds.atLeast(p, "retries", 0);
    int validationSamples = Kinds.atLeast(p, "validation_samples", 2);
    long validationSeed = p.integer("validation_seed");
    double[] initial = Trainer.initialParams(requested);
    if (!inputs.isEmpty()) {
      String from = inputs.all().firstKey();
      Checkpoint start = CheckpointJson.read(inputs.only().text(ResultsJson.CHECKPOINT_FILE),
          from + "/" + ResultsJson.CHECKPOINT_FILE);
      try {
        initial = Trainer.initialParams(requested, start.config().shape(), start.params());
      } catch (IllegalArgumentException e) {
        throw new StageException("stage '" + p.stage() + "' cannot start from '" + from + "': "
            + e.getMessage(), e);
      }
    }
    try (ChunkedExecutor executor = new ChunkedExecutor(ctx.threads())) {
      BackoffTraining.Outcome outcome;
      try {
        outcome = BackoffTraining.train(requested, initial, retries, executor,
            progress -> {
              ctx.progress((double) progress.step() / Math.max(1, progress.steps()),
                  String.format(Locale.ROOT, "step %d/%d loss %.4g", progress.step(),
                      progress.steps(), progress.loss()));
              LOG.info(String.format(Locale.ROOT, "%s: step %d/%d loss %.5f, %.1f steps/s",
                  ctx.stageName(), progress.step(), progress.steps(), progress.loss(),
                  progress.stepsPerSecond()));
            },
            e -> LOG.warn("{}: {}; restarting with half the learning rate", ctx.stageName(),
                e.getMessage()));
      } catch (TrainingDivergedException e) {
        LOG.warn("{}: diverged after {} restart(s): {}", ctx.stageName(), retries,
            e.getMessage());
        return Artifact.ofText(ResultsJson.DIVERGED_FILE, diverged(requested, retries,
            e.getMessage()));
      }
      TrainingConfig config = outcome.config();
      Batch validation = new TaskSampler(config.task()).sample(validationSamples,
          validationSeed, Streams.Purpose.EVALUATION, 0);
      PairedEvaluation eval = Evaluator.evaluate(
          new LinearTransformer(config.shape(), outcome.result().params()), validation,
          Evaluator.oraclePredictions(validation, executor), executor);
      Checkpoint checkpoint = new Checkpoint(config, outcome.result().params(),
          outcome.result().curve(), validationSamples, validationSeed, eval);
      LOG.info(String.format(Locale.ROOT,
          "%s: validation adjusted loss %.5f +- %.5f (%d step(s) skipped on non-finite batches)",
          ctx.stageName(), eval.adjusted().mean(), eval.adjusted().standardError(),
          outcome.result().skippedSteps()));
      return Artifact.builder()
          .text(ResultsJson.CHECKPOINT_FILE, CheckpointJson.write(checkpoint))
          .text(OUTCOME_FILE, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeNumberField("restarts", outcome.restarts());
            g.writeNumberField("skipped_steps", outcome.result().skippedSteps());
            Json.field(g, "requested_lr", requested.adam().lr());
            g.writeEndObject();
          }))
          .build();
    }
  }

  private static String diverged(TrainingConfig requested, int restarts, String message) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "diverged");
      g.writeNumberField("restarts", restarts);
      Json.field(g, "requested_lr", requested.adam().lr());
      g.writeStringField("message", message);
      CheckpointJson.writeConfig(g, requested);
      g.writeEndObject();
    });
  }
}
