package org.linearicl.experiments.stage;

/**
 * What the runner offers a running stage besides its inputs: the thread budget (which must not
 * change the result), a progress channel for the runner's display, and a channel for the time
 * spent per phase, which the runner records beside the stage's wall time (never in the artifact
 * or its key, so that the artifact stays the same bytes from run to run).
 */
public interface StageContext {
  /** The stage's name after expansion (for log messages). */
  String stageName();

  /** Threads the stage may use; the artifact must be the same for every value. */
  int threads();

  /** Reports progress: {@code fraction} in [0, 1] and a short status ("step 300/3000, loss 0.41"). */
  void progress(double fraction, String message);

  /**
   * Adds {@code seconds} of wall time spent in {@code phase} (a short name such as "adam" or
   * "tail_check"); a phase reported several times is summed. Ignored by default.
   */
  default void time(String phase, double seconds) {}

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

  /** Where a context's phase times go. */
  @FunctionalInterface
  interface TimeSink {
    void add(String phase, double seconds);
  }

  /** As {@link #of(String, int, ProgressSink)}, with phase times going to {@code times}. */
  static StageContext of(String stageName, int threads, ProgressSink sink, TimeSink times) {
    record Timed(String stageName, int threads, ProgressSink sink, TimeSink times)
        implements StageContext {
      @Override
      public void progress(double fraction, String message) {
        sink.report(fraction, message);
      }

      @Override
      public void time(String phase, double seconds) {
        times.add(phase, seconds);
      }
    }
    return new Timed(stageName, threads, sink, times);
  }

  /** A context for tests and one-off calls: the given threads, progress ignored. */
  static StageContext simple(String stageName, int threads) {
    return of(stageName, threads, (fraction, message) -> {});
  }
}
