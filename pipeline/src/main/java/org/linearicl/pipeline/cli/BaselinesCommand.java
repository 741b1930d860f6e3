package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.Predictor;
import org.linearicl.baselines.SpectralBatch;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.artifacts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baselines}: tunes the ridge baselines and evaluates them with the exact references. */
@Command(name = "baselines", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Tunes ConstRR, TunedRR and the GD estimator on sequences of their own, then evaluates",
        "them, AdaRR, the oracle and the Bayes-optimal predictor on the evaluation sequences the",
        "models use, and prints one JSON line (loss, adjusted loss and its SE, tuned parameters)."})
public final class BaselinesCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(BaselinesCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--noise", required = true, paramLabel = "SPEC",
      converter = Converters.NoiseConverter.class,
      description = "uniform:S | categorical:A,B,.. | fixed:S.")
  NoiseDistribution noise;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "100000",
      description = "Evaluation sequences (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--tune-samples", paramLabel = "N", defaultValue = "100000",
      description = "Tuning sequences, drawn from their own stream (default: ${DEFAULT-VALUE}).")
  int tuneSamples;

  @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
      description = "Seed of the tuning sequences (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--eval-seed", paramLabel = "K", defaultValue = "1",
      description = "Seed of the evaluation sequences, as for 'train' (default: ${DEFAULT-VALUE}).")
  long evalSeed;

  @Option(names = "--max-k", paramLabel = "K", defaultValue = "10",
      description = "Tune the GD estimator for K = 1..this (default: ${DEFAULT-VALUE}).")
  int maxK;

  @Option(names = "--profile-points", paramLabel = "P", defaultValue = "0",
      description = "Also evaluate every predictor at P fixed sigmas on [0, sigma_max + 1]"
          + " (categorical: [0, 6]), the per-variance profile (default: ${DEFAULT-VALUE} = off).")
  int profilePoints;

  @Option(names = "--profile-samples", paramLabel = "N", defaultValue = "10000",
      description = "Sequences per profile point (default: ${DEFAULT-VALUE}).")
  int profileSamples;

  @Option(names = "--d", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--n", defaultValue = "20",
      description = "Context examples (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--threads", paramLabel = "T",
      description = "Worker threads (default: all cores); results do not depend on it.")
  Integer threads;

  @Override
  public Integer call() {
    Converters.atLeast("--samples", samples, 2);
    Converters.atLeast("--tune-samples", tuneSamples, 2);
    Converters.atLeast("--max-k", maxK, 1);
    Converters.atLeast("--d", d, 1);
    Converters.atLeast("--n", n, d + 1);
    int t = Converters.threads(threads);
    TaskSpec task = new TaskSpec(d, n, noise);
    TunedBaselines tuned;
    Map<String, PairedEvaluation> results;
    List<Predictor> predictors;
    double[] grid = profilePoints > 0 ? BaselineStudy.profileGrid(noise, profilePoints) : null;
    Map<String, PairedEvaluation[]> profile = null;
    if (profilePoints == 1) {
      throw new UserError("--profile-points must be 0 (off) or >= 2, got 1");
    }
    Converters.atLeast("--profile-points", profilePoints, 0);
    Converters.atLeast("--profile-samples", profileSamples, 2);
    try (ChunkedExecutor executor = new ChunkedExecutor(t)) {
      long start = System.nanoTime();
      tuned = BaselineStudy.tune(task, tuneSamples, seed, maxK, executor);
      LOG.info(String.format(Locale.ROOT, "tuned on %d sequences in %.1f s: ConstRR lambda %.4g,"
          + " TunedRR c %.4g t %.4g, GD eta(K=%d) %.4g", tuneSamples,
          (System.nanoTime() - start) * 1e-9, tuned.constLambda(), tuned.tunedFactor(),
          tuned.tunedThreshold(), maxK, tuned.gdEta()[maxK - 1]));
      SpectralBatch eval = SpectralBatch.of(new TaskSampler(task).sample(samples, evalSeed,
          Streams.Purpose.EVALUATION, 0), executor);
      predictors = BaselineStudy.predictors(tuned);
      results = BaselineStudy.evaluate(predictors, eval);
      if (grid != null) {
        profile = BaselineStudy.profile(predictors, task, grid, profileSamples, evalSeed,
            executor);
      }
    }
    final Map<String, PairedEvaluation[]> profiles = profile;
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("noise", noise.spec());
      g.writeNumberField("samples", samples);
      g.writeNumberField("tune_samples", tuneSamples);
      g.writeNumberField("seed", seed);
      g.writeNumberField("eval_seed", evalSeed);
      for (Predictor p : predictors) {
        PairedEvaluation e = results.get(p.name());
        g.writeObjectFieldStart(p.name());
        Json.field(g, "loss", e.loss().mean());
        Json.field(g, "adjusted_loss", e.adjusted().mean());
        Json.field(g, "adjusted_loss_se", e.adjusted().standardError());
        for (Map.Entry<String, Double> param : p.parameters().entrySet()) {
          Json.field(g, param.getKey(), param.getValue());
        }
        g.writeEndObject();
      }
      if (profiles != null) {
        g.writeObjectFieldStart("profile");
        g.writeFieldName("sigma");
        Json.numbers(g, grid);
        for (Map.Entry<String, PairedEvaluation[]> e : profiles.entrySet()) {
          g.writeObjectFieldStart(e.getKey());
          double[] mean = new double[grid.length];
          double[] se = new double[grid.length];
          for (int i = 0; i < grid.length; i++) {
            mean[i] = e.getValue()[i].adjusted().mean();
            se[i] = e.getValue()[i].adjusted().standardError();
          }
          g.writeFieldName("adjusted_loss");
          Json.numbers(g, mean);
          g.writeFieldName("adjusted_loss_se");
          Json.numbers(g, se);
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeArrayFieldStart("gd_eta_by_k");
      for (double eta : tuned.gdEta()) {
        Json.number(g, eta);
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
    out.flush();
    return 0;
  }
}
