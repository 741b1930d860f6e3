package org.linearicl.core.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Decides when a run has diverged: when the <em>median</em> batch loss of the last
 * {@link #WINDOW} steps exceeds {@code factor} times the first step's loss. A batch whose loss or
 * gradient is not finite (it overflowed on a rare sequence) counts as an infinite loss and its
 * step is skipped; a first step that is not finite is divergence at once.
 *
 * <p>Why the median: an L-layer model's prediction is a polynomial of degree about 3^L in the
 * data, so even small parameters produce a huge output on a rare sequence (a large noise draw
 * and a long w; measured: a 7-layer DIAG model with every parameter below 0.08 in magnitude
 * had one batch of loss 570 among batches of 5). One such batch moves a mean of 50 steps past
 * any threshold, yet its clipped, Adam-normalised step is bounded and training recovers; a batch
 * that overflows has no usable gradient at all, so it is skipped. A run whose typical batch has
 * exploded is diverged; a run with rare outlier batches is not.
 */
public final class DivergenceMonitor {
  /** Steps in the window. */
  public static final int WINDOW = 50;

  private final double factor;
  private final double[] window = new double[WINDOW];
  private final double[] sorted = new double[WINDOW];
  private double firstLoss = Double.NaN;
  private long steps;
  private long skipped;

  /** @param factor the median of the window may be at most this many times the first loss */
  public DivergenceMonitor(double factor) {
    if (!(factor > 1)) {
      throw new IllegalArgumentException("divergence factor must be > 1, got " + factor);
    }
    this.factor = factor;
  }

  /**
   * Records the next step's batch loss and squared gradient norm.
   *
   * @return whether to take the step: false when the loss or gradient is not finite
   * @throws TrainingDivergedException if the run has diverged
   */
  public boolean observe(double loss, double gradNormSq) {
    steps++;
    boolean finite = Double.isFinite(loss) && Double.isFinite(gradNormSq);
    if (!finite) {
      if (steps == 1) {
        throw new TrainingDivergedException(steps, "training diverged at step 1: the batch loss"
            + " or gradient of the initial model is not finite (lower the init std)");
      }
      skipped++;
      loss = Double.POSITIVE_INFINITY;
    }
    if (steps == 1) {
      firstLoss = loss;
    }
    window[(int) ((steps - 1) % WINDOW)] = loss;
    int count = (int) Math.min(steps, WINDOW);
    double median = median(count);
    if (median > factor * firstLoss) {
      throw new TrainingDivergedException(steps, String.format(Locale.ROOT,
          "training diverged at step %d: the median batch loss of the last %d steps, %.4g,"
              + " exceeds %.4g times the first step's loss %.4g (lower the learning rate)",
          steps, count, median, factor, firstLoss));
    }
    return finite;
  }

  /** Steps skipped so far because their loss or gradient was not finite. */
  public long skipped() {
    return skipped;
  }

  private double median(int count) {
    System.arraycopy(window, 0, sorted, 0, count);
    Arrays.sort(sorted, 0, count);
    int m = count / 2;
    return count % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
  }
}
