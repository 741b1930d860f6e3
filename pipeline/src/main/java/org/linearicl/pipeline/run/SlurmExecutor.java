package org.linearicl.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.pipeline.spec.SlurmSpec;

/**
 * Runs stages as Slurm jobs from the login node: one {@code sbatch --parsable} job per stage
 * whose inputs are ready, a single thread that polls {@code squeue} for all of them, and
 * {@code scancel} of the jobs still queued or running when the runner stops early (an
 * interrupt, an error). Slurm's accounting database is not needed: each job's wrapper writes
 * the command's exit status to a file next to the job's output, which is how a finished job's
 * outcome is known once {@code squeue} no longer lists it.
 */
final class SlurmExecutor implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(SlurmExecutor.class);

  /** The client commands the executor runs. */
  static final List<String> TOOLS = List.of("sbatch", "squeue", "scancel", "sinfo");

  /** How long the controller may take to answer before the run gives up. */
  static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The {@code squeue} states of a job that has not finished (pending, configuring, running,
   * completing, suspended, requeued, held, resizing, signaling, stage-out).
   */
  static final Set<String> ACTIVE = Set.of("PD", "CF", "R", "CG", "S", "ST", "RQ", "RF", "RH",
      "RS", "RD", "SI", "SO");

  /** Polls after a job left the queue without its status file before it counts as lost. */
  static final int LOST_AFTER_POLLS = 3;

  private static final Pattern JOB_ID = Pattern.compile("(\\d+)(;\\S+)?");
  private static final Pattern PROGRESS = Pattern.compile(
      "^\\S+ progress (\\d+(?:\\.\\d+)?)% ?(.*)$");

  /** A submitted job; {@code done} completes with its exit status (-1: ended without one). */
  record Job(String id, String stage, Path output, Path status, long submittedMillis,
      CompletableFuture<Integer> done) {}

  /** How the executor reaches Slurm and what it shows while jobs run. */
  interface Listener {
    /** The job of {@code stage} is queued, or running with its last reported progress. */
    void state(String stage, double fraction, String message);
  }

  private final Map<String, String> env;
  private final SlurmSpec resources;
  private final Path jobsDir;
  private final Path workDir;
  private final Duration controllerTimeout;
  private final long pollMillis;
  private final Listener listener;
  private final java.util.function.Function<String, Path> stageLog;
  private final Map<String, Job> active = new ConcurrentHashMap<>();
  private final Map<String, Integer> missing = new ConcurrentHashMap<>();
  private final Thread poller;
  private final Thread hook;
  private volatile boolean closed;
  /** Set once the jobs are being cancelled: no job is submitted after that. */
  private volatile boolean cancelling;
  /** sbatch calls under way, whose jobs a cancellation must wait for to cancel them too. */
  private final java.util.concurrent.atomic.AtomicInteger submitting =
      new java.util.concurrent.atomic.AtomicInteger();
  private long failingSince = -1;

  /**
   * An executor that writes job outputs and statuses to {@code jobsDir}, runs jobs in
   * {@code workDir}, polls every {@code pollSeconds}, and reads each running job's progress from
   * its stage's log ({@code stageLog}).
   */
  SlurmExecutor(Map<String, String> env, SlurmSpec resources, Path jobsDir, Path workDir,
      double pollSeconds, Duration controllerTimeout, Listener listener,
      java.util.function.Function<String, Path> stageLog) throws IOException {
    this.env = Map.copyOf(env);
    this.resources = resources;
    this.jobsDir = jobsDir.toAbsolutePath().normalize();
    this.workDir = workDir.toAbsolutePath().normalize();
    this.controllerTimeout = controllerTimeout;
    this.pollMillis = Math.max(50, Math.round(pollSeconds * 1000));
    this.listener = listener;
    this.stageLog = stageLog;
    Files.createDirectories(this.jobsDir);
    poller = new Thread(this::pollLoop, "slurm-poll");
    poller.setDaemon(true);
    poller.start();
    // Ctrl-C or a kill of the runner: its jobs are cancelled, not left running
    hook = new Thread(this::cancelAll, "slurm-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Checks that the Slurm client commands are on {@code PATH} and that the controller answers
   * within {@code timeout}; an IllegalArgumentException (the exit-2 line) says what is wrong.
   * Returns the partitions the cluster has.
   */
  static List<String> check(Map<String, String> env, Duration timeout, String partition)
      throws IOException {
    String path = env.getOrDefault("PATH", "");
    for (String tool : TOOLS) {
      if (which(tool, path) == null) {
        throw new IllegalArgumentException("--executor slurm: no '" + tool + "' on PATH; expected"
            + " the Slurm client commands " + TOOLS + " (run on a cluster's login node, or"
            + " --executor local)");
      }
    }
    Result r = exec(env, List.of("sinfo", "-h", "-o", "%R"), timeout);
    if (r.timedOut()) {
      throw new IllegalArgumentException("--executor slurm: the Slurm controller did not answer"
          + " 'sinfo' within " + timeout.toSeconds() + " s; expected a running slurmctld"
          + " (check SLURM_CONF and 'scontrol ping')");
    }
    if (r.code() != 0) {
      throw new IllegalArgumentException("--executor slurm: 'sinfo' failed (exit " + r.code()
          + "): " + firstLine(r.err()) + "; expected a running Slurm controller (check"
          + " SLURM_CONF and 'scontrol ping')");
    }
    List<String> partitions = r.out().lines().map(String::trim).filter(s -> !s.isEmpty())
        .distinct().toList();
    if (!partition.isEmpty() && !partitions.contains(partition)) {
      throw new IllegalArgumentException("--slurm-partition '" + partition + "': the cluster"
          + " has no such partition; expected one of " + partitions);
    }
    return partitions;
  }

  /** The executable {@code tool} in the directories of {@code path}, or null. */
  static Path which(String tool, String path) {
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, tool);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The file the job of {@code stage} writes its output to ({@code %j}: the job id). */
  static Path output(Path jobsDir, String stage, String jobId) {
    return jobsDir.resolve(stage + "." + jobId + ".out");
  }

  /** The file the job's wrapper writes the command's exit status to. */
  static Path status(Path jobsDir, String stage, String jobId) {
    return jobsDir.resolve(stage + "." + jobId + ".status");
  }

  /**
   * The script a job runs: {@code command}, then its exit status written next to the output
   * (through a temporary file, so that the runner never reads half a number), then that status.
   */
  static String wrapper(List<String> command, Path jobsDir, String stage) {
    String base = quote(jobsDir.toString()) + "/" + quote(stage) + ".\"$SLURM_JOB_ID\"";
    return String.join(" ", command.stream().map(SlurmExecutor::quote).toList())
        + "; s=$?; echo $s > " + base + ".status.tmp && mv -f " + base + ".status.tmp " + base
        + ".status; exit $s";
  }

  /** The sbatch command line of the job of {@code stage} (of kind {@code kind}). */
  static List<String> sbatch(SlurmSpec spec, String stage, String kind, List<String> command,
      Path jobsDir, Path workDir) {
    SlurmSpec.Resources r = spec.of(kind);
    List<String> a = new ArrayList<>(List.of("sbatch", "--parsable",
        "--job-name=linear-icl:" + stage,
        "--output=" + jobsDir.resolve(stage + ".%j.out"),
        "--chdir=" + workDir,
        "--ntasks=1",
        "--cpus-per-task=" + r.cpus(),
        "--mem=" + r.mem(),
        "--time=" + r.time()));
    if (!spec.partition().isEmpty()) {
      a.add("--partition=" + spec.partition());
    }
    if (!spec.account().isEmpty()) {
      a.add("--account=" + spec.account());
    }
    a.add("--wrap=" + wrapper(command, jobsDir, stage));
    return a;
  }

  /** The job id in sbatch --parsable's answer ({@code ID} or {@code ID;CLUSTER}). */
  static String parseJobId(String out) {
    String line = firstLine(out).trim();
    Matcher m = JOB_ID.matcher(line);
    if (!m.matches()) {
      throw new IllegalStateException("sbatch --parsable answered '" + line + "', not a job id");
    }
    return m.group(1);
  }

  /** The squeue command line listing {@code ids} in any state as "ID STATE" lines. */
  static List<String> squeue(List<String> ids) {
    return List.of("squeue", "--noheader", "--states=all", "--format=%i %t",
        "--jobs=" + String.join(",", ids));
  }

  /** The state of each job squeue listed. */
  static Map<String, String> parseSqueue(String out) {
    Map<String, String> states = new LinkedHashMap<>();
    for (String line : out.split("\\R")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[0].matches("\\d+")) {
        states.put(parts[0], parts[1]);
      }
    }
    return states;
  }

  /**
   * Submits the job of {@code stage} running {@code command}; its {@link Job#done} completes
   * when it has ended. A refusal by sbatch (a partition, account or limit the cluster does not
   * accept) is an IllegalArgumentException naming the options.
   */
  Job submit(String stage, String kind, List<String> command) throws IOException {
    submitting.incrementAndGet();
    try {
      if (cancelling) {
        throw new IOException("cancelled");
      }
      return submitNow(stage, kind, command);
    } finally {
      submitting.decrementAndGet();
    }
  }

  private Job submitNow(String stage, String kind, List<String> command) throws IOException {
    long now = System.currentTimeMillis();
    Result r = exec(env, sbatch(resources, stage, kind, command, jobsDir, workDir),
        controllerTimeout);
    if (r.timedOut()) {
      throw new IOException("sbatch did not answer within " + controllerTimeout.toSeconds()
          + " s");
    }
    if (r.code() != 0) {
      throw new IllegalArgumentException("sbatch refused the job of stage " + stage + ": "
          + firstLine(r.err().isBlank() ? r.out() : r.err()) + "; expected what the cluster"
          + " accepts (--slurm-partition, --slurm-account, --slurm-time, --slurm-mem,"
          + " --slurm-cpus or the slurm: block of the pipeline file)");
    }
    String id = parseJobId(r.out());
    Job job = new Job(id, stage, output(jobsDir, stage, id), status(jobsDir, stage, id), now,
        new CompletableFuture<>());
    active.put(id, job);
    LOG.info("stage {}: Slurm job {}", stage, id);
    listener.state(stage, 0, "queued (job " + id + ")");
    synchronized (this) {
      notifyAll();
    }
    return job;
  }

  private void pollLoop() {
    while (!closed) {
      try {
        synchronized (this) {
          if (active.isEmpty()) {
            wait(pollMillis);
            continue;
          }
        }
        pollOnce();
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) { // NOPMD: the poller must outlive one bad answer
        LOG.warn("polling Slurm failed", e);
      }
    }
  }

  /** One look at every active job: squeue, then the status files. */
  void pollOnce() {
    List<String> ids = new ArrayList<>(active.keySet());
    if (ids.isEmpty()) {
      return;
    }
    Result r;
    try {
      r = exec(env, squeue(ids), controllerTimeout);
    } catch (IOException e) {
      r = new Result(-1, "", String.valueOf(e.getMessage()), false);
    }
    Map<String, String> states;
    // squeue exits 1 when it knows none of the ids (all finished and purged)
    if (r.code() == 0 || (!r.timedOut() && r.err().contains("Invalid job id"))) {
      states = parseSqueue(r.out());
      failingSince = -1;
    } else {
      long now = System.nanoTime();
      if (failingSince < 0) {
        failingSince = now;
      }
      String why = r.timedOut() ? "no answer within " + controllerTimeout.toSeconds() + " s"
          : firstLine(r.err());
      if (now - failingSince > controllerTimeout.toNanos()) {
        IOException e = new IOException("squeue has failed for " + controllerTimeout.toSeconds()
            + " s (" + why + "); the jobs may still be running: the same command resumes");
        active.values().forEach(j -> j.done().completeExceptionally(e));
        active.clear();
      } else {
        LOG.warn("squeue failed ({}); trying again", why);
      }
      return;
    }
    for (String id : ids) {
      Job j = active.get(id);
      if (j == null) {
        continue;
      }
      Integer code = readStatus(j.status());
      String state = states.get(id);
      if (code != null) {
        finish(j, code);
      } else if (state != null && ACTIVE.contains(state)) {
        missing.remove(id);
        if (state.equals("PD")) {
          listener.state(j.stage(), 0, "queued (job " + id + ")");
        } else {
          showProgress(j);
        }
      } else if (missing.merge(id, 1, Integer::sum) >= LOST_AFTER_POLLS) {
        // cancelled, timed out, out of memory or a node failure: killed before the wrapper
        // could write the status (a shared file system may also show the file a bit late)
        LOG.warn("Slurm job {} of stage {} ended ({}) without an exit status", id, j.stage(),
            state == null ? "no longer listed" : state);
        finish(j, -1);
      }
    }
  }

  private void finish(Job j, int code) {
    active.remove(j.id());
    missing.remove(j.id());
    j.done().complete(code);
  }

  /** The job's exit status, or null while its status file is not there (or not yet whole). */
  static Integer readStatus(Path status) {
    try {
      String s = Files.readString(status, StandardCharsets.UTF_8).trim();
      return s.matches("\\d{1,3}") ? Integer.valueOf(s) : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The last progress line the job's stage wrote to its log since it was submitted. */
  private void showProgress(Job j) {
    Path log = stageLog.apply(j.stage());
    String last = null;
    try {
      if (Files.getLastModifiedTime(log).toMillis() + 1000 >= j.submittedMillis()) {
        last = lastProgress(tail(log, 8192));
      }
    } catch (IOException e) {
      // not started yet
    }
    if (last == null) {
      listener.state(j.stage(), 0, "running (job " + j.id() + ")");
    } else {
      Matcher m = PROGRESS.matcher(last);
      if (m.matches()) {
        listener.state(j.stage(), Double.parseDouble(m.group(1)) / 100, m.group(2));
      }
    }
  }

  /** The last line of {@code text} that is a progress line of a stage log, or null. */
  static String lastProgress(String text) {
    String[] lines = text.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (PROGRESS.matcher(lines[i]).matches()) {
        return lines[i];
      }
    }
    return null;
  }

  private static String tail(Path p, int bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - bytes);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /**
   * Cancels every job still queued or running, including those of sbatch calls under way (it
   * waits for them), and submits none after.
   */
  void cancelAll() {
    cancelling = true;
    long deadline = System.nanoTime() + controllerTimeout.toNanos();
    while (submitting.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<String> ids = new ArrayList<>(active.keySet());
    if (ids.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("scancel"));
    cmd.addAll(ids);
    try {
      Result r = exec(env, cmd, controllerTimeout);
      if (r.code() != 0) {
        LOG.warn("scancel {} failed: {}", ids, firstLine(r.err()));
      }
    } catch (IOException e) {
      LOG.warn("scancel {} failed: {}", ids, e.getMessage());
    }
    System.err.println("cancelled Slurm job(s) " + String.join(" ", ids));
    IOException e = new IOException("cancelled");
    ids.forEach(id -> {
      Job j = active.remove(id);
      if (j != null) {
        j.done().completeExceptionally(e);
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    cancelAll();
    poller.interrupt();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }

  /** What a command did. */
  record Result(int code, String out, String err, boolean timedOut) {}

  /** Runs {@code cmd} with {@code env}, killing it after {@code timeout}. */
  static Result exec(Map<String, String> env, List<String> cmd, Duration timeout)
      throws IOException {
    List<String> full = new ArrayList<>(cmd);
    // the tool as found on the given PATH, not on this process's
    Path bin = which(cmd.get(0), env.getOrDefault("PATH", ""));
    if (bin != null) {
      full.set(0, bin.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = readAll(p.getInputStream());
    CompletableFuture<String> err = readAll(p.getErrorStream());
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + cmd.get(0), e);
    }
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return new Result(-1, "", "", true);
    }
    return new Result(p.exitValue(), out.join(), err.join(), false);
  }

  /** Reads a stream to its end on a thread of its own (not a shared pool that may be busy). */
  private static CompletableFuture<String> readAll(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.complete("");
      }
    }, "slurm-exec-reader");
    t.setDaemon(true);
    t.start();
    return f;
  }

  static String firstLine(String s) {
    return s.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  /** A word for a POSIX shell: as is when safe, else single-quoted. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@+,%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** How a job that ended with {@code code} is described in a failure. */
  static String describe(Job j, int code) {
    return code < 0
        ? String.format(Locale.ROOT, "Slurm job %s ended without an exit status (cancelled,"
            + " timed out, out of memory or lost with its node; output: %s)", j.id(), j.output())
        : String.format(Locale.ROOT, "Slurm job %s exited with status %d (output: %s)", j.id(),
            code, j.output());
  }
}
