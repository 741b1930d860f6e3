package org.linearicl.core.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.util.Decimal;
import org.linearicl.core.eval.Evaluator;

/**
 * The training recipe of {@link TrainingConfig}, start to end: candidates from scratch and from
 * warm starts, each explored with Adam and polished with Levenberg-Marquardt, one chosen on
 * validation sequences, its tail checked and, if the tail dominates, repaired (each Adam run is
 * an {@link AdamTrainer}'s). This is the one definition of how a model is trained; the pipeline
 * stage, the command line and the recipe study all call it.
 *
 * <p>Why this shape. Adam on fresh batches finds a basin but, at a budget of a few thousand
 * steps, stops well above its bottom; the loss is a sum of squared residuals over a few dozen
 * parameters (DIAG, GD++), so Gauss-Newton steps on a fixed sample reach the bottom in tens of
 * iterations. The landscape has several basins, so there are several candidates, and the warm
 * starts (the (L-1)-layer model plus an identity layer, the simpler variant's model embedded)
 * are candidates themselves: the chosen model is never worse on validation than the models it
 * contains. Selection on validation sequences over 10^4..10^5 sequences cannot see events rarer
 * than that, so the chosen model's tail is checked on many more fresh sequences. Both samples
 * are of the training distribution; a deep model can explode just outside its noise range, so
 * before the tail check each candidate is compared off range with the best one-layer model
 * ({@link OffRangeCheck}).
 */
public final class Training {
  /**
   * The polish stops when a step lowers the sample loss by less than this fraction: 1e-5 of a
   * loss of about 1.6 (U(0,5)) is 1.6e-5, a hundred times below the standard error of a Table 1
   * cell, so further iterations cannot change a reported number.
   */
  public static final double POLISH_TOLERANCE = 1e-5;

  private Training() {}

  /** A warm start: parameters of this config's shape (already embedded) and where they come from. */
  public record WarmStart(String name, double[] params) {
    public WarmStart {
      Objects.requireNonNull(name, "name");
      params = params.clone();
    }

    @Override
    public double[] params() {
      return params.clone();
    }
  }

