package org.linearicl.core.train;

import java.util.function.Consumer;

/**
 * Training with the paper's remedy for instability (sec. 6: "the learning rate was lowered for
 * deep models when training was unstable"), automated: a run that diverges is restarted from the
 * same initialisation with half the base learning rate, up to {@code retries} times. The
 * returned config carries the learning rate that succeeded, so a checkpoint records what was
 * actually run.
 */
public final class BackoffTraining {
  private BackoffTraining() {}

  /** The outcome: the config that succeeded (its lr is the one used) and the result. */
  public record Outcome(TrainingConfig config, TrainingResult result, int restarts) {}

  /**
   * Trains {@code config} from {@code initial}; on divergence halves the learning rate and
   * starts again, at most {@code retries} times.
   *
   * @param onRestart told about each divergence before the restart (for logging)
   * @throws TrainingDivergedException if the last attempt diverges too
   */
  public static Outcome train(TrainingConfig config, double[] initial, int retries,
      ChunkedExecutor executor, TrainingListener listener,
      Consumer<TrainingDivergedException> onRestart) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    TrainingConfig attempt = config;
    for (int restart = 0; ; restart++) {
      try {
        return new Outcome(attempt, new Trainer(attempt, executor).train(initial, listener),
            restart);
      } catch (TrainingDivergedException e) {
        if (restart == retries) {
          throw e;
        }
        onRestart.accept(e);
        attempt = withLr(attempt, attempt.adam().lr() / 2);
      }
    }
  }

  static TrainingConfig withLr(TrainingConfig c, double lr) {
    AdamConfig a = c.adam();
    return new TrainingConfig(c.variant(), c.layers(), c.heads(), c.task(), c.seed(), c.steps(),
        c.batchSize(), new AdamConfig(lr, a.beta1(), a.beta2(), a.eps()), c.schedule(),
        c.clipNorm(), c.initStd(), c.divergenceFactor(), c.curveEvery());
  }
}
