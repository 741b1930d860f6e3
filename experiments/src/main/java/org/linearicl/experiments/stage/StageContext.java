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

  /** Where a context's progress reports go. */
  @FunctionalInterface
  interface ProgressSink {
    void report(double fraction, String message);
  }

  /** A context with the given name and threads whose progress reports go to {@code sink}. */
  static StageContext of(String stageName, int threads, ProgressSink sink) {
    record Of(String stageName, int threads, ProgressSink sink) implements StageContext {
      @Override
      public void progress(double fraction, String message) {
        sink.report(fraction, message);
      }
    }
    return new Of(stageName, threads, sink);
  }

  /** A context for tests and one-off calls: the given threads, progress ignored. */
  static StageContext simple(String stageName, int threads) {
    return of(stageName, threads, (fraction, message) -> {});
  }
}
