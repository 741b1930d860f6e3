package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.train.ChunkedExecutor;
import org.linearicl.core.train.Trainer;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.experiments.artifacts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: times full training steps (sampling, forward, backward, reduction, Adam) after
 * a warm-up that lets the JIT compile the kernels, and prints one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Times training steps (sampling + forward + backward + Adam) after a JIT warm-up and",
        "prints one JSON line: variant, layers, batch, threads, ms_per_step, sequences_per_s."})
public final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(BenchCommand.class);

  @Spec CommandSpec spec;

  @Mixin TrainCommand.RecipeOptions recipe;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "30",
      description = "Untimed steps before the timed ones (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
      description = "Timed runs of --steps steps; the fastest is reported, all are logged"
          + " (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Override
  public Integer call() {
    if (!spec.commandLine().getParseResult().hasMatchedOption("--steps")) {
      recipe.steps = 20;
    }
    Converters.atLeast("--steps", recipe.steps, 1);
    Converters.atLeast("--warmup", warmup, 0);
    Converters.atLeast("--repeats", repeats, 1);
    TrainingConfig timed = recipe.config();
    TrainingConfig warm = withSteps(timed, warmup);
    int threads = recipe.threads();
    double best = Double.POSITIVE_INFINITY;
    try (ChunkedExecutor executor = new ChunkedExecutor(threads)) {
      if (warmup > 0) {
        new Trainer(warm, executor).train(TrainingListener.NONE);
      }
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        new Trainer(timed, executor).train(TrainingListener.NONE);
        double ms = (System.nanoTime() - start) * 1e-6 / timed.steps();
        LOG.info(String.format(Locale.ROOT, "run %d/%d: %.3f ms per step", r + 1, repeats, ms));
        best = Math.min(best, ms);
      }
    }
    double msPerStep = best;
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("variant", timed.variant().cliName());
      g.writeNumberField("layers", timed.layers());
      g.writeNumberField("heads", timed.heads());
      g.writeNumberField("n", timed.task().n());
      g.writeNumberField("batch", timed.batchSize());
      g.writeNumberField("threads", threads);
      g.writeNumberField("steps", timed.steps());
      Json.field(g, "ms_per_step", TrainCommand.round3(msPerStep));
      Json.field(g, "sequences_per_s", Math.rint(timed.batchSize() * 1000.0 / msPerStep));
      g.writeEndObject();
    }));
    out.flush();
    return 0;
  }

  private static TrainingConfig withSteps(TrainingConfig c, long steps) {
    return new TrainingConfig(c.variant(), c.layers(), c.heads(), c.task(), c.seed(), steps,
        c.batchSize(), c.adam(), c.schedule(), c.clipNorm(), c.initStd(), c.divergenceFactor(),
        c.curveEvery());
  }
}
