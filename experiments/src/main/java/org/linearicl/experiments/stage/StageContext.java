package org.linearicl.experiments.stage;

/**
 * What the runner offers a running stage besides its inputs: the thread budget (which must not
 * change the result) and a progress channel for the runner's display.
 */
public interface StageContext {
  /** The stage's name after expansion (for log messages). */
  String stageName();

  /** Threads the stage may use; the artifact must be the same for every value. */
  int threads();

  /** Reports progress: {@code fraction} in [0, 1] and a short status ("step 300/3000, loss 0.41"). */
  void progress(double fraction, String message);

  /** A context for tests and one-off calls: the given threads, progress ignored. */
  static StageContext simple(String stageName, int threads) {
    return new StageContext() {
      @Override
      public String stageName() {
        return stageName;
      }

      @Override
      public int threads() {
        return threads;
      }

      @Override
      public void progress(double fraction, String message) {}
    };
  }
}
