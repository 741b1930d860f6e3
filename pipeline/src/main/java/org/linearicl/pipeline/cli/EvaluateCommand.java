package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.experiments.artifacts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: a saved model on fresh sequences, after every layer, against the oracle. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Evaluates a checkpoint on held-out sequences: loss and adjusted loss (minus the oracle",
        "ridge on the same sequences) of the prediction read out after every layer."})
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "A checkpoint written by 'train --out'.")
  Path model;

  @Option(names = "--noise", paramLabel = "SPEC", converter = Converters.NoiseConverter.class,
      description = "Evaluate on this noise distribution (default: the one it was trained on).")
  NoiseDistribution noise;

  @Option(names = "--eval-samples", paramLabel = "N", defaultValue = "100000",
      description = "Sequences (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--eval-seed", paramLabel = "K", defaultValue = "1",
      description = "Seed of the evaluation sequences (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "T",
      description = "Worker threads (default: all cores); results do not depend on it.")
  Integer threads;

  @Override
  public Integer call() {
    Converters.atLeast("--eval-samples", samples, 2);
    int t = Converters.threads(threads);
    Checkpoint checkpoint = CheckpointFiles.read("--model", model);
    TaskSpec trained = checkpoint.config().task();
    TaskSpec task = new TaskSpec(trained.d(), trained.n(), noise == null ? trained.noise() : noise);
    Batch batch = new TaskSampler(task).sample(samples, seed, Streams.Purpose.EVALUATION, 0);
    PairedEvaluation[] perLayer;
    try (ChunkedExecutor executor = new ChunkedExecutor(t)) {
      double[] oracle = Evaluator.oraclePredictions(batch, executor);
      double[][] predictions = Evaluator.predictAfterEachLayer(checkpoint.model(), batch, executor);
      perLayer = new PairedEvaluation[predictions.length];
      for (int l = 0; l < predictions.length; l++) {
        perLayer[l] = PairedEvaluation.of(predictions[l], oracle, batch.yq);
      }
    }
    PairedEvaluation last = perLayer[perLayer.length - 1];
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("model", model.toString());
      g.writeStringField("variant", checkpoint.config().variant().cliName());
      g.writeNumberField("layers", checkpoint.config().layers());
      g.writeStringField("noise", task.noise().spec());
      g.writeNumberField("eval_samples", samples);
      g.writeNumberField("eval_seed", seed);
      Json.field(g, "eval_loss", last.loss().mean());
      Json.field(g, "oracle_loss", last.oracle().mean());
      Json.field(g, "adjusted_loss", last.adjusted().mean());
      Json.field(g, "adjusted_loss_se", last.adjusted().standardError());
      g.writeArrayFieldStart("adjusted_loss_after_layer");
      for (PairedEvaluation e : perLayer) {
        Json.number(g, e.adjusted().mean());
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
    out.flush();
    return 0;
  }
}
