package org.linearicl.pipeline.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CacheKey;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Durable;
import org.linearicl.pipeline.cache.Provenance;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.spec.ParamOverride;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.PipelineSpec;
import org.linearicl.pipeline.spec.Stage;

/**
 * Runs a pipeline: expands and validates the file, takes the cache lock, runs the selected
 * stages in topological order (independent ones in parallel up to {@code jobs}), reuses every
 * stage whose key has a valid record, commits each finished stage at once, publishes, and prints
 * a summary. A failing stage stops only its descendants.
 *
 * <p>User mistakes surface as {@link org.linearicl.pipeline.spec.SpecException} (the file) or
 * {@link IllegalArgumentException} (a target glob matching nothing, a publish clash); another
 * runner holding the lock with {@code noWait} as {@link StoreLock.BusyException}.
 */
public final class Runner {
  private static final Logger LOG = LogManager.getLogger(Runner.class);

  private final StageKinds kinds;
  private final PrintWriter out;
  private final PrintWriter err;

  public Runner(StageKinds kinds, PrintWriter out, PrintWriter err) {
    this.kinds = kinds;
    this.out = out;
    this.err = err;
  }

  /** Loads and expands {@code file} under {@code profile} (null: the default profile). */
  public Pipeline load(Path file, String profile) {
    return load(file, profile, List.of());
  }

  /**
   * Loads and expands {@code file} under {@code profile} (null: the default profile), with
   * {@code overrides} applied after the profile.
   */
  public Pipeline load(Path file, String profile, List<ParamOverride> overrides) {
    return PipelineSpec.load(file, label(file), kinds).expand(profile, overrides);
  }

  /** The file name used in messages: as given when relative, else the file name. */
  public static String label(Path file) {
    return file.isAbsolute() ? file.getFileName().toString() : file.toString();
  }

  /**
   * The stages {@code --force} reruns: the named ones (all selected when none is named), never
   * their upstream; empty without {@code --force}.
   */
  public static Set<String> forced(Pipeline pipeline, List<Stage> selected, RunOptions o) {
    Set<String> forced = new HashSet<>();
    if (o.force()) {
      if (o.targets().isEmpty()) {
        selected.forEach(s -> forced.add(s.name()));
      } else {
        o.targets().forEach(t -> forced.addAll(pipeline.matching(t)));
      }
    }
    return forced;
  }

  public RunReport run(RunOptions o) throws IOException {
    return run(load(o.file(), o.profile(), o.overrides()), o);
  }

