package org.linearicl.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
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
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CacheKey;
import org.linearicl.pipeline.cache.CorruptArtifactException;
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
  private Store.Tier tier;

  public Runner(StageKinds kinds, PrintWriter out, PrintWriter err) {
    this.kinds = kinds;
    this.out = out;
    this.err = err;
  }

  /**
   * Puts {@code t} (null: none) behind the cache of every run: the remote cache, read for the
   * stages the local cache lacks and told of every stage committed; returns this runner.
   */
  public Runner tier(Store.Tier t) {
    this.tier = t;
    return this;
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
    if (o.stageJob()) {
      return stageJob(pipeline, o);
    }
    List<Stage> selected = pipeline.select(o.targets());
    Set<String> forced = forced(pipeline, selected, o);
    Store store = new Store(o.cacheDir()).tier(tier);
    if (o.dryRun()) {
      return dryRun(pipeline, selected, new Store(o.cacheDir(), true), forced, o);
    }
    if (o.slurm() != null) {
      SlurmExecutor.check(o.slurm().env(), SlurmExecutor.CONTROLLER_TIMEOUT,
          o.slurm().resources().partition());
    }
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !o.noWait(), msg -> {
      synchronized (err) {
        err.println(msg);
        err.flush();
      }
    })) {
      store.init();
      store.cleanTmp();
      Tally tally = new Tally();
      // SIGINT (Ctrl-C) and SIGTERM end the JVM with 130 and 143 after its shutdown hooks: this
      // one says what the cache keeps and how to resume; every write to the cache and to the
      // results is a rename of a complete file, so nothing half-written is left behind
      Thread hook = new Thread(() -> interrupted(pipeline, selected.size(), tally, o),
          "interrupted-run");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return execute(pipeline, selected, store, forced, o, tally);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook reports
        }
      }
    }
  }

  /** What a run has done so far, read by the report of an interruption from another thread. */
  private static final class Tally {
    final List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> cached = java.util.Collections.synchronizedList(new ArrayList<>());
    final Set<String> running = ConcurrentHashMap.newKeySet();
  }

  /** The line an interrupted run ends with: what is in the cache, what was lost, the resume. */
  private void interrupted(Pipeline p, int total, Tally t, RunOptions o) {
    List<String> lost = new ArrayList<>(t.running);
    lost.sort(null);
    String line = "interrupted: " + (t.ran.size() + t.cached.size()) + " of " + total
        + " stage(s) are in the cache " + o.cacheDir() + " (" + t.ran.size() + " finished by"
        + " this run)" + (lost.isEmpty() ? "" : "; lost: " + lost.size() + " in progress ("
        + String.join(" ", lost) + ")") + "; resume with: " + resumeCommand(o, p);
    synchronized (err) {
      err.println(line);
      err.flush();
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

  /**
   * The outcome of one stage task; {@code fatal}: the error is the user's to fix (a job the
   * cluster refuses) and stops the run.
   */
  private record Outcome(String stage, boolean ran, Artifact artifact, String error,
      boolean fatal) {
    Outcome(String stage, boolean ran, Artifact artifact, String error) {
      this(stage, ran, artifact, error, false);
    }
  }

  /**
   * What a Slurm job runs: the one target stage of {@code o}, its inputs read from the cache
   * (every stage it needs must be committed there), under the stage's claim and without the
   * runner's lock, using {@code SLURM_CPUS_PER_TASK} threads; nothing is published.
   */
  private RunReport stageJob(Pipeline p, RunOptions o) throws IOException {
    if (o.targets().size() != 1 || p.stage(o.targets().get(0)) == null) {
      throw new IllegalArgumentException("--stage-job " + o.targets() + ": expected exactly"
          + " one stage name of profile " + p.profile());
    }
    Stage target = p.stage(o.targets().get(0));
    Store store = new Store(o.cacheDir());
    store.init();
    long start = System.nanoTime();
    Map<String, String> digest = new HashMap<>();
    Map<String, Artifact> artifacts = new HashMap<>();
    String missing = null;
    for (Stage s : p.select(List.of(target.name()))) { // upstream first, the target last
      if (s == target) {
        break;
      }
      SortedMap<String, String> digests = new TreeMap<>();
      s.needs().forEach(u -> digests.put(u, digest.get(u)));
      String k = CacheKey.of(s.kind(), s.params(), digests).hash();
      Optional<ActionRecord> r = store.findRecord(k);
      if (r.isEmpty()) {
        missing = "input " + s.name() + " is not in the cache " + store.root() + " (key " + k
            + "); expected the runner to submit this stage after it";
        break;
      }
      digest.put(s.name(), r.get().artifact());
    }
    for (String u : target.needs()) {
      if (missing != null) {
        break;
      }
      try {
        artifacts.put(u, store.get(digest.get(u)));
      } catch (CorruptArtifactException e) {
        missing = "input " + u + ": " + e.getMessage();
      }
    }
    Outcome oc;
    if (missing != null) {
      oc = new Outcome(target.name(), false, null, missing);
    } else {
      int threads = jobThreads(System.getenv("SLURM_CPUS_PER_TASK"));
      StageLogs stageLogs = StageLogs.install();
      try (Progress progress = new Progress(err, 1, 0)) {
        oc = runOne(target, store, artifacts, o.force(), threads, progress, stageLogs,
            new HashSet<>(), null, o);
      } finally {
        if (stageLogs != null) {
          stageLogs.uninstall();
        }
      }
    }
    boolean ok = oc.error() == null;
    RunReport report = new RunReport(p.profile(), ok && oc.ran() ? List.of(target.name())
        : List.of(), ok && !oc.ran() ? List.of(target.name()) : List.of(),
        ok ? Map.of() : Map.of(target.name(), oc.error()),
        ok ? Map.of() : Map.of(target.name(), store.log(target.name())), List.of(), List.of(),
        "");
    summary(report, 1, System.nanoTime() - start);
    return report;
  }

  /**
   * The threads of a stage in a Slurm job: the CPUs Slurm gave the task, else every core the
   * JVM sees.
   */
  static int jobThreads(String slurmCpusPerTask) {
    try {
      int n = slurmCpusPerTask == null ? 0 : Integer.parseInt(slurmCpusPerTask.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // not set by Slurm: the JVM's count
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private RunReport execute(Pipeline p, List<Stage> selected, Store store, Set<String> forced,
      RunOptions o, Tally tally) throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, cores / o.jobs());
    Map<String, Artifact> artifacts = new ConcurrentHashMap<>();
    Map<String, Stage> pending = new LinkedHashMap<>();
    selected.forEach(s -> pending.put(s.name(), s));
    Set<String> selectedNames = new LinkedHashSet<>(pending.keySet());
    List<String> ran = tally.ran;
    List<String> cached = tally.cached;
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
    StageLogs stageLogs = o.slurm() == null ? StageLogs.install() : null;
    try (Progress progress = new Progress(err, selected.size(), o.progressSeconds());
        SlurmExecutor slurm = o.slurm() == null ? null : new SlurmExecutor(o.slurm().env(),
            o.slurm().resources(), store.logs().resolve("slurm"), Path.of(""),
            o.slurm().pollSeconds(), SlurmExecutor.CONTROLLER_TIMEOUT, progress::update,
            store::log)) {
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
            cs.submit(() -> runOne(s, store, artifacts, force, threads, progress, stageLogs,
                tally.running, slurm, o));
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
        tally.running.remove(oc.stage());
        if (oc.fatal()) {
          throw new IllegalArgumentException(oc.error()); // closing the executor cancels jobs
        }
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
    List<Path> published = publish(p, selected, artifacts, store, o.resultsDir());
    String resume = resumeCommand(o, p);
    RunReport report = new RunReport(p.profile(), List.copyOf(ran), List.copyOf(cached), failed,
        logs, skipped, published, resume);
    summary(report, selectedNames.size(), System.nanoTime() - start);
    return report;
  }

  /** The stage's committed artifact of key {@code k}, or null when it has none (valid). */
  private Outcome cached(Stage s, Store store, String k) throws IOException {
    Store.Lookup l = store.lookup(k);
    if (l.corrupt() != null) {
      LOG.warn("stage {}: {}; recomputing", s.name(), l.corrupt());
      tell("stage " + s.name() + ": " + l.corrupt() + "; recomputing");
    }
    return l.hit() ? new Outcome(s.name(), false, l.artifact(), null) : null;
  }

  private void tell(String msg) {
    synchronized (err) {
      err.println(msg);
      err.flush();
    }
  }

  private Outcome runOne(Stage s, Store store, Map<String, Artifact> artifacts, boolean force,
      int threads, Progress progress, StageLogs stageLogs, Set<String> running,
      SlurmExecutor slurm, RunOptions o) {
    Path logFile = store.log(s.name());
    try (CloseableThreadContext.Instance ctc = CloseableThreadContext.put("stage", s.name())) {
      SortedMap<String, Artifact> inputs = new TreeMap<>();
      s.needs().forEach(u -> inputs.put(u, artifacts.get(u)));
      CacheKey key = key(s, artifacts);
      String k = key.hash();
      Outcome hit = force ? null : cached(s, store, k);
      if (hit != null) {
        return hit;
      }
      running.add(s.name()); // until the runner takes its outcome
      if (slurm != null) {
        return runAsJob(s, k, force, store, slurm, o, progress);
      }
      // one writer per stage: another process (a Slurm job, a runner on another cache lock
      // holder's behalf) may be computing it; once it has committed, its record is used
      try (StoreLock claim = store.claim(s.name(), this::tell)) {
        hit = force ? null : cached(s, store, k);
        if (hit != null) {
          return hit;
        }
        return compute(s, store, inputs, key, threads, progress, stageLogs, logFile);
      }
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) { // the run is stopping: not this stage's fault
        LOG.debug("stage {}: interrupted", s.name(), e);
        return new Outcome(s.name(), true, null, "interrupted");
      }
      // the environment's failure (a full disk, a permission): its cause on the terminal, the
      // stack trace in the stage's log only (when the disk still takes it)
      unregister(stageLogs, s.name());
      String cause = ioCause(e);
      try {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        Files.writeString(logFile, Instant.now() + " FAILED (cache I/O)\n" + sw,
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException | RuntimeException again) {
        LOG.debug("stage {}: the log {} cannot take the stack trace either", s.name(), logFile,
            again);
      }
      LOG.error("stage {}: cache I/O failed: {} (stack trace in {})", s.name(), cause, logFile);
      LOG.debug("stage {}: cache I/O failed", s.name(), e);
      return new Outcome(s.name(), true, null, "cache I/O: " + cause);
    }
  }

  /** Submits the stage's job and waits for it; its artifact is then read from the cache. */
  private Outcome runAsJob(Stage s, String k, boolean force, Store store, SlurmExecutor slurm,
      RunOptions o, Progress progress) throws IOException {
    progress.started(s.name());
    List<String> cmd = new ArrayList<>(o.slurm().commandFor(s.name()));
    if (force) {
      cmd.add("--force");
    }
    SlurmExecutor.Job job;
    try {
      job = slurm.submit(s.name(), s.kind().name(), cmd);
    } catch (IllegalArgumentException e) {
      return new Outcome(s.name(), true, null, e.getMessage(), true);
    }
    int code;
    try {
      code = job.done().get();
    } catch (ExecutionException e) {
      return new Outcome(s.name(), true, null, "Slurm job " + job.id() + ": "
          + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(s.name(), true, null, "interrupted");
    }
    if (code != 0) {
      return new Outcome(s.name(), true, null, SlurmExecutor.describe(job, code));
    }
    Outcome hit = cached(s, store, k);
    if (hit == null) {
      return new Outcome(s.name(), true, null, "Slurm job " + job.id() + " succeeded but the"
          + " cache has no record of key " + k.substring(0, 12) + " (did the pipeline file"
          + " change while it ran?)");
    }
    return new Outcome(s.name(), true, hit.artifact(), null);
  }

  /** Runs the stage's kind in this process and commits its artifact (under its claim). */
  private Outcome compute(Stage s, Store store, SortedMap<String, Artifact> inputs,
      CacheKey key, int threads, Progress progress, StageLogs stageLogs, Path logFile)
      throws IOException {
    String k = key.hash();
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
      Map<String, Double> phases = new TreeMap<>();
      Artifact a;
      try {
        a = s.kind().run(s.params(), new StageInputs(s.name(), inputs),
            context(s.name(), threads, progress, lw, phases));
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
          Provenance.of(s.name(), key, seed(s), threads, secs, phaseSums(phases),
              Instant.now()));
      store.commit(rec);
      lw.println(Instant.now() + String.format(Locale.ROOT, " done in %.3f s, artifact %s",
          secs, a.digest()));
      return new Outcome(s.name(), true, a, null);
    }
  }

  /** The value of the parameter that seeds the stage's kind, or null when it draws nothing. */
  private static JsonNode seed(Stage s) {
    return s.kind().seedParam().map(n -> s.params().values().get(n)).orElse(null);
  }

  /**
   * An I/O failure as one phrase that ends with its cause: "No space left on device" is the
   * reason of a FileSystemException, after the file's name.
   */
  public static String ioCause(IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void unregister(StageLogs logs, String stage) {
    if (logs != null) {
      logs.unregister(stage);
    }
  }

  private static StageContext context(String name, int threads, Progress progress,
      PrintWriter log, Map<String, Double> phases) {
    return StageContext.of(name, threads, (fraction, message) -> {
      progress.update(name, fraction, message);
      log.println(Instant.now() + String.format(Locale.ROOT, " progress %.1f%% ",
          fraction * 100) + (message == null ? "" : message));
    }, (phase, seconds) -> {
      synchronized (phases) { // a stage may time its work from several threads
        phases.merge(phase, seconds, Double::sum);
      }
    });
  }

  private static Map<String, Double> phaseSums(Map<String, Double> phases) {
    synchronized (phases) {
      return new TreeMap<>(phases);
    }
  }

  /**
   * Copies the files of the selected publishing stages to {@code <resultsDir>/<profile>/} and
   * records each in {@link Published#FILE} with its stage, key and digest; entries of stages not
   * selected this time are kept (their files are still there).
   */
  private List<Path> publish(Pipeline p, List<Stage> selected, Map<String, Artifact> artifacts,
      Store store, Path resultsDir) throws IOException {
    Map<String, String> owner = new TreeMap<>();
    List<String> clashes = new ArrayList<>();
    for (Stage s : selected) {
      Artifact a = s.publish() ? artifacts.get(s.name()) : null;
      if (a == null) {
        continue;
      }
      for (String f : a.names()) {
        if (f.equals(Published.FILE) || f.equals(Timings.FILE)) {
          throw new IllegalArgumentException("stage " + s.name() + " publishes '" + f
              + "', the name of one of the runner's own files; expected another name");
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
      keys.put(stage, key(p.stage(stage), artifacts).hash());
    }
    for (Map.Entry<String, String> e : owner.entrySet()) {
      Path target = dir.resolve(e.getKey());
      byte[] bytes = stamped(p, p.stage(e.getValue()), e.getKey(),
          artifacts.get(e.getValue()).bytes(e.getKey()), artifacts, store);
      if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
        AtomicFiles.write(target, bytes);
      }
      entries.put(e.getKey(), new Published.Entry(e.getValue(), keys.get(e.getValue()),
          Sha256.hex(bytes)));
      written.add(target);
    }
    // a file a publishing stage wrote last time and no longer writes (a released model whose
    // seed is no longer the chosen one) goes, unless someone changed it since
    for (Map.Entry<String, Published.Entry> e : before.entrySet()) {
      Path old = dir.resolve(e.getKey());
      if (publishing.contains(e.getValue().stage()) && !owner.containsKey(e.getKey())
          && Files.isRegularFile(old)
          && Sha256.hex(Files.readAllBytes(old)).equals(e.getValue().digest())) {
        Files.delete(old);
        LOG.info("{}: removed, stage {} no longer publishes it", old, e.getValue().stage());
        for (Path d = old.getParent(); !d.equals(dir) && isEmptyDir(d); d = d.getParent()) {
          Files.delete(d);
        }
      }
    }
    // where the time went, from the current record of every stage of the profile
    byte[] timings = Timings.of(p.profile(), currentRecords(p, store));
    Path target = dir.resolve(Timings.FILE);
    if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), timings)) {
      AtomicFiles.write(target, timings);
    }
    // listed without key or digest, so that the list stays the same bytes when only times move
    entries.put(Timings.FILE, new Published.Entry(Timings.STAGE, "", ""));
    if (!entries.equals(before) || !Files.exists(dir.resolve(Published.FILE))) {
      Published.write(dir, p.profile(), entries);
    }
    return written;
  }

  /** Each stage of {@code p} that is fresh in {@code store} with its current record. */
  private static Map<String, ActionRecord> currentRecords(Pipeline p, Store store)
      throws IOException {
    Map<String, ActionRecord> out = new LinkedHashMap<>();
    for (Inspector.State st : Inspector.inspect(p.topological(), store, Set.of()).values()) {
      if (st.fresh() && st.last() != null) {
        out.put(st.stage().name(), st.last());
      }
    }
    return out;
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
      keys.put(u.name(), key(u, artifacts).hash());
    }
    Optional<List<Provenanced.StageRun>> runs = StageRuns.of(p, s.name(), keys::get, store);
    return runs.isPresent() ? k.stamp(name, bytes, p.profile(), runs.get()) : bytes;
  }

  /** The cache key of {@code s} given the artifacts of the stages it needs, by stage name. */
  private static CacheKey key(Stage s, Map<String, Artifact> artifacts) {
    SortedMap<String, String> digests = new TreeMap<>();
    s.needs().forEach(u -> digests.put(u, artifacts.get(u).digest()));
    return CacheKey.of(s.kind(), s.params(), digests);
  }

  private static boolean isEmptyDir(Path d) throws IOException {
    try (var files = Files.list(d)) {
      return files.findAny().isEmpty();
    }
  }

  /**
   * The command that resumes this run: the same launcher and every option that shaped the run
   * (stages, --profile, --set, --file, --cache-dir, --results-dir), each quoted for a POSIX
   * shell, so that pasting it reruns exactly what stopped.
   */
  public static String resumeCommand(RunOptions o, Pipeline p) {
    StringBuilder sb = new StringBuilder(launcher()).append(" run --profile ")
        .append(quote(p.profile()));
    o.targets().forEach(t -> sb.append(' ').append(quote(t)));
    o.overrides().forEach(v -> sb.append(" --set ").append(quote(v.argument())));
    if (!o.file().toString().equals("pipeline.yaml")) {
      sb.append(" --file ").append(quote(o.file().toString()));
    }
    sb.append(" --cache-dir ").append(quote(o.cacheDir().toString()));
    if (!o.resultsDir().toString().equals("results")) {
      sb.append(" --results-dir ").append(quote(o.resultsDir().toString()));
    }
    return sb.toString();
  }

  /**
   * How this program was started, as a command to type: the {@code linear-icl} launcher (which
   * names itself in {@code -Dlinearicl.launcher}), else {@code java ... -jar JAR} when run from
   * the jar, else {@code linear-icl}, the launcher at the repository's root.
   */
  static String launcher() {
    String named = System.getProperty("linearicl.launcher");
    if (named != null && !named.isBlank()) {
      return quote(named);
    }
    try {
      Path jar = Path.of(Runner.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      if (Files.isRegularFile(jar)) {
        Path cwd = Path.of("").toAbsolutePath();
        return "java --add-modules jdk.incubator.vector -jar "
            + quote((jar.startsWith(cwd) ? cwd.relativize(jar) : jar).toString());
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // no code source to name: the launcher's name below
    }
    return "linear-icl";
  }

  /** {@code s} as one word of a POSIX shell command line. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
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
