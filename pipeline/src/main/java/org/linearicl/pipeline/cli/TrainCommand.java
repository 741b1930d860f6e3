package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
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
import org.linearicl.core.train.TrainingProgress;
import org.linearicl.core.train.TrainingResult;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains one model, evaluates it against the oracle, optionally saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains one linear transformer with Adam on freshly sampled sequences, evaluates it on",
        "held-out sequences against the oracle ridge, and prints one JSON line as its last line."})
public final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(TrainCommand.class);

  @Spec CommandSpec spec;

  @Mixin RecipeOptions recipe;

  @Option(names = "--eval-samples", paramLabel = "N", defaultValue = "100000",
      description = "Held-out sequences for the final evaluation (default: ${DEFAULT-VALUE}).")
  int evalSamples;

  @Option(names = "--eval-seed", paramLabel = "K", defaultValue = "1",
      description = "Seed of the evaluation sequences; shared by every model and baseline so they"
          + " are compared on the same sequences (default: ${DEFAULT-VALUE}).")
  long evalSeed;

  @Option(names = "--retries", paramLabel = "R", defaultValue = "0",
      description = "On divergence restart with half the learning rate, up to R times; the"
          + " checkpoint records the rate that succeeded (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--init-from", paramLabel = "FILE",
      description = "Start from this checkpoint's parameters (same variant and heads, at most as"
          + " many layers: missing layers are initialised as usual), for curricula over depth.")
  Path initFrom;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the checkpoint (JSON) here, atomically, after a successful run.")
  Path out;

  @Override
  public Integer call() throws IOException {
    Converters.atLeast("--eval-samples", evalSamples, 2);
    Converters.atLeast("--retries", retries, 0);
    TrainingConfig requested = recipe.config();
    int threads = recipe.threads();
    if (out != null && Files.isDirectory(out)) {
      throw new UserError("--out " + out + " is a directory, expected a file name");
    }
    Main.logArithmetic();
    LOG.info("training {} with {} layer(s), {} head(s) on {}: {} steps of {} sequences, lr {},"
        + " schedule {}, {} thread(s)", requested.variant().paperName(), requested.layers(),
        requested.heads(), requested.task().noise().spec(), requested.steps(), requested.batchSize(),
        requested.adam().lr(), requested.schedule().spec(), threads);
    double[] initial = Trainer.initialParams(requested);
    if (initFrom != null) {
      Checkpoint start = CheckpointFiles.read("--init-from", initFrom);
      try {
        initial = Trainer.initialParams(requested, start.config().shape(), start.params());
      } catch (IllegalArgumentException e) {
        throw new UserError("--init-from " + initFrom + ": " + e.getMessage(), e);
      }
      LOG.info("starting from {} ({} layer(s))", initFrom, start.config().layers());
    }
    try (ChunkedExecutor executor = new ChunkedExecutor(threads)) {
      TrainingResult result;
      TrainingConfig config;
      try {
        BackoffTraining.Outcome outcome = BackoffTraining.train(requested, initial, retries,
            executor, TrainCommand::logProgress, e -> LOG.warn("{}; restarting with half the"
                + " learning rate", e.getMessage()));
        result = outcome.result();
        config = outcome.config();
      } catch (TrainingDivergedException e) {
        if (out != null && Files.deleteIfExists(out)) {
          LOG.warn("removed the earlier checkpoint {} so that it is not taken for this run", out);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + e.getMessage() + "; no checkpoint was written");
        err.flush();
        return 1;
      }
      long evalStart = System.nanoTime();
      Batch evalSet = new TaskSampler(config.task()).sample(evalSamples, evalSeed,
          Streams.Purpose.EVALUATION, 0);
      double[] oracle = Evaluator.oraclePredictions(evalSet, executor);
      PairedEvaluation evaluation = Evaluator.evaluate(
          new LinearTransformer(config.shape(), result.params()), evalSet, oracle, executor);
      Checkpoint checkpoint = new Checkpoint(config, result.params(), result.curve(),
          evalSamples, evalSeed, evaluation);
      double evalSeconds = (System.nanoTime() - evalStart) * 1e-9;
      if (out != null) {
        AtomicFiles.writeString(out, CheckpointJson.write(checkpoint));
        LOG.info("checkpoint written to {}", out);
      }
      PairedEvaluation ev = checkpoint.evaluation();
      LOG.info(String.format(Locale.ROOT, "evaluation on %d sequences: loss %.5f, oracle %.5f,"
          + " adjusted %.5f +- %.5f", evalSamples, ev.loss().mean(), ev.oracle().mean(),
          ev.adjusted().mean(), ev.adjusted().standardError()));
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(Json.writeLine(g -> {
        g.writeStartObject();
        g.writeStringField("variant", config.variant().cliName());
        g.writeNumberField("layers", config.layers());
        g.writeNumberField("heads", config.heads());
        g.writeStringField("noise", config.task().noise().spec());
        g.writeNumberField("steps", config.steps());
        g.writeNumberField("batch", config.batchSize());
        g.writeNumberField("seed", config.seed());
        Json.field(g, "lr", config.adam().lr());
        g.writeStringField("schedule", config.schedule().spec());
        g.writeNumberField("eval_samples", evalSamples);
        Json.field(g, "eval_loss", ev.loss().mean());
        Json.field(g, "eval_loss_se", ev.loss().standardError());
        Json.field(g, "oracle_loss", ev.oracle().mean());
        Json.field(g, "adjusted_loss", ev.adjusted().mean());
        Json.field(g, "adjusted_loss_se", ev.adjusted().standardError());
        g.writeFieldName("final_train_loss");
        double[] curve = result.curve().loss();
        Json.number(g, curve.length == 0 ? Double.NaN : curve[curve.length - 1]);
        g.writeNumberField("threads", threads);
        Json.field(g, "seconds", round3(result.seconds() + evalSeconds));
        Json.field(g, "train_seconds", round3(result.seconds()));
        if (out != null) {
          g.writeStringField("out", out.toString());
        }
        g.writeEndObject();
      }));
      stdout.flush();
      return 0;
    }
  }

  static double round3(double x) {
    return Math.rint(x * 1000.0) / 1000.0;
  }

  private static void logProgress(TrainingProgress p) {
    LOG.info(String.format(Locale.ROOT,
        "step %d/%d (%.0f%%) loss %.5f lr %.3g, %.1f steps/s, %s left", p.step(), p.steps(),
        100.0 * p.step() / Math.max(1, p.steps()), p.loss(), p.learningRate(),
        p.stepsPerSecond(), duration(p.secondsLeft())));
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** The model and recipe options shared by {@code train} and {@code bench}. */
  static final class RecipeOptions {
    @Option(names = "--variant", required = true, paramLabel = "full|diag|gdpp",
        converter = Converters.VariantConverter.class, description = "Model variant.")
    Variant variant;

    @Option(names = "--layers", required = true, paramLabel = "L", description = "Layers (>= 1).")
    int layers;

    @Option(names = "--heads", paramLabel = "H", defaultValue = "1",
        description = "Heads per layer (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--noise", paramLabel = "SPEC", defaultValue = "uniform:5",
        converter = Converters.NoiseConverter.class,
        description = "uniform:S | categorical:A,B,.. | fixed:S (default: ${DEFAULT-VALUE}).")
    NoiseDistribution noise;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000",
        description = "Adam steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "2048",
        description = "Fresh sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3",
        description = "Adam base learning rate (default: ${DEFAULT-VALUE}; the paper: 1e-4).")
    double lr;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "cosine:warmup=100,final=0.01",
        converter = Converters.ScheduleConverter.class,
        description = "constant | cosine[:warmup=STEPS,final=FRACTION] (default: ${DEFAULT-VALUE}).")
    Schedule schedule;

    @Option(names = "--beta1", defaultValue = "0.9", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", defaultValue = "0.99", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--eps", defaultValue = "1e-8", description = "Adam epsilon (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1",
        description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--init-std", paramLabel = "STD", defaultValue = "0.02",
        description = "Initial parameters ~ N(0, STD^2) (default: ${DEFAULT-VALUE}).")
    double initStd;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
        description = "Seed of the training batches and the initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--d", paramLabel = "D", defaultValue = "10",
        description = "Features per example (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--n", paramLabel = "N", defaultValue = "20",
        description = "Context examples per sequence (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--threads", paramLabel = "T",
        description = "Worker threads (default: all cores); results do not depend on it.")
    Integer threads;

    TrainingConfig config() {
      Converters.atLeast("--layers", layers, 1);
      Converters.atLeast("--heads", heads, 1);
      Converters.atLeast("--steps", steps, 0);
      Converters.atLeast("--batch", batch, 1);
      Converters.atLeast("--d", d, 1);
      Converters.atLeast("--n", n, 1);
      try {
        return new TrainingConfig(variant, layers, heads, new TaskSpec(d, n, noise), seed, steps,
            batch, new AdamConfig(lr, beta1, beta2, eps), schedule, clip, initStd, 1e3,
            Math.max(1, (int) Math.min(Integer.MAX_VALUE, steps / 100)));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), e);
      }
    }

    int threads() {
      return Converters.threads(threads);
    }
  }
}
