package org.linearicl.pipeline.run;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The progress line on stderr, every few seconds:
 * {@code [12/40 done, 2 running: train-diag-3-u5-s0 45% step 1350/3000 loss 0.41; evaluate-u5
 * 10%] 3m12s elapsed}.
 */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final int total;
  private final long start = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final Map<String, String> running = new ConcurrentSkipListMap<>();
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  Progress(PrintWriter err, int total, double periodSeconds) {
    this.err = err;
    this.total = total;
    if (periodSeconds > 0) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });
      long ms = (long) (periodSeconds * 1000);
      timer.scheduleAtFixedRate(this::print, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  void started(String stage) {
    started.put(stage, true);
    running.put(stage, "0%");
  }

  void update(String stage, double fraction, String message) {
    if (started.containsKey(stage)) {
      String pct = String.format(Locale.ROOT, "%d%%",
          Math.round(Math.max(0, Math.min(1, fraction)) * 100));
      running.put(stage, message == null || message.isBlank() ? pct : pct + " " + message);
    }
  }

  void finished(String stage) {
    started.remove(stage);
    running.remove(stage);
    done.incrementAndGet();
  }

  /** The current line. */
  String line() {
    List<String> parts = new ArrayList<>();
    running.forEach((k, v) -> parts.add(k + " " + v));
    StringBuilder sb = new StringBuilder("[").append(done.get()).append('/').append(total)
        .append(" done");
    if (!parts.isEmpty()) {
      sb.append(", ").append(parts.size()).append(" running: ").append(String.join("; ", parts));
    }
    sb.append("] ").append(elapsed(Duration.ofNanos(System.nanoTime() - start)))
        .append(" elapsed");
    return sb.toString();
  }

  static String elapsed(Duration d) {
    long s = d.getSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  private void print() {
    synchronized (err) {
      err.println(line());
      err.flush();
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
