package org.linearicl.core.train;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.theory.OneStepOptimum;
import org.linearicl.core.util.Checks;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * A trained model off its training noise range: at each sigma of the evaluation's profile grid
 * ({@link org.linearicl.core.task.NoiseDistribution#profileGrid}, which reaches past the largest
 * training sigma), its adjusted loss on fresh sequences against a bound, the adjusted loss on the
 * same sequences of the best one-layer model for the training task: the one-step optimum
 * {@code yhat = eta* <alpha, x_t> / n} with {@code alpha = sum_i y_i x_i} and
 * {@code eta* = }{@link OneStepOptimum#stepSize} of the training task (not of the point's
 * sigma). A deep model can be fine on its training distribution, which the tail check samples,
 * and explode just outside it, where nothing in training held its polynomial of degree about
 * 3^L in check; every model of the class contains that one-layer predictor. A model passes
 * when it stays within a factor (10 by default, {@link TrainingParam#OFFRANGE_FACTOR}) of the
 * bound at every sigma: a guard against blow-ups, not a demand that a deep model extrapolate
 * better than one gradient step (a GD-like model fits the noise off range and can be somewhat
 * worse; a blow-up is orders of magnitude worse). A filter on candidates, never a term of the
 * loss.
 *
 * <p>The sequences are drawn once per training run (stream {@code (seed, OFF_RANGE, 0)}, the
 * same w, x and unit noise at every sigma: {@link TaskSampler#sampleAtSigma}) and, with the
 * oracle's and the bound's losses on them, shared by every candidate.
 */
public final class OffRangeCheck {
  /**
   * The relative slack of the comparison: the model's kernel and this class compute the one-step
   * prediction in different orders, which moves a prediction by about n d eps ~ 1e-14 relative
   * (and a mean loss by a few times that); far below any sampling error.
   */
  public static final double ROUNDING = 1e-9;

  private final TaskSpec task;
  private final double[] sigmas;
  private final Batch[] batches;
  private final double[][] oracle;
  private final LossSummary[] bound;
  private final double factor;

  private OffRangeCheck(TaskSpec task, double[] sigmas, Batch[] batches, double[][] oracle,
      LossSummary[] bound, double factor) {
    this.factor = factor;
    this.task = task;
    this.sigmas = sigmas;
    this.batches = batches;
    this.oracle = oracle;
    this.bound = bound;
  }

  /**
   * One sigma of the grid.
   *
   * @param sigma the noise level of every sequence
   * @param model the model's adjusted loss (its loss minus the oracle's)
   * @param bound the one-step optimum's adjusted loss on the same sequences
   * @param factor the multiple of the bound a passing model stays within
   */
  public record Point(double sigma, LossSummary model, LossSummary bound, double factor) {
    /**
     * Whether the model's mean is finite and at most {@code factor} times the bound's (up to
     * {@link #ROUNDING}, so at factor 1 a model that computes the bound's own predictions passes).
     */
    public boolean passed() {
      double limit = factor * bound.mean();
      return Double.isFinite(model.mean()) && model.mean() <= limit + ROUNDING * Math.abs(limit);
    }

    /** model / bound; infinite for a model mean that is not finite (or 0 / 0). */
    public double ratio() {
      double r = model.mean() / bound.mean();
      return Double.isFinite(model.mean()) && !Double.isNaN(r) ? r : Double.POSITIVE_INFINITY;
    }
  }

  /**
   * The result of one check.
   *
   * @param points sigmas of the grid
   * @param samples sequences at each sigma
   * @param passed whether the model passed at every sigma
   * @param worstRatio the largest model / bound ratio of adjusted losses over the grid
   * @param worstSigma the sigma where it occurs (the first of equal ones)
   * @param worstAdjusted the model's adjusted loss mean there
   * @param worstBound the bound's adjusted loss mean there
   */
  public record Stats(int points, int samples, boolean passed, double worstRatio,
      double worstSigma, double worstAdjusted, double worstBound) {}

  /**
   * Draws the sequences of the check for a model trained on {@code task} and scores the oracle
   * and the bound on them.
   *
   * @param points sigmas of the grid (>= 2)
   * @param samples sequences at each sigma (>= 2)
   * @param factor a model passes within this multiple of the bound (> 0)
   * @param seed the training seed
   */
  public static OffRangeCheck prepare(TaskSpec task, int points, int samples, double factor,
      long seed, ChunkedExecutor executor) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(executor, "executor");
    Checks.atLeast("off-range samples", samples, 2);
    Checks.finiteAbove("off-range factor", factor, 0);
    double[] sigmas = task.noise().profileGrid(points);
    TaskSampler sampler = new TaskSampler(task);
    double eta = OneStepOptimum.stepSize(task);
    Batch[] batches = new Batch[points];
    double[][] oracle = new double[points][];
    LossSummary[] bound = new LossSummary[points];
    for (int i = 0; i < points; i++) {
      batches[i] = sampler.sampleAtSigma(samples, seed, Streams.Purpose.OFF_RANGE, 0,
          sigmas[i]);
      oracle[i] = Evaluator.oraclePredictions(batches[i], executor);
      bound[i] = PairedEvaluation.of(oneStep(batches[i], eta), oracle[i], batches[i].yq)
          .adjusted();
    }
    return new OffRangeCheck(task, sigmas, batches, oracle, bound, factor);
  }

  /** The grid's sigmas. */
  public double[] sigmas() {
    return sigmas.clone();
  }

  /** The bound's adjusted loss at each sigma of the grid. */
  public LossSummary[] bound() {
    return bound.clone();
  }

  /** The model's adjusted loss and the bound at every sigma of the grid. */
  public Point[] points(ModelShape shape, double[] params, ChunkedExecutor executor) {
    if (shape.d() != task.d()) {
      throw new IllegalArgumentException("the model has d=" + shape.d() + " but the task has d="
          + task.d());
    }
    LinearTransformer model = new LinearTransformer(shape, params);
    Point[] out = new Point[sigmas.length];
    for (int i = 0; i < sigmas.length; i++) {
      out[i] = new Point(sigmas[i],
          Evaluator.evaluate(model, batches[i], oracle[i], executor).adjusted(), bound[i],
          factor);
    }
    return out;
  }

  /** Runs the check for {@code (shape, params)}. */
  public Stats check(ModelShape shape, double[] params, ChunkedExecutor executor) {
    Point[] points = points(shape, params, executor);
    boolean passed = true;
    Point worst = points[0];
    for (Point p : points) {
      passed &= p.passed();
      if (p.ratio() > worst.ratio()) {
        worst = p;
      }
    }
    return new Stats(points.length, batches[0].size, passed, worst.ratio(), worst.sigma(),
        worst.model().mean(), worst.bound().mean());
  }

  /** The one-step predictions {@code eta <alpha, x_t> / n}, alpha = sum_i y_i x_i. */
  static double[] oneStep(Batch b, double eta) {
    int d = b.d;
    int n = b.n;
    double[] out = new double[b.size];
    double[] alpha = new double[d];
    for (int s = 0; s < b.size; s++) {
      Arrays.fill(alpha, 0.0);
      for (int i = 0; i < n; i++) {
        int off = (s * n + i) * d;
        double y = b.y[s * n + i];
        for (int k = 0; k < d; k++) {
          alpha[k] += y * b.x[off + k];
        }
      }
      double dot = 0.0;
      for (int k = 0; k < d; k++) {
        dot += alpha[k] * b.xq[s * d + k];
      }
      out[s] = eta * dot / n;
    }
    return out;
  }
}
