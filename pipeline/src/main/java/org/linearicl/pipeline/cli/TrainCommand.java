package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.kinds.TrainKind;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code train}: the {@code train} stage kind run outside the pipeline. Its options are the
 * kind's parameters ({@link KindOptions}), and without {@code --init-from} it trains the models
 * this one contains first ({@link WarmStartChain}, named as the pipeline names them), so a model
 * trained here with the default options is trained exactly as the default profile trains it, and
 * the same options give the same bytes as the stage. Afterwards the model is evaluated on
 * held-out sequences against the oracle ridge.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains one model as the pipeline's train stage does.",
        "Trains one linear transformer as the pipeline's train stage does (Adam from scratch and"
            + " from the models it contains, a Levenberg-Marquardt polish, selection on"
            + " validation sequences, off-range and tail checks), evaluates it on held-out"
            + " sequences against the oracle ridge, and prints one JSON line as its last line."
            + " The models it contains are trained first, as the pipeline trains them, unless"
            + " --init-from gives them."})
public final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(TrainCommand.class);

  /** The kind whose parameters are this command's options. */
  private static final TrainKind KIND = new TrainKind();

  private CommandSpec spec;

  @Option(names = "--init-from", paramLabel = "FILE",
      description = "A checkpoint this model contains (same variant with fewer layers, or a"
          + " simpler variant: GD++ in DIAG in FULL), as a warm start; repeatable.")
  List<Path> initFrom = List.of();

  @Option(names = "--warm-starts", paramLabel = "MODE", defaultValue = "train",
      description = "Without --init-from: 'train' first trains the models this one contains, as"
          + " the pipeline does (the simpler variant of the same depth, the same variant one"
          + " layer shallower, and theirs in turn, with the same options), and starts from them;"
          + " 'none' trains from scratch only (default: ${DEFAULT-VALUE}).")
  String warmStartMode;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the artifact (checkpoint.json, outcome.json) into this directory.")
  Path out;

  @Option(names = "--eval-samples", paramLabel = "N", defaultValue = "100000",
      description = "Held-out sequences for the final evaluation (default: ${DEFAULT-VALUE}).")
  int evalSamples;

  @Option(names = "--eval-seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the evaluation sequences; shared by every model and baseline so they"
          + " are compared on the same sequences (default: ${DEFAULT-VALUE}).")
  long evalSeed;

  @Mixin ThreadsOption threads;

  /** The command line of {@code train}: the annotated options plus the kind's parameters. */
  static CommandLine commandLine() {
    TrainCommand command = new TrainCommand();
    CommandSpec spec = CommandSpec.forAnnotatedObject(command);
    KindOptions.add(spec, KIND.params(), Set.of(), Map.of());
    command.spec = spec;
    return new CommandLine(spec);
  }

  @Override
  public Integer call() throws IOException {
    Converters.atLeast("--eval-samples", evalSamples, 2);
    int threadCount = threads.count();
    StageParams params = KindOptions.resolve("train", spec.commandLine().getParseResult(),
        KIND, Set.of(), Map.of());
    if (!warmStartMode.equals("train") && !warmStartMode.equals("none")) {
      throw new UserError("--warm-starts: expected train or none, got '" + warmStartMode + "'");
    }
    boolean chain = initFrom.isEmpty() && warmStartMode.equals("train");
    StageInputs inputs = inputs();
    TrainingConfig config;
    try {
      config = TrainKind.config(params);
      TrainKind.warmStarts(params, config, inputs);
    } catch (StageException e) {
      throw KindOptions.userError(e);
    }
    List<WarmStartChain.Model> contained = chain ? WarmStartChain.contained(config.variant(),
        config.layers()) : List.of();
    if (config.starts() == 0 && inputs.all().isEmpty() && contained.isEmpty()) {
      throw new UserError("nothing to train: --starts 0 and no model this "
          + config.variant().paperName() + " contains to start from; give them with --init-from"
          + " (for example the DIAG model of the same depth), leave out --warm-starts none, or"
          + " give --starts N");
    }
    // every contained model's options resolve (and fail) before any training
    Map<WarmStartChain.Model, StageParams> chainParams = new LinkedHashMap<>();
    for (WarmStartChain.Model m : contained) {
      chainParams.put(m, KindOptions.resolveAs(WarmStartChain.stageName(m, config.task().noise(),
          config.seed()), spec.commandLine().getParseResult(), KIND, m.variant().cliName(),
          m.layers()));
    }
    if (out != null) {
      OutputPaths.created("--out", out, "the artifact: checkpoint.json, outcome.json");
    }
    Main.logArithmetic();
    if (chain && !contained.isEmpty()) {
      inputs = trainContained(config, chainParams, threadCount);
    }
    LOG.info("training {} with {} layer(s), {} head(s) on {} ({} warm start(s)), {} thread(s)",
        config.variant().paperName(), config.layers(), config.heads(),
        config.task().noise().spec(), inputs.all().size(), threadCount);
    long start = System.nanoTime();
    Map<String, Double> phases = new TreeMap<>();
    Artifact artifact = KIND.run(params, inputs, StageContext.of("train", threadCount,
        (fraction, message) -> {}, (phase, sec) -> phases.merge(phase, sec, Double::sum)));
    double trainSeconds = (System.nanoTime() - start) * 1e-9;
    StringBuilder times = new StringBuilder();
    phases.forEach((phase, sec) -> times.append(String.format(Locale.ROOT, " %s %.1f s (%.1f%%)",
        phase, sec, 100 * sec / trainSeconds)));
    LOG.info(String.format(Locale.ROOT, "training took %.1f s:", trainSeconds) + times);
    if (out != null) {
      CheckpointFiles.write(out, artifact);
      LOG.info("artifact written to {}", out);
    }
    Checkpoint checkpoint = CheckpointJson.read(artifact.text(ResultsJson.CHECKPOINT_FILE),
        ResultsJson.CHECKPOINT_FILE);
    OutcomeJson.Summary outcome = OutcomeJson.read(artifact.text(OutcomeJson.FILE),
        OutcomeJson.FILE);
    PairedEvaluation ev;
    try (ChunkedExecutor executor = new ChunkedExecutor(threadCount)) {
      Batch evalSet = new TaskSampler(config.task()).sample(evalSamples, evalSeed,
          Streams.Purpose.EVALUATION, 0);
      ev = Evaluator.evaluate(checkpoint.model(), evalSet,
          Evaluator.oraclePredictions(evalSet, executor), executor);
    }
    double seconds = (System.nanoTime() - start) * 1e-9;
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
      g.writeNumberField("seed", config.seed());
      g.writeStringField("status", outcome.stable() ? OutcomeJson.STABLE : OutcomeJson.UNSTABLE);
      g.writeBooleanField("off_range_passed", outcome.offRangePassed());
      g.writeStringField("chosen", outcome.chosen());
      g.writeNumberField("adam_steps", outcome.adamSteps());
      g.writeNumberField("rejected_steps", outcome.rejectedSteps());
      Json.field(g, "validation_adjusted", checkpoint.evaluation().adjusted().mean());
      if (outcome.offRange() != null) {
        Json.field(g, "off_range_worst_ratio", outcome.offRange().worstRatio());
        Json.field(g, "off_range_worst_sigma", outcome.offRange().worstSigma());
      }
      if (outcome.tail() != null) {
        Json.field(g, "tail_max_loss", outcome.tail().maxLoss());
        g.writeNumberField("tail_exploded", outcome.tail().explodedCount());
        Json.field(g, "tail_exploded_share", outcome.tail().explodedShare());
      }
      g.writeNumberField("eval_samples", evalSamples);
      Json.field(g, "eval_loss", ev.loss().mean());
      Json.field(g, "eval_loss_se", ev.loss().standardError());
      Json.field(g, "oracle_loss", ev.oracle().mean());
      Json.field(g, "adjusted_loss", ev.adjusted().mean());
      Json.field(g, "adjusted_loss_se", ev.adjusted().standardError());
      g.writeNumberField("threads", threadCount);
      Json.field(g, "seconds", round3(seconds));
      Json.field(g, "train_seconds", round3(trainSeconds));
      if (out != null) {
        g.writeStringField("out", out.toString());
      }
      g.writeEndObject();
    }));
    stdout.flush();
    return 0;
  }

  /**
   * Trains the models this one contains, shallow first, each from the ones it contains in turn,
   * named as the pipeline names its stages; returns this model's own inputs (the models it
   * contains directly), as the pipeline passes them.
   */
  private StageInputs trainContained(TrainingConfig config,
      Map<WarmStartChain.Model, StageParams> chainParams, int threadCount) {
    Map<WarmStartChain.Model, Artifact> trained = new HashMap<>();
    for (Map.Entry<WarmStartChain.Model, StageParams> e : chainParams.entrySet()) {
      WarmStartChain.Model m = e.getKey();
      StageParams p = e.getValue();
      TreeMap<String, Artifact> in = new TreeMap<>();
      for (WarmStartChain.Model c : WarmStartChain.direct(m.variant(), m.layers())) {
        in.put(chainParams.get(c).stage(), trained.get(c));
      }
      LOG.info("warm start {}: training {} with {} layer(s) first ({} of {})", p.stage(),
          m.variant().paperName(), m.layers(), trained.size() + 1, chainParams.size());
      try {
        trained.put(m, KIND.run(p, new StageInputs(p.stage(), in),
            StageContext.of(p.stage(), threadCount, (fraction, message) -> {},
                (phase, sec) -> {})));
      } catch (StageException ex) {
        throw KindOptions.userError(ex);
      }
    }
    TreeMap<String, Artifact> own = new TreeMap<>();
    for (WarmStartChain.Model c : WarmStartChain.direct(config.variant(), config.layers())) {
      own.put(chainParams.get(c).stage(), trained.get(c));
    }
    return new StageInputs("train", own);
  }

  /** The --init-from checkpoints as the inputs a train stage would get, by file name. */
  private StageInputs inputs() {
    TreeMap<String, Artifact> byName = new TreeMap<>();
    for (Path file : initFrom) {
      CheckpointFiles.read("--init-from", file); // a readable checkpoint, or a one-line error
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserError("--init-from " + file + ": cannot be read (" + e.getMessage() + ")");
      }
      if (byName.put(file.toString(), Artifact.ofText(ResultsJson.CHECKPOINT_FILE, text)) != null) {
        throw new UserError("--init-from " + file + " is given twice");
      }
    }
    return new StageInputs("train", byName);
  }

  static double round3(double x) {
    return Math.rint(x * 1000.0) / 1000.0;
  }

}