  /** As {@link #run(RunOptions)} for a pipeline the caller has loaded from {@code o}'s file. */
  public RunReport run(Pipeline pipeline, RunOptions o) throws IOException {
    List<Stage> selected = pipeline.select(o.targets());
    Set<String> forced = forced(pipeline, selected, o);
    Store store = new Store(o.cacheDir());
    if (o.dryRun()) {
      return dryRun(pipeline, selected, new Store(o.cacheDir(), true), forced, o);
    }
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !o.noWait(), msg -> {
      synchronized (err) {
        err.println(msg);
        err.flush();
      }
    })) {
      store.init();
      store.cleanTmp();
      return execute(pipeline, selected, store, forced, o);
    }
  }

  private RunReport dryRun(Pipeline p, List<Stage> selected, Store store, Set<String> forced,
      RunOptions o) throws IOException {
    Map<String, Inspector.State> states = Inspector.inspect(selected, store, forced);
    List<String> ran = new ArrayList<>();
    List<String> cached = new ArrayList<>();
    for (Inspector.State s : states.values()) {
      if (s.fresh()) {
        cached.add(s.stage().name());
        out.println("cached     " + s.stage().name());
      } else {
        ran.add(s.stage().name());
        out.println("would run  " + s.stage().name() + "  (" + s.reason() + ")");
      }
    }
    out.println("dry run (profile " + p.profile() + "): " + ran.size() + " would run, "
        + cached.size() + " cached");
    out.flush();
    return new RunReport(p.profile(), List.of(), cached, Map.of(), Map.of(), List.of(),
        List.of(), "");
  }

  /** The outcome of one stage task. */
  private record Outcome(String stage, boolean ran, Artifact artifact, String error) {}

  private RunReport execute(Pipeline p, List<Stage> selected, Store store, Set<String> forced,
      RunOptions o) throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, cores / o.jobs());
    Map<String, Artifact> artifacts = new ConcurrentHashMap<>();
    Map<String, Stage> pending = new LinkedHashMap<>();
    selected.forEach(s -> pending.put(s.name(), s));
    Set<String> selectedNames = new LinkedHashSet<>(pending.keySet());
    List<String> ran = new ArrayList<>();
    List<String> cached = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    Map<String, Path> logs = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(o.jobs(), new java.util.concurrent
        .ThreadFactory() {
          private final AtomicInteger n = new AtomicInteger();

          @Override
          public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "stage-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          }
        });
    CompletionService<Outcome> cs = new ExecutorCompletionService<>(pool);
    StageLogs stageLogs = StageLogs.install();
    try (Progress progress = new Progress(err, selected.size(), o.progressSeconds())) {
      // the time left, from what each stage took when it last ran in this cache
      progress.expect(selectedNames, Progress.measured(store, selectedNames), o.jobs());
      int inFlight = 0;
      Set<String> submitted = new HashSet<>();
      while (!pending.isEmpty() || inFlight > 0) {
        for (Stage s : new ArrayList<>(pending.values())) {
          if (!submitted.contains(s.name()) && artifacts.keySet().containsAll(s.needs())) {
            submitted.add(s.name());
            inFlight++;
            boolean force = forced.contains(s.name());
            cs.submit(() -> runOne(s, store, artifacts, force, threads, progress, stageLogs));
          }
        }
        if (inFlight == 0) {
          break; // nothing runnable: everything left was skipped
        }
        Outcome oc;
        try {
          oc = cs.take().get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IOException("runner task failed: " + e.getCause(), e.getCause());
        }
        inFlight--;
        pending.remove(oc.stage());
        progress.finished(oc.stage());
        if (oc.error() == null) {
          artifacts.put(oc.stage(), oc.artifact());
          (oc.ran() ? ran : cached).add(oc.stage());
        } else {
          failed.put(oc.stage(), oc.error());
          logs.put(oc.stage(), store.log(oc.stage()));
          for (String d : p.descendants(oc.stage())) {
            if (pending.remove(d) != null) {
              skipped.add(d);
              progress.finished(d);
            }
          }
        }
      }
    } finally {
      pool.shutdownNow();
      if (stageLogs != null) {
        stageLogs.uninstall();
      }
    }
    List<Path> published = publish(p, selected, artifacts, o.resultsDir(), store);
    String resume = resumeCommand(o, p);
    RunReport report = new RunReport(p.profile(), ran, cached, failed, logs, skipped, published,
        resume);
    summary(report, selectedNames.size(), System.nanoTime() - start);
    return report;
  }

  private Outcome runOne(Stage s, Store store, Map<String, Artifact> artifacts, boolean force,
      int threads, Progress progress, StageLogs stageLogs) {
    Path logFile = store.log(s.name());
    try (CloseableThreadContext.Instance ctc = CloseableThreadContext.put("stage", s.name())) {
      SortedMap<String, Artifact> inputs = new TreeMap<>();
      SortedMap<String, String> digests = new TreeMap<>();
      for (String u : s.needs()) {
        inputs.put(u, artifacts.get(u));
        digests.put(u, artifacts.get(u).digest());
      }
      CacheKey key = Inspector.keyOf(s, digests);
      String k = key.hash();
      if (!force) {
        Optional<ActionRecord> r = store.findRecord(k);
        if (r.isPresent()) {
          try {
            return new Outcome(s.name(), false, store.get(r.get().artifact()), null);
          } catch (CorruptArtifactException e) {
            LOG.warn("stage {}: {}; recomputing", s.name(), e.getMessage());
            synchronized (err) {
              err.println("stage " + s.name() + ": " + e.getMessage() + "; recomputing");
              err.flush();
            }
          }
        }
      }
      progress.started(s.name());
      try (Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        PrintWriter lw = new PrintWriter(log, true);
        if (stageLogs != null) {
          stageLogs.register(s.name(), lw);
        }
        lw.println(Instant.now() + " start " + s.name() + " kind " + s.kind().name() + "@"
            + s.kind().version() + " key " + k + " threads " + threads);
        lw.println("params " + s.params().toJson());
        long t0 = System.nanoTime();
        Artifact a;
        try {
          a = s.kind().run(s.params(), new StageInputs(s.name(), inputs),
              context(s.name(), threads, progress, lw));
          if (a == null) {
            throw new IllegalStateException("kind " + s.kind().name() + " returned no artifact");
          }
        } catch (Throwable e) { // NOPMD: a stage's failure of any kind is reported, not thrown
          unregister(stageLogs, s.name());
          StringWriter sw = new StringWriter();
          e.printStackTrace(new PrintWriter(sw));
          lw.println(Instant.now() + " FAILED");
          lw.print(sw);
          lw.flush();
          LOG.debug("stage {} failed", s.name(), e);
          String msg = e.getMessage() == null ? e.getClass().getSimpleName()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
          return new Outcome(s.name(), true, null, msg.replaceAll("\\s*\\R\\s*", " "));
        }
        unregister(stageLogs, s.name());
        double secs = (System.nanoTime() - t0) / 1e9;
        store.put(a);
        ActionRecord rec = new ActionRecord(k, s.name(), key, a.digest(),
            Provenance.of(s.name(), key, threads, secs, Instant.now()));
        store.commit(rec);
        lw.println(Instant.now() + String.format(Locale.ROOT, " done in %.3f s, artifact %s",
            secs, a.digest()));
        return new Outcome(s.name(), true, a, null);
      }
    } catch (IOException e) {
      LOG.error("stage {}: cache I/O failed", s.name(), e);
      return new Outcome(s.name(), true, null, "cache I/O: " + e);
    }
  }

  private static void unregister(StageLogs logs, String stage) {
    if (logs != null) {
      logs.unregister(stage);
    }
  }

  private static StageContext context(String name, int threads, Progress progress,
      PrintWriter log) {
    return StageContext.of(name, threads, (fraction, message) -> {
      progress.update(name, fraction, message);
      log.println(Instant.now() + String.format(Locale.ROOT, " progress %.1f%% ",
          fraction * 100) + (message == null ? "" : message));
    });
  }

  /**
   * Copies the files of the selected publishing stages to {@code <resultsDir>/<profile>/} and
   * records each in {@link Published#FILE} with its stage, key and digest; entries of stages not
   * selected this time are kept (their files are still there).
   */
  private List<Path> publish(Pipeline p, List<Stage> selected, Map<String, Artifact> artifacts,
      Path resultsDir, Store store) throws IOException {
    Map<String, String> owner = new TreeMap<>();
    List<String> clashes = new ArrayList<>();
    for (Stage s : selected) {
      Artifact a = s.publish() ? artifacts.get(s.name()) : null;
      if (a == null) {
        continue;
      }
      for (String f : a.names()) {
        if (f.equals(Published.FILE)) {
          throw new IllegalArgumentException("stage " + s.name() + " publishes '" + f
              + "', the name of the runner's list of published files; expected another name");
        }
        String old = owner.putIfAbsent(f, s.name());
        if (old != null) {
          clashes.add("'" + f + "' (stages " + old + " and " + s.name() + ")");
        }
      }
    }
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException("published stages write the same file: "
          + String.join(", ", clashes) + "; expected distinct file names");
    }
    List<Path> written = new ArrayList<>();
    if (owner.isEmpty()) {
      return written;
    }
    Path dir = resultsDir.resolve(p.profile());
    SortedMap<String, Published.Entry> entries;
    try {
      entries = Published.read(dir);
    } catch (CorruptArtifactException e) {
      LOG.warn("{}; rewritten from this run's published files only", e.getMessage());
      entries = new TreeMap<>();
    }
    SortedMap<String, Published.Entry> before = new TreeMap<>(entries);
    Set<String> publishing = new HashSet<>(owner.values());
    entries.values().removeIf(e -> publishing.contains(e.stage()));
    Map<String, String> keys = new TreeMap<>();
    for (String stage : publishing) {
      Stage s = p.stage(stage);
      SortedMap<String, String> digests = new TreeMap<>();
      s.needs().forEach(u -> digests.put(u, artifacts.get(u).digest()));
      keys.put(stage, Inspector.keyOf(s, digests).hash());
    }
    for (Map.Entry<String, String> e : owner.entrySet()) {
      Path target = dir.resolve(e.getKey());
      byte[] bytes = stamped(p, p.stage(e.getValue()), e.getKey(),
          artifacts.get(e.getValue()).bytes(e.getKey()), artifacts, store);
      if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
        Durable.write(target, bytes);
      }
      entries.put(e.getKey(), new Published.Entry(e.getValue(), keys.get(e.getValue()),
          Artifact.sha256Hex(bytes)));
      written.add(target);
    }
    // a file a publishing stage wrote last time and no longer writes (a released model whose
    // seed is no longer the chosen one) goes, unless someone changed it since
    for (Map.Entry<String, Published.Entry> e : before.entrySet()) {
      Path old = dir.resolve(e.getKey());
      if (publishing.contains(e.getValue().stage()) && !owner.containsKey(e.getKey())
          && Files.isRegularFile(old)
          && Artifact.sha256Hex(Files.readAllBytes(old)).equals(e.getValue().digest())) {
        Files.delete(old);
        LOG.info("{}: removed, stage {} no longer publishes it", old, e.getValue().stage());
        for (Path d = old.getParent(); !d.equals(dir) && isEmptyDir(d); d = d.getParent()) {
          Files.delete(d);
        }
      }
    }
    if (!entries.equals(before) || !Files.exists(dir.resolve(Published.FILE))) {
      Published.write(dir, p.profile(), entries);
    }
    return written;
  }

  /**
   * The published bytes of file {@code name} of stage {@code s}: the artifact's, or for a
   * {@link Provenanced} kind the artifact's with the provenance of the stage and its upstream.
   */
  private static byte[] stamped(Pipeline p, Stage s, String name, byte[] bytes,
      Map<String, Artifact> artifacts, Store store) throws IOException {
    if (!(s.kind() instanceof Provenanced k)) {
      return bytes;
    }
    Map<String, String> keys = new java.util.HashMap<>();
    for (Stage u : p.select(List.of(s.name()))) {
      SortedMap<String, String> digests = new TreeMap<>();
      u.needs().forEach(n -> digests.put(n, artifacts.get(n).digest()));
      keys.put(u.name(), Inspector.keyOf(u, digests).hash());
    }
    Optional<List<Provenanced.StageRun>> runs = StageRuns.of(p, s.name(), keys::get, store);
    return runs.isPresent() ? k.stamp(name, bytes, p.profile(), runs.get()) : bytes;
  }

  private static boolean isEmptyDir(Path d) throws IOException {
    try (var files = Files.list(d)) {
      return files.findAny().isEmpty();
    }
  }

  private static String resumeCommand(RunOptions o, Pipeline p) {
    StringBuilder sb = new StringBuilder("linear-icl run --profile ").append(p.profile());
    o.targets().forEach(t -> sb.append(' ').append(quote(t)));
    if (!o.file().toString().equals("pipeline.yaml")) {
      sb.append(" --file ").append(quote(o.file().toString()));
    }
    sb.append(" --cache-dir ").append(quote(o.cacheDir().toString()));
    if (!o.resultsDir().toString().equals("results")) {
      sb.append(" --results-dir ").append(quote(o.resultsDir().toString()));
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private void summary(RunReport r, int total, long nanos) {
    out.printf(Locale.ROOT, "profile %s: %d stages, %d ran, %d cached, %d failed, %d skipped"
        + " (%s)%n", r.profile(), total, r.ran().size(), r.cached().size(), r.failed().size(),
        r.skipped().size(), Progress.elapsed(java.time.Duration.ofNanos(nanos)));
    if (!r.ran().isEmpty()) {
      out.println("ran:     " + String.join(" ", r.ran()));
    }
    if (!r.cached().isEmpty()) {
      out.println("cached:  " + String.join(" ", r.cached()));
    }
    r.failed().forEach((s, m) -> out.println("FAILED:  " + s + ": " + m + " (log: "
        + r.logs().get(s) + ")"));
    if (!r.skipped().isEmpty()) {
      out.println("skipped (an upstream failed): " + String.join(" ", r.skipped()));
    }
    if (!r.published().isEmpty()) {
      out.println("published " + r.published().size() + " file(s) under "
          + r.published().get(0).getParent());
    }
    if (r.exitCode() != 0) {
      out.println("resume with: " + r.resume());
    }
    out.flush();
  }
}