  /**
   * One candidate of the selection.
   *
   * @param name {@code scratch-K}, {@code WARM} (the warm start as it is), {@code WARM+train},
   *     and {@code +repair-R} for a repaired one
   * @param adamSteps Adam updates applied
   * @param rejectedSteps Adam steps undone ({@link AdamTrainer})
   * @param polishIterations Levenberg-Marquardt iterations
   * @param polishLoss the loss on the polish sample after the polish (NaN without one)
   * @param validation the loss against the oracle on the validation sequences
   * @param offRange the off-range check, when the candidate had one
   * @param tail the tail check, when the candidate had one
   */
  public record Candidate(String name, long adamSteps, long rejectedSteps, int polishIterations,
      double polishLoss, PairedEvaluation validation, OffRangeCheck.Stats offRange,
      TailCheck.Stats tail) {
    double rank() {
      double v = validation.loss().mean();
      return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    /** Whether the candidate failed an off-range check (false without one). */
    public boolean failedOffRange() {
      return offRange != null && !offRange.passed();
    }

    Candidate withOffRange(OffRangeCheck.Stats o) {
      return new Candidate(name, adamSteps, rejectedSteps, polishIterations, polishLoss,
          validation, o, tail);
    }

    Candidate withTail(TailCheck.Stats t) {
      return new Candidate(name, adamSteps, rejectedSteps, polishIterations, polishLoss,
          validation, offRange, t);
    }
  }

  /**
   * The trained model.
   *
   * @param params the chosen candidate's parameters
   * @param curve the Adam training curve of the chosen candidate (empty without Adam)
   * @param candidates every candidate, in the order they were made
   * @param chosen the index of the chosen one
   * @param stable whether its tail check passed
   * @param offRangePassed false when it failed its off-range check (no candidate passed both
   *     checks); true when it passed or had none
   * @param rejectedSteps Adam steps undone over every candidate
   * @param trainSequences sequences the training passed through the model (Adam batches,
   *     polish passes), the deterministic measure of its cost
   * @param seconds wall time
   */
  public record Outcome(double[] params, TrainingCurve curve, List<Candidate> candidates,
      int chosen, boolean stable, boolean offRangePassed, long rejectedSteps,
      long trainSequences, double seconds) {
    public Outcome {
      params = params.clone();
      candidates = List.copyOf(candidates);
    }

    @Override
    public double[] params() {
      return params.clone();
    }

    public Candidate choice() {
      return candidates.get(chosen);
    }
  }

  /**
   * The phases of {@link TrainingListener#phase}: Adam runs, polishes, validation, off-range
   * checks, tail checks, repairs.
   */
  public static final String ADAM = "adam";
  public static final String POLISH = "polish";
  public static final String VALIDATION = "validation";
  public static final String OFF_RANGE_CHECK = "off_range_check";
  public static final String TAIL_CHECK = "tail_check";
  public static final String REPAIR = "repair";

  /** Trains {@code config} from its own initialisations and the given warm starts. */
  public static Outcome run(TrainingConfig config, List<WarmStart> warmStarts,
      ChunkedExecutor executor, TrainingListener listener) {
    long t0 = System.nanoTime();
    ModelShape shape = config.shape();
    for (WarmStart w : warmStarts) {
      shape.checkParams(w.params());
    }
    if (config.starts() == 0 && warmStarts.isEmpty()) {
      throw new IllegalArgumentException("nothing to train: starts is 0 and there is no warm"
          + " start");
    }
    TaskSampler sampler = new TaskSampler(config.task());
    long mark = System.nanoTime();
    Batch validation = sampler.sample(config.validationSamples(), config.validationSeed(),
        Streams.Purpose.EVALUATION, 0);
    double[] validationOracle = Evaluator.oraclePredictions(validation, executor);
    mark = lap(listener, VALIDATION, mark);
    Batch polishSample = config.polishes()
        ? sampler.sample(config.polishSamples(), config.seed(), Streams.Purpose.TRAIN_SAMPLE, 0)
        : null;
    ResidualSample polishResiduals = polishSample == null ? null
        : residuals(shape, polishSample, null, executor);
    lap(listener, POLISH, mark);
    AdamTrainer trainer = new AdamTrainer(config, executor);

    List<Candidate> candidates = new ArrayList<>();
    List<double[]> params = new ArrayList<>();
    List<TrainingCurve> curves = new ArrayList<>();
    // explorations: scratch starts, then warm starts, each with its own batch stream
    List<Exploration> explorations = new ArrayList<>();
    for (int k = 0; k < config.starts(); k++) {
      explorations.add(new Exploration("scratch-" + k,
          inFamily(config, AdamTrainer.initialParams(config, k)), config.steps(),
          config.adam().lr(), true));
    }
    for (WarmStart w : warmStarts) {
      // the warm start as it is: the model never ends worse than what it contains
      long v0 = System.nanoTime();
      addCandidate(candidates, params, curves, w.name(), w.params(), null, null, 0,
          validation, validationOracle, shape, executor);
      lap(listener, VALIDATION, v0);
      boolean polish = config.warmPolish() == 1;
      if (config.warmSteps() > 0 || config.polishes() && polish) {
        explorations.add(new Exploration(w.name() + "+train", inFamily(config, w.params()),
            config.warmSteps(), config.warmLr(), polish));
      }
    }
    long rejected = 0;
    long work = 0;
    for (int i = 0; i < explorations.size(); i++) {
      Exploration e = explorations.get(i);
      String name = e.name();
      double[] p = e.start();
      AdamTrainer.Result adam = null;
      long a0 = System.nanoTime();
      if (e.steps() > 0) {
        adam = trainer.train(p, e.steps(), e.lr(), i, listener);
        listener.message(String.format(Locale.ROOT,
            "%s: %d Adam steps at lr %s (%d rejected, %.1f s)", name, adam.takenSteps(),
            e.lr(), adam.rejectedSteps(), adam.seconds()));
        p = adam.params();
        rejected += adam.rejectedSteps();
        work += (adam.takenSteps() + adam.rejectedSteps()) * config.batchSize();
        a0 = lap(listener, ADAM, a0);
      }
      LevenbergMarquardt.Result polish = null;
      if (polishSample != null && e.polish()) {
        polish = polish(config, p, polishResiduals, executor);
        work += polish.passes() * polishSample.size;
        listener.message(String.format(Locale.ROOT,
            "%s: polish %d iteration(s), sample loss %.6g -> %.6g (%.1f s)%s", name,
            polish.iterations(), polish.startLoss(), polish.loss(), polish.seconds(),
            Double.isFinite(polish.loss()) ? "" : ": a diverged candidate (the choice is made"
                + " on validation)"));
        p = polish.params();
        a0 = lap(listener, POLISH, a0);
      }
      addCandidate(candidates, params, curves, name, p, adam, polish, 0, validation,
          validationOracle, shape, executor);
      lap(listener, VALIDATION, a0);
    }

    // selection: the best on validation whose off-range and tail checks pass. Candidates leave a
    // queue in order of their validation loss; the first to pass both is the choice. One that
    // fails off range is set aside (a repair adds training sequences, which cannot reach outside
    // the training range). An unstable one is repaired (up to tailRepairs times along its line)
    // and its repair joins the queue, where it competes like any other candidate. If none passes
    // both, those set aside go through the same selection without the filter (tail checks and
    // repairs as if there were no off-range check), and the choice is marked.
    PriorityQueue<Integer> queue = new PriorityQueue<>(Comparator.comparingDouble(
        (Integer i) -> candidates.get(i).rank()).thenComparingInt(i -> i));
    Map<Integer, Integer> repairs = new HashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      queue.add(i);
      repairs.put(i, 0);
    }
    // a one-layer model is in the bound's own class: its excess over the bound is its training
    // error, not an explosion
    boolean offRangeChecks = config.offRangePoints() > 0 && shape.layers() > 1;
    OffRangeCheck offRange = null;
    List<Integer> setAside = new ArrayList<>();
    int round = 0;
    int chosen = -1;
    boolean filter = offRangeChecks;
    while (true) {
      while (!queue.isEmpty() && chosen < 0) {
        int at = queue.poll();
        if (!Double.isFinite(candidates.get(at).rank())) {
          break; // overflows on validation sequences: so do all that follow
        }
        if (offRangeChecks && candidates.get(at).offRange() == null) {
          long offStart = System.nanoTime();
          if (offRange == null) { // drawn once, for every candidate
            offRange = OffRangeCheck.prepare(config.task(), config.offRangePoints(),
                config.offRangeSamples(), config.offRangeFactor(), config.seed(), executor);
          }
          OffRangeCheck.Stats o = offRange.check(shape, params.get(at), executor);
          lap(listener, OFF_RANGE_CHECK, offStart);
          candidates.set(at, candidates.get(at).withOffRange(o));
          listener.message(String.format(Locale.ROOT,
              "%s: off-range check at %d sigmas in [0, %s] on %d sequences each: worst adjusted"
                  + " loss %.6g at sigma %s, %.3g times the one-step optimum's %.6g%s (%.1f s)",
              candidates.get(at).name(), o.points(), Decimal.shortest(offRange.sigmas()[
                  o.points() - 1]), o.samples(), o.worstAdjusted(),
              Decimal.shortest(o.worstSigma()), o.worstRatio(), o.worstBound(),
              o.passed() ? "" : filter ? ": above it, candidate set aside" : ": above it",
              (System.nanoTime() - offStart) * 1e-9));
        }
        if (filter && candidates.get(at).failedOffRange()) {
          setAside.add(at);
          continue;
        }
        long tailStart = System.nanoTime();
        TailCheck.Result tail = TailCheck.run(shape, params.get(at), config.task(),
            config.seed(), round++, config.tailSamples(), executor);
        long repairStart = lap(listener, TAIL_CHECK, tailStart);
        TailCheck.Stats stats = tail.stats();
        candidates.set(at, candidates.get(at).withTail(stats));
        listener.message(String.format(Locale.ROOT,
            "%s: tail check %d on %d sequences: mean loss %.6g, max %.4g, %d above %.0fx the"
                + " mean carrying %.1f%% of the adjusted loss, %d exploding carrying %.1f%%%s"
                + " (%.1f s)", candidates.get(at).name(), stats.round(), stats.samples(),
            stats.loss().mean(), stats.maxLoss(), stats.tailCount(), TailCheck.TAIL_FACTOR,
            100 * stats.tailShare(), stats.explodedCount(), 100 * stats.explodedShare(),
            stats.unstable() ? ": its tail dominates, candidate set aside" : "",
            (System.nanoTime() - tailStart) * 1e-9));
        if (!stats.unstable()) {
          chosen = at;
          break;
        }
        int done = repairs.get(at);
        if (done >= config.tailRepairs() || polishSample == null || tail.worst().size == 0) {
          continue;
        }
        // add the failing sequences to the sample, each weighted as one of tailSamples draws
        Batch sample = Batch.concat(polishSample, tail.worst());
        double[] weights = new double[sample.size];
        double total = sample.size;
        for (int s = 0; s < sample.size; s++) {
          weights[s] = s < polishSample.size ? total / polishSample.size
              : total / config.tailSamples();
        }
        LevenbergMarquardt.Result fixed = polish(config, params.get(at),
            residuals(shape, sample, weights, executor), executor);
        long v0 = lap(listener, REPAIR, repairStart);
        work += fixed.passes() * sample.size;
        listener.message(String.format(Locale.ROOT,
            "%s: repair with %d tail sequence(s), %d iteration(s), weighted loss %.6g -> %.6g",
            candidates.get(at).name(), tail.worst().size, fixed.iterations(), fixed.startLoss(),
            fixed.loss()));
        Candidate base = candidates.get(at);
        addCandidate(candidates, params, curves, base.name() + "+repair-" + (done + 1),
            fixed.params(), null, fixed, base.adamSteps(), validation, validationOracle, shape,
            executor);
        lap(listener, VALIDATION, v0);
        int repaired = candidates.size() - 1;
        curves.set(repaired, curves.get(at));
        repairs.put(repaired, done + 1);
        queue.add(repaired);
      }
      if (chosen >= 0 || !filter || setAside.isEmpty()) {
        break;
      }
      listener.message(String.format(Locale.ROOT, "no candidate passed both checks: choosing"
          + " among the %d set aside off range as without the check", setAside.size()));
      filter = false;
      queue.addAll(setAside);
    }
    boolean stable = chosen >= 0;
    if (!stable) {
      // nothing passed: report the best on validation, marked unstable
      chosen = 0;
      for (int i = 1; i < candidates.size(); i++) {
        if (candidates.get(i).rank() < candidates.get(chosen).rank()) {
          chosen = i;
        }
      }
    }
    // false only for a choice that failed its off-range check
    boolean offRangePassed = !candidates.get(chosen).failedOffRange();
    return new Outcome(params.get(chosen), curves.get(chosen), candidates, chosen, stable,
        offRangePassed, rejected, work, (System.nanoTime() - t0) * 1e-9);
  }

