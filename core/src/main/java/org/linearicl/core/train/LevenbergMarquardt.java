package org.linearicl.core.train;

import java.util.Arrays;
import java.util.Objects;
import org.linearicl.core.util.Checks;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Levenberg-Marquardt on a {@link ResidualSample}: the loss is a weighted sum of squared
 * per-sequence residuals, so the Gauss-Newton matrix {@code J^T W J} is a cheap, positive
 * semi-definite model of its curvature, and a damped Gauss-Newton step reaches the bottom of a
 * basin in tens of iterations where a first-order method needs thousands (the model has a few
 * dozen parameters for DIAG and GD++).
 *
 * <p>Each iteration solves {@code (J^T W J + mu D) delta = -J^T W r} with D the diagonal of
 * {@code J^T W J} (Marquardt's scaling, floored so that a dead parameter still moves), and takes
 * the step only if the loss on the sample decreases and stays finite; otherwise the step is
 * rejected and mu grows (Nielsen's rule, driven by the ratio of actual to predicted decrease).
 * So the loss never increases, and a step into a region where some sequence overflows is
 * never taken.
 *
 * <p>Sums run over {@link #GROUPS} fixed contiguous groups of sequences, each summed in order on
 * one thread, and the groups are added in group order: the result is the same bits for every
 * thread count.
 */
public final class LevenbergMarquardt {
  /** Fixed reduction groups: the unit of parallel work. */
  public static final int GROUPS = 16;

  /** Sequences per Jacobian block inside a group. */
  private static final int BLOCK = 64;

  /**
   * When to stop.
   *
   * @param maxIterations Jacobian evaluations at most
   * @param tolerance stop when an accepted step lowers the loss by less than this fraction of it
   * @param initialDamping mu of the first step, relative to Marquardt's diagonal
   */
  public record Config(int maxIterations, double tolerance, double initialDamping) {
    public Config {
      Checks.atLeast("LM iterations", maxIterations, 0);
      if (!(tolerance >= 0)) {
        throw new IllegalArgumentException("LM tolerance must be >= 0, got " + tolerance);
      }
      if (!(initialDamping > 0) || Double.isInfinite(initialDamping)) {
        throw new IllegalArgumentException("LM initial damping must be finite and > 0, got "
            + initialDamping);
      }
    }
  }

  /**
   * The outcome.
   *
   * @param params the parameters with the lowest sample loss seen (the last accepted)
   * @param startLoss the sample loss at the start
   * @param loss the sample loss at {@code params}
   * @param iterations Jacobian evaluations
   * @param rejected trial steps rejected (loss not lower, or not finite)
   * @param passes passes over the sample (Jacobians and trial losses): the work done
   * @param seconds wall time
   */
  public record Result(double[] params, double startLoss, double loss, int iterations,
      int rejected, long passes, double seconds) {
    public Result {
      params = params.clone();
    }

    @Override
    public double[] params() {
      return params.clone();
    }
  }

  /** Told about every accepted step. */
  @FunctionalInterface
  public interface Listener {
    void accepted(int iteration, double loss, double damping);

    Listener NONE = (i, l, m) -> {};
  }

  private LevenbergMarquardt() {}

  /** The sample loss {@code (1/N) sum_s w_s 0.5 r_s^2} at {@code params}. */
  public static double loss(ResidualSample sample, double[] params, ChunkedExecutor executor) {
    Engine e = new Engine(sample, executor, false);
    return e.loss(params);
  }

  /**
   * Minimises the sample loss from {@code start}. A start whose loss is not finite (a sequence of
   * the sample overflows there) is returned as it is, with that loss and no iterations: there is
   * no gradient to follow.
   *
   * @throws IllegalArgumentException if {@code start} has the wrong length
   */
  public static Result minimize(ResidualSample sample, double[] start, Config config,
      ChunkedExecutor executor, Listener listener) {
    Objects.requireNonNull(config, "config");
    int p = sample.parameters();
    if (start.length != p) {
      throw new IllegalArgumentException("start has " + start.length + " parameters, expected "
          + p);
    }
    long t0 = System.nanoTime();
    Engine e = new Engine(sample, executor, true);
    double[] params = start.clone();
    double loss = e.loss(params);
    long passes = 1;
    if (!Double.isFinite(loss)) {
      return new Result(params, loss, loss, 0, 0, passes, (System.nanoTime() - t0) * 1e-9);
    }
    double startLoss = loss;
    double[] a = new double[p * p];
    double[] g = new double[p];
    double[] step = new double[p];
    double[] trial = new double[p];
    double[] chol = new double[p * p];
    double mu = config.initialDamping();
    double nu = 2.0;
    int rejected = 0;
    int iterations = 0;
    boolean needJacobian = true;
    while (iterations < config.maxIterations()) {
      if (needJacobian) {
        if (!e.normalEquations(params, a, g)) {
          break; // a gradient overflowed at an accepted point: nothing safe to do
        }
        iterations++;
        passes++;
        needJacobian = false;
      }
      double maxDiag = 0.0;
      for (int i = 0; i < p; i++) {
        maxDiag = Math.max(maxDiag, a[i * p + i]);
      }
      if (maxDiag == 0.0) {
        break; // no parameter moves any residual: a stationary point of every kind
      }
      double floor = 1e-9 * maxDiag;
      for (int i = 0; i < p * p; i++) {
        chol[i] = a[i];
      }
      for (int i = 0; i < p; i++) {
        chol[i * p + i] += mu * Math.max(a[i * p + i], floor);
      }
      boolean solved = choleskySolve(chol, g, step, p);
      double predicted = 0.0;
      if (solved) {
        // predicted decrease of the Gauss-Newton model: -g.d - 0.5 d.A.d
        double gd = 0.0;
        double dad = 0.0;
        for (int i = 0; i < p; i++) {
          gd += g[i] * step[i];
          double row = 0.0;
          for (int j = 0; j < p; j++) {
            row += a[i * p + j] * step[j];
          }
          dad += step[i] * row;
        }
        predicted = -gd - 0.5 * dad;
        for (int i = 0; i < p; i++) {
          trial[i] = params[i] + step[i];
        }
      }
      double trialLoss = Double.NaN;
      if (solved && predicted > 0) {
        trialLoss = e.loss(trial);
        passes++;
      }
      if (Double.isFinite(trialLoss) && trialLoss < loss) {
        double rho = (loss - trialLoss) / predicted;
        double relative = (loss - trialLoss) / loss;
        System.arraycopy(trial, 0, params, 0, p);
        loss = trialLoss;
        mu *= Math.max(1.0 / 3.0, 1.0 - Math.pow(2.0 * rho - 1.0, 3));
        nu = 2.0;
        needJacobian = true;
        listener.accepted(iterations, loss, mu);
        if (relative < config.tolerance()) {
          break;
        }
      } else {
        rejected++;
        mu *= nu;
        nu *= 2.0;
        if (mu > 1e16) {
          break; // no step of any length lowers the loss: a minimum to working precision
        }
      }
    }
    return new Result(params, startLoss, loss, iterations, rejected, passes,
        (System.nanoTime() - t0) * 1e-9);
  }

  /**
   * Solves {@code A x = -b} for a symmetric positive-definite A (row-major, overwritten by its
   * Cholesky factor). Returns false if A is not numerically positive definite.
   */
  static boolean choleskySolve(double[] a, double[] b, double[] x, int p) {
    for (int j = 0; j < p; j++) {
      double diag = a[j * p + j];
      for (int k = 0; k < j; k++) {
        diag -= a[j * p + k] * a[j * p + k];
      }
      if (!(diag > 0) || !Double.isFinite(diag)) {
        return false;
      }
      double l = Math.sqrt(diag);
      a[j * p + j] = l;
      for (int i = j + 1; i < p; i++) {
        double v = a[i * p + j];
        for (int k = 0; k < j; k++) {
          v -= a[i * p + k] * a[j * p + k];
        }
        a[i * p + j] = v / l;
      }
    }
    for (int i = 0; i < p; i++) { // L z = -b
      double v = -b[i];
      for (int k = 0; k < i; k++) {
        v -= a[i * p + k] * x[k];
      }
      x[i] = v / a[i * p + i];
    }
    for (int i = p - 1; i >= 0; i--) { // L^T x = z
      double v = x[i];
      for (int k = i + 1; k < p; k++) {
        v -= a[k * p + i] * x[k];
      }
      x[i] = v / a[i * p + i];
    }
    for (int i = 0; i < p; i++) {
      if (!Double.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }

  /** Group-wise sums over the sample, reduced in group order. */
  private static final class Engine {
    private final ResidualSample sample;
    private final ChunkedExecutor executor;
    private final int p;
    private final int groups;
    private final ResidualSample.Workspace[] spaces;
    private final double[][] resid;
    private final double[][] jac;
    private final double[] groupLoss;
    private final double[][] groupA;
    private final double[][] groupG;

    Engine(ResidualSample sample, ChunkedExecutor executor, boolean jacobians) {
      this.sample = Objects.requireNonNull(sample, "sample");
      this.executor = Objects.requireNonNull(executor, "executor");
      this.p = sample.parameters();
      this.groups = Math.max(1, Math.min(GROUPS, sample.size()));
      this.spaces = new ResidualSample.Workspace[executor.threads()];
      this.resid = new double[executor.threads()][BLOCK];
      this.jac = new double[executor.threads()][jacobians ? BLOCK * p : 0];
      for (int w = 0; w < spaces.length; w++) {
        spaces[w] = sample.workspace();
      }
      this.groupLoss = new double[groups];
      this.groupA = new double[jacobians ? groups : 0][p * p];
      this.groupG = new double[jacobians ? groups : 0][p];
    }

    private int groupStart(int g) {
      return (int) ((long) sample.size() * g / groups);
    }

    double loss(double[] params) {
      executor.run(groups, (worker, grp) -> {
        double sum = 0.0;
        double[] r = resid[worker];
        for (int s0 = groupStart(grp), end = groupStart(grp + 1); s0 < end; s0 += BLOCK) {
          int nb = Math.min(BLOCK, end - s0);
          spaces[worker].residuals(params, s0, s0 + nb, r);
          for (int i = 0; i < nb; i++) {
            sum += sample.weight(s0 + i) * 0.5 * r[i] * r[i];
          }
        }
        groupLoss[grp] = sum;
      });
      double total = 0.0;
      for (double v : groupLoss) {
        total += v;
      }
      return total / sample.size();
    }

    /**
     * {@code a = (1/N) J^T W J} (full symmetric) and {@code g = (1/N) J^T W r} at params.
     * Returns false if any entry is not finite.
     */
    boolean normalEquations(double[] params, double[] a, double[] g) {
      executor.run(groups, (worker, grp) -> {
        double[] ga = groupA[grp];
        double[] gg = groupG[grp];
        Arrays.fill(ga, 0.0);
        Arrays.fill(gg, 0.0);
        double[] r = resid[worker];
        double[] j = jac[worker];
        for (int s0 = groupStart(grp), end = groupStart(grp + 1); s0 < end; s0 += BLOCK) {
          int nb = Math.min(BLOCK, end - s0);
          spaces[worker].jacobian(params, s0, s0 + nb, r, j);
          for (int i = 0; i < nb; i++) {
            double w = sample.weight(s0 + i);
            int row = i * p;
            for (int u = 0; u < p; u++) {
              double wu = w * j[row + u];
              if (wu == 0.0) {
                continue;
              }
              gg[u] += wu * r[i];
              int au = u * p;
              for (int v = u; v < p; v++) {
                ga[au + v] += wu * j[row + v];
              }
            }
          }
        }
      });
      Arrays.fill(a, 0.0);
      Arrays.fill(g, 0.0);
      for (int grp = 0; grp < groups; grp++) {
        double[] ga = groupA[grp];
        double[] gg = groupG[grp];
        for (int i = 0; i < p * p; i++) {
          a[i] += ga[i];
        }
        for (int i = 0; i < p; i++) {
          g[i] += gg[i];
        }
      }
      double inv = 1.0 / sample.size();
      boolean finite = true;
      for (int u = 0; u < p; u++) {
        g[u] *= inv;
        finite &= Double.isFinite(g[u]);
        for (int v = u; v < p; v++) {
          double x = a[u * p + v] * inv;
          a[u * p + v] = x;
          a[v * p + u] = x;
          finite &= Double.isFinite(x);
        }
      }
      return finite;
    }
  }
}
