package org.linearicl.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;

/**
 * The progress of a run, every few seconds:
 * {@code [12/40 done, 2 running: train-diag-3-u5-s0 45% step 1350/3000 loss 0.41; evaluate-u5
 * 10%] 3m12s elapsed, about 8m40s left}.
 *
 * <p>On a terminal it is one line that updates in place (a carriage return, then the line, then
 * erase-to-end-of-line, cut to the terminal's width so it never wraps), and the log gets the
 * same text as plain lines at debug level. Anywhere else (a file, a pipe, CI: no console, or
 * {@code TERM=dumb}) it is a plain line per period, with no control characters.
 *
 * <p>The time left ({@link #secondsLeft()}) comes from what each stage cost when it last ran:
 * {@link #measured} reads the {@code wall_seconds} of the cache's last record of each stage
 * name, and a stage never measured counts as the median of those that were. A running stage
 * has left its cost minus the time it has run, or, once it reports a tenth of its work done,
 * what its own rate says. The stages run {@code jobs} at a time, and none can be split, so the
 * time left is the larger of the summed remainders over {@code jobs} and the largest remainder.
 * Without any measured stage there is no estimate.
 */
final class Progress implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Progress.class);

  /** Width of the updating line when the terminal does not say ({@code COLUMNS} unset). */
  static final int DEFAULT_COLUMNS = 80;

  /** From this reported fraction on, a running stage's own rate predicts its remainder. */
  static final double OWN_RATE_FROM = 0.1;

  private static final String ERASE_TO_END = "\u001b[K";

  private final PrintWriter err;
  private final Consumer<String> plain;
  private final boolean terminal;
  private final int columns;
  private final LongSupplier nanos;
  private final int total;
  private final long start;
  private final AtomicInteger done = new AtomicInteger();
  private final Map<String, String> running = new ConcurrentSkipListMap<>();
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
  private final Map<String, Double> fraction = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  /** The expected cost of every stage still to finish (seconds); empty: no estimate. */
  private final Map<String, Double> cost = new ConcurrentHashMap<>();
  private volatile int jobs = 1;
  private boolean drawn;

  /**
   * A progress line on {@code err} every {@code periodSeconds} (0: never): updating in place
   * when the process has a console, plain lines otherwise.
   */
  Progress(PrintWriter err, int total, double periodSeconds) {
    this(err, line -> {
      synchronized (err) {
        err.println(line);
        err.flush();
      }
    }, total, periodSeconds, onTerminal(), columns(System.getenv("COLUMNS")), System::nanoTime);
  }

  /**
   * The same with the plain lines (when not on a terminal) given to {@code plain}, e.g. a log,
   * and the clock given.
   */
  Progress(PrintWriter err, Consumer<String> plain, int total, double periodSeconds,
      boolean terminal, int columns, LongSupplier nanos) {
    this.err = err;
    this.plain = plain;
    this.terminal = terminal;
    this.columns = columns;
    this.nanos = nanos;
    this.total = total;
    this.start = nanos.getAsLong();
    if (periodSeconds > 0) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });
      long ms = (long) (periodSeconds * 1000);
      timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /**
   * Progress on {@code err} whose plain lines go to the log (log4j2, like the rest of the run's
   * messages) rather than straight to {@code err}.
   */
  static Progress logged(PrintWriter err, int total, double periodSeconds) {
    return new Progress(err, LOG::info, total, periodSeconds, onTerminal(),
        columns(System.getenv("COLUMNS")), System::nanoTime);
  }

  /** Whether the process runs on a terminal that understands a carriage return and ANSI. */
  static boolean onTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** The terminal width from {@code COLUMNS}, else {@link #DEFAULT_COLUMNS}. */
  static int columns(String env) {
    try {
      int c = env == null ? DEFAULT_COLUMNS : Integer.parseInt(env.trim());
      return c >= 20 ? c : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }

  /**
   * The stages this run will go through, with the seconds each took when last measured (absent:
   * never), run {@code jobs} at a time: what the estimate of the time left needs.
   */
  void expect(Collection<String> stages, Map<String, Double> measuredSeconds, int jobs) {
    List<Double> known = new ArrayList<>();
    for (String s : stages) {
      Double c = measuredSeconds.get(s);
      if (c != null && c >= 0 && Double.isFinite(c)) {
        known.add(c);
      }
    }
    if (known.isEmpty()) {
      return;
    }
    double median = median(known);
    for (String s : stages) {
      Double c = measuredSeconds.get(s);
      cost.put(s, c != null && c >= 0 && Double.isFinite(c) ? c : median);
    }
    this.jobs = Math.max(1, jobs);
  }

  /**
   * The {@code wall_seconds} of the last record of each of {@code stages} in the cache (a stage
   * with none is left out).
   */
  static Map<String, Double> measured(Store store, Collection<String> stages) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String s : stages) {
      Optional<String> key = store.lastKey(s);
      Optional<ActionRecord> r = key.isPresent() ? store.findRecord(key.get()) : Optional.empty();
      JsonNode w = r.map(a -> a.provenance().path("wall_seconds")).orElse(null);
      if (w != null && w.isNumber()) {
        out.put(s, w.asDouble());
      }
    }
    return out;
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  void started(String stage) {
    startedAt.put(stage, nanos.getAsLong());
    running.put(stage, "0%");
  }

  void update(String stage, double fraction, String message) {
    if (startedAt.containsKey(stage)) {
      double f = Math.max(0, Math.min(1, fraction));
      this.fraction.put(stage, f);
      String pct = String.format(Locale.ROOT, "%d%%", Math.round(f * 100));
      running.put(stage, message == null || message.isBlank() ? pct : pct + " " + message);
    }
  }

  void finished(String stage) {
    startedAt.remove(stage);
    fraction.remove(stage);
    running.remove(stage);
    cost.remove(stage);
    done.incrementAndGet();
  }

  /** The estimated seconds left (see the class comment); empty without any measured stage. */
  OptionalDouble secondsLeft() {
    if (cost.isEmpty()) {
      return OptionalDouble.empty();
    }
    long now = nanos.getAsLong();
    double sum = 0;
    double largest = 0;
    for (Map.Entry<String, Double> e : cost.entrySet()) {
      double left = e.getValue();
      Long t0 = startedAt.get(e.getKey());
      if (t0 != null) {
        double ran = (now - t0) / 1e9;
        double f = fraction.getOrDefault(e.getKey(), 0.0);
        left = f >= OWN_RATE_FROM ? ran * (1 - f) / f : Math.max(0, left - ran);
      }
      sum += left;
      largest = Math.max(largest, left);
    }
    return OptionalDouble.of(Math.max(sum / jobs, largest));
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
    sb.append("] ").append(elapsed(Duration.ofNanos(nanos.getAsLong() - start)))
        .append(" elapsed");
    OptionalDouble left = secondsLeft();
    if (left.isPresent()) {
      sb.append(", about ").append(elapsed(Duration.ofMillis(Math.round(left.getAsDouble()
          * 1000)))).append(" left");
    }
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

  /** Shows the current line once: redrawn in place on a terminal, a plain line otherwise. */
  void tick() {
    String line = line();
    if (!terminal) {
      plain.accept(line);
      return;
    }
    LOG.debug(line);
    // one column short of the width: a line that fills it would wrap on some terminals
    String shown = line.length() < columns ? line : line.substring(0, columns - 4) + "...";
    synchronized (err) {
      err.print("\r" + shown + ERASE_TO_END);
      err.flush();
      drawn = true;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    synchronized (err) {
      if (drawn) {
        err.print("\r" + ERASE_TO_END); // what follows (the summary) starts on a clean line
        err.flush();
        drawn = false;
      }
    }
  }
}