  /** Tells {@code listener} the seconds since {@code since} as {@code phase}; returns now. */
  private static long lap(TrainingListener listener, String phase, long since) {
    long now = System.nanoTime();
    listener.phase(phase, (now - since) * 1e-9);
    return now;
  }

  /**
   * One candidate of the exploration phase: where it starts, how many Adam steps at which base
   * rate, and whether the polish follows.
   */
  private record Exploration(String name, double[] start, long steps, double lr,
      boolean polish) {}

  /** The residuals of the polish: the exact spectral form for GD++, else the covariance form. */
  private static ResidualSample residuals(ModelShape shape, Batch sample, double[] weights,
      ChunkedExecutor executor) {
    return shape.variant() == Variant.GDPP
        ? new SpectralResiduals(shape, sample, weights, executor)
        : new BatchResiduals(shape, sample, weights);
  }

  /**
   * A start projected onto FULL's low-rank family when the config trains in it (exact for the
   * family's members, such as an embedded DIAG model); unchanged otherwise.
   */
  private static double[] inFamily(TrainingConfig config, double[] params) {
    if (!config.lowRank()) {
      return params;
    }
    LowRankFull family = LowRankFull.of(config.shape(), config.fullRank());
    return family.toFull(family.fromFull(params));
  }

  private static LevenbergMarquardt.Result polish(TrainingConfig config, double[] start,
      ResidualSample sample, ChunkedExecutor executor) {
    ModelShape shape = config.shape();
    LevenbergMarquardt.Config lm =
        new LevenbergMarquardt.Config(config.polishIterations(), POLISH_TOLERANCE, 1e-3);
    if (config.lowRank()) {
      // the Gauss-Newton steps move the family's few numbers, never the whole of FULL
      LowRankFull family = new LowRankFull(sample, shape, config.fullRank());
      LevenbergMarquardt.Result r = LevenbergMarquardt.minimize(family,
          family.fromFull(family.align(start)), lm, executor, LevenbergMarquardt.Listener.NONE);
      return new LevenbergMarquardt.Result(family.toFull(r.params()), r.startLoss(), r.loss(),
          r.iterations(), r.rejected(), r.passes(), r.seconds());
    }
    if (shape.variant() != Variant.GDPP) {
      return LevenbergMarquardt.minimize(sample, start, lm, executor,
          LevenbergMarquardt.Listener.NONE);
    }
    // GD++ in the exact spectral form, with q_x = 1 held (Embedding.unitQ): no saddle at 0
    double[] gauged = Embedding.unitQ(shape, start);
    int[] free = new int[2 * shape.layers() * shape.heads()];
    for (int l = 0, i = 0; l < shape.layers(); l++) {
      for (int k = 0; k < shape.heads(); k++) {
        free[i++] = shape.offset(l, k);
        free[i++] = shape.offset(l, k) + 1;
      }
    }
    FixedParams fixed = new FixedParams(sample, free, gauged);
    LevenbergMarquardt.Result r = LevenbergMarquardt.minimize(fixed, fixed.restrict(gauged),
        lm, executor, LevenbergMarquardt.Listener.NONE);
    return new LevenbergMarquardt.Result(fixed.expand(r.params()), r.startLoss(), r.loss(),
        r.iterations(), r.rejected(), r.passes(), r.seconds());
  }

  private static void addCandidate(List<Candidate> candidates, List<double[]> params,
      List<TrainingCurve> curves, String name, double[] p, AdamTrainer.Result adam,
      LevenbergMarquardt.Result polish, long priorSteps, Batch validation, double[] oracle,
      ModelShape shape, ChunkedExecutor executor) {
    PairedEvaluation v = Evaluator.evaluate(new LinearTransformer(shape, p), validation, oracle,
        executor);
    candidates.add(new Candidate(name, priorSteps + (adam == null ? 0 : adam.takenSteps()),
        adam == null ? 0 : adam.rejectedSteps(), polish == null ? 0 : polish.iterations(),
        polish == null ? Double.NaN : polish.loss(), v, null, null));
    params.add(p.clone());
    curves.add(adam == null ? TrainingCurve.EMPTY : adam.curve());
  }
}
