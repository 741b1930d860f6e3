package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.linearicl.core.model.FlopCount;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.train.Adam;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.train.AdamTrainer;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.kinds.TrainKind;
import org.linearicl.experiments.stage.StageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code bench}: times full training steps (sampling, forward, backward, reduction, Adam) after
 * a warm-up that lets the JIT compile the kernels, and prints one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Times training steps of one model.",
        "Times training steps (sampling, forward and backward pass, Adam) after a JIT warm-up"
            + " and prints one JSON line: variant, layers, n, batch, threads, ms_per_step,"
            + " sequences_per_s, flops_per_step (2 x the kernel's multiply-adds, see FlopCount)"
            + " and gflops; with --breakdown the single-threaded time of each phase of a step;"
            + " with --peak the machine's double-precision GFLOP/s on a 1000 x 1000 EJML matrix"
            + " product."})
public final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(BenchCommand.class);

  /** The train kind: its parameters (but steps) are this command's model and recipe options. */
  private static final TrainKind KIND = new TrainKind();
  private static final Set<String> OWN = Set.of("steps");
  /** A step costs the same at every noise level, so bench needs no --noise. */
  private static final Map<String, String> DEFAULTS = Map.of("noise", "uniform:5");

  private CommandSpec spec;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
      description = "Timed steps per run (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "30",
      description = "Untimed steps before the timed ones (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
      description = "Timed runs of --steps steps; the fastest is reported as ms_per_step, the"
          + " median as ms_per_step_median, all are logged"
          + " (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--breakdown",
      description = "Also time each phase of a step on one thread (sampling, context statistics,"
          + " forward, backward, reduction + Adam) over --steps steps, best of --repeats.")
  boolean breakdown;

  @Option(names = "--peak",
      description = "Also measure the machine's double-precision peak: the best GFLOP/s of"
          + " several 1000 x 1000 EJML products (CommonOps_DDRM.mult), on one thread.")
  boolean peak;

  @Option(names = "--guard",
      description = "Instead of timing steps, check the kernel's speed against a yardstick timed"
          + " in the same process (plain loops doing the same multiply-adds); prints one JSON"
          + " line and exits 1 when kernel / yardstick exceeds --guard-max-ratio.")
  boolean guard;

  @Option(names = "--guard-max-ratio", paramLabel = "X",
      description = "The largest kernel / yardstick ratio --guard accepts (default: the"
          + " threshold measured for the arithmetic in use, see GUARD_MAX_RATIO and"
          + " docs/performance.md).")
  Double guardMaxRatio;

  @Option(names = "--guard-rounds", paramLabel = "N", defaultValue = "21",
      description = "Timed rounds of --guard, each the kernel and the yardstick once; the"
          + " median ratio decides (default: ${DEFAULT-VALUE}).")
  int guardRounds;

  /** The command line of {@code bench}: the annotated options plus the train kind's. */
  static CommandLine commandLine() {
    BenchCommand command = new BenchCommand();
    CommandSpec spec = CommandSpec.forAnnotatedObject(command);
    KindOptions.add(spec, KIND.params(), OWN, DEFAULTS);
    command.spec = spec;
    return new CommandLine(spec);
  }

  @Override
  public Integer call() {
    Converters.atLeast("--steps", steps, 1);
    Converters.atLeast("--warmup", warmup, 0);
    Converters.atLeast("--repeats", repeats, 1);
    TrainingConfig timed;
    try {
      timed = TrainKind.config(KindOptions.resolve("bench", spec.commandLine().getParseResult(),
          KIND, OWN, DEFAULTS)).toBuilder().steps(steps).build();
    } catch (StageException e) {
      throw KindOptions.userError(e);
    }
    if (guard) {
      return guard(timed);
    }
    Main.logArithmetic();
    int threads = Converters.threads(this.threads);
    double best = Double.POSITIVE_INFINITY;
    double[] runs = new double[repeats];
    double bestCpu = Double.POSITIVE_INFINITY;
    try (ChunkedExecutor executor = new ChunkedExecutor(threads)) {
      AdamTrainer trainer = new AdamTrainer(timed, executor);
      double[] init = AdamTrainer.initialParams(timed, 0);
      double lr = timed.adam().lr();
      if (warmup > 0) {
        trainer.train(init, warmup, lr, 1, TrainingListener.NONE);
      }
      for (int r = 0; r < repeats; r++) {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        trainer.train(init, steps, lr, 0, TrainingListener.NONE);
        double ms = (System.nanoTime() - start) * 1e-6 / timed.steps();
        if (cpuStart >= 0) {
          bestCpu = Math.min(bestCpu, (processCpuNanos() - cpuStart) * 1e-6 / timed.steps());
        }
        LOG.info(String.format(Locale.ROOT, "run %d/%d: %.3f ms per step", r + 1, repeats, ms));
        best = Math.min(best, ms);
        runs[r] = ms;
      }
    }
    double msPerStep = best;
    double cpuMsPerStep = bestCpu;
    ModelShape shape = timed.shape();
    int n = timed.task().n();
    double flops = FlopCount.flopsPerStep(shape, n, timed.batchSize());
    double[] phases = breakdown ? breakdown(timed, warmup, timed.steps(), repeats) : null;
    double peakGflops = peak ? peakGflops() : Double.NaN;
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("variant", timed.variant().cliName());
      g.writeNumberField("layers", timed.layers());
      g.writeNumberField("heads", timed.heads());
      g.writeNumberField("n", timed.task().n());
      g.writeNumberField("batch", timed.batchSize());
      g.writeNumberField("threads", threads);
      g.writeStringField("arithmetic", GradientKernel.arithmetic());
      g.writeNumberField("steps", timed.steps());
      Json.field(g, "ms_per_step", TrainCommand.round3(msPerStep));
      Json.field(g, "sequences_per_s", Math.rint(timed.batchSize() * 1000.0 / msPerStep));
      Json.field(g, "ms_per_step_median", TrainCommand.round3(median(runs)));
      if (Double.isFinite(cpuMsPerStep)) {
        Json.field(g, "cpu_ms_per_step", TrainCommand.round3(cpuMsPerStep));
      }
      Json.field(g, "flops_per_step", flops);
      Json.field(g, "gflops", TrainCommand.round3(flops / (msPerStep * 1e6)));
      if (phases != null) {
        g.writeObjectFieldStart("breakdown_ms");
        for (int i = 0; i < PHASES.length; i++) {
          Json.field(g, PHASES[i], TrainCommand.round3(phases[i]));
        }
        g.writeEndObject();
      }
      if (peak) {
        Json.field(g, "peak_gflops", TrainCommand.round3(peakGflops));
        Json.field(g, "peak_gflops_times_threads", TrainCommand.round3(peakGflops * threads));
      }
      g.writeEndObject();
    }));
    out.flush();
    return 0;
  }

  /** Untimed rounds of {@code --guard} before the timed ones (the JIT's warm-up). */
  static final int GUARD_WARMUP = 10;

  /**
   * The default largest kernel / yardstick ratio of {@code --guard} per arithmetic, measured for
   * FULL-7 at batch 512 on the 2-core development machine (docs/performance.md, "The speed
   * guard"). simd-8: a sound kernel measured 0.40-0.50, the boxing regression of 42697c4 0.93-1.03;
   * the threshold sits between them. simd-4 and scalar: sound 0.62 and 1.37 (that regression does
   * not appear there), with 1.5x headroom.
   */
  static final Map<String, Double> GUARD_MAX_RATIO =
      Map.of("simd-8", 0.70, "simd-4", 0.93, "scalar", 2.05);

  /**
   * {@code --guard}: 0 when the kernel / yardstick ratio is at most {@code --guard-max-ratio},
   * else 1 with one line on stderr saying so.
   */
  private int guard(TrainingConfig config) {
    Converters.atLeast("--guard-rounds", guardRounds, 1);
    String arithmetic = GradientKernel.arithmetic();
    if (guardMaxRatio == null && (config.variant() != Variant.FULL || config.layers() != 7)) {
      throw new UserError("--guard: the default thresholds are measured for --variant full"
          + " --layers 7; for another model give --guard-max-ratio");
    }
    Double given = guardMaxRatio != null ? guardMaxRatio : GUARD_MAX_RATIO.get(arithmetic);
    if (given == null) {
      throw new UserError("--guard-max-ratio: no threshold measured for arithmetic '"
          + arithmetic + "' (known: simd-8, simd-4, scalar); give one");
    }
    double maxRatio = given;
    if (!(maxRatio > 0) || Double.isInfinite(maxRatio)) {
      throw new UserError("--guard-max-ratio must be a positive number, got " + maxRatio);
    }
    Main.logArithmetic();
    KernelGuard check = new KernelGuard(config);
    KernelGuard.Result r = check.run(GUARD_WARMUP, guardRounds);
    boolean pass = r.ratio() <= maxRatio;
    LOG.info("guard: " + KernelGuard.line(r, maxRatio));
    // the results' checksum is used, so the JIT cannot drop the timed work as dead code
    LOG.debug("guard: checksum of the timed results {}", check.sink());
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.writeLine(g -> {
      g.writeStartObject();
      g.writeStringField("guard", pass ? "pass" : "fail");
      g.writeStringField("variant", config.variant().cliName());
      g.writeNumberField("layers", config.layers());
      g.writeNumberField("batch", config.batchSize());
      g.writeStringField("arithmetic", arithmetic);
      Json.field(g, "ratio", TrainCommand.round3(r.ratio()));
      Json.field(g, "max_ratio", maxRatio);
      Json.field(g, "ratio_min", TrainCommand.round3(r.minRatio()));
      Json.field(g, "ratio_max", TrainCommand.round3(r.maxRatio()));
      Json.field(g, "kernel_ms", TrainCommand.round3(r.kernelMs()));
      Json.field(g, "yardstick_ms", TrainCommand.round3(r.yardstickMs()));
      g.writeNumberField("rounds", r.rounds());
      g.writeEndObject();
    }));
    out.flush();
    if (!pass) {
      spec.commandLine().getErr().println("bench --guard: the kernel is too slow: "
          + KernelGuard.line(r, maxRatio));
      return 1;
    }
    return 0;
  }

  /**
   * CPU time of the whole process (all threads, JIT and GC included) in nanoseconds, or -1 where
   * the JVM does not report it. On a shared machine it is less sensitive to other processes than
   * wall time: a thread waiting for a core accrues none.
   */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** The median of the runs (the mean of the middle two for an even count). */
  static double median(double[] xs) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
  }

  /** The phases of {@link #breakdown}, in the order of its result. */
  static final String[] PHASES = {"sampling", "statistics", "forward", "backward",
      "reduce_adam", "total"};

  /**
   * Milliseconds per step of each phase on one thread (the best of {@code repeats} runs of
   * {@code steps} steps each, after {@code warmup} untimed steps): sampling the batch, the
   * context statistics S_0 alone, the rest of the forward pass (predict minus statistics), the
   * backward pass (the gradient call minus predict), and the fixed-order reduction plus the Adam
   * step; the last entry is their sum. The phases repeat the trainer's work with the same kernel
   * and chunking, so they add up to about the one-thread step time.
   */
  static double[] breakdown(TrainingConfig config, int warmup, long steps, int repeats) {
    ModelShape shape = config.shape();
    int batchSize = config.batchSize();
    int n = config.task().n();
    TaskSampler sampler = new TaskSampler(config.task());
    Batch batch = new Batch(batchSize, config.task().d(), n);
    GradientKernel kernel = new GradientKernel(shape, n);
    int chunk = AdamTrainer.GRADIENT_CHUNK;
    int chunks = (batchSize + chunk - 1) / chunk;
    double[][] chunkGrad = new double[chunks][shape.size()];
    double[] chunkLoss = new double[chunks];
    double[] grad = new double[shape.size()];
    double[] pred = new double[batchSize];
    double[] params = AdamTrainer.initialParams(config, 0);
    Adam adam = new Adam(config.adam(), shape.size());
    double[] best = new double[PHASES.length];
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    long step = 0;
    for (int r = -1; r < repeats; r++) {
      long count = r < 0 ? warmup : steps;
      long[] ns = new long[PHASES.length - 1];
      for (long i = 0; i < count; i++, step++) {
        long t0 = System.nanoTime();
        sampler.fillChunks(batch, config.seed(), Streams.Purpose.TRAIN_BATCHES, 0, step, 0,
            TaskSampler.chunkCount(batchSize));
        long t1 = System.nanoTime();
        kernel.contextStatistics(batch, 0, batchSize);
        long t2 = System.nanoTime();
        for (int c = 0; c < chunks; c++) {
          kernel.predict(params, batch, c * chunk, Math.min(batchSize, (c + 1) * chunk), null,
              pred);
        }
        long t3 = System.nanoTime();
        for (int c = 0; c < chunks; c++) {
          java.util.Arrays.fill(chunkGrad[c], 0.0);
          chunkLoss[c] = kernel.accumulate(params, batch, c * chunk,
              Math.min(batchSize, (c + 1) * chunk), chunkGrad[c]);
        }
        long t4 = System.nanoTime();
        java.util.Arrays.fill(grad, 0.0);
        for (int c = 0; c < chunks; c++) {
          for (int k = 0; k < grad.length; k++) {
            grad[k] += chunkGrad[c][k];
          }
        }
        for (int k = 0; k < grad.length; k++) {
          grad[k] /= batchSize;
        }
        adam.step(params, grad, config.adam().lr() * 1e-3);
        long t5 = System.nanoTime();
        ns[0] += t1 - t0;
        ns[1] += t2 - t1;
        ns[2] += (t3 - t2) - (t2 - t1); // predict includes the statistics
        ns[3] += (t4 - t3) - (t3 - t2); // accumulate includes the forward pass
        ns[4] += t5 - t4;
      }
      if (r < 0) {
        continue;
      }
      double total = 0;
      for (int p = 0; p < ns.length; p++) {
        double ms = ns[p] * 1e-6 / steps;
        best[p] = Math.min(best[p], ms);
        total += ms;
      }
      best[ns.length] = Math.min(best[ns.length], total);
      LOG.info(String.format(Locale.ROOT, "breakdown run %d/%d: %.3f ms per step", r + 1,
          repeats, total));
    }
    return best;
  }

  /**
   * The best GFLOP/s of five 1000 x 1000 EJML products (2 * 1000^3 flops each) after two
   * warm-up products, on the calling thread.
   */
  static double peakGflops() {
    int size = 1000;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    DMatrixRMaj a = new DMatrixRMaj(size, size);
    DMatrixRMaj b = new DMatrixRMaj(size, size);
    for (int i = 0; i < a.data.length; i++) {
      a.data[i] = rng.nextDouble() - 0.5;
      b.data[i] = rng.nextDouble() - 0.5;
    }
    DMatrixRMaj c = new DMatrixRMaj(size, size);
    double bestSeconds = Double.POSITIVE_INFINITY;
    for (int r = 0; r < 7; r++) {
      long t0 = System.nanoTime();
      CommonOps_DDRM.mult(a, b, c);
      double s = (System.nanoTime() - t0) * 1e-9;
      if (r >= 2) {
        bestSeconds = Math.min(bestSeconds, s);
      }
    }
    double gflops = 2.0 * size * size * size / bestSeconds * 1e-9;
    LOG.info(String.format(Locale.ROOT, "peak: %.3f GFLOP/s (EJML %dx%d product, best of 5)",
        gflops, size, size));
    return gflops;
  }

}
