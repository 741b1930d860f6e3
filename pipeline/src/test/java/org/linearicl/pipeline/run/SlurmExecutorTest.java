package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.pipeline.spec.SlurmSpec;

/**
 * The Slurm command lines and their answers, and the executor against stand-ins for sbatch,
 * squeue, scancel and sinfo on PATH that run each job's script on this machine.
 */
class SlurmExecutorTest {
  @TempDir Path dir;
  Path bin;
  Path state;
  Map<String, String> env;

  static final SlurmSpec SPEC = new SlurmSpec("short", "proj1",
      new SlurmSpec.Resources("1:00:00", "4G", 1),
      Map.of("train", new SlurmSpec.Resources("12:00:00", null, 4)));

  @BeforeEach
  void fakeSlurm() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    state = Files.createDirectories(dir.resolve("state"));
    env = Map.of("PATH", bin + ":/usr/bin:/bin", "FAKE_SLURM", state.toString());
    // sbatch: records its arguments, runs --wrap in the background as job N with its output
    // where --output says, and answers N
    tool("sbatch", """
        for a in "$@"; do printf '%s\\n' "$a"; done > "$FAKE_SLURM/sbatch.args"
        if [ -e "$FAKE_SLURM/refuse" ]; then
          echo "sbatch: error: Batch job submission failed: Invalid account" >&2; exit 1
        fi
        for a in "$@"; do
          case $a in --wrap=*) wrap=${a#--wrap=};; --output=*) out=${a#--output=};; esac
        done
        n=$(( $(cat "$FAKE_SLURM/last" 2>/dev/null || echo 0) + 1 )); echo $n > "$FAKE_SLURM/last"
        out=$(printf '%s' "$out" | sed "s/%j/$n/")
        SLURM_JOB_ID=$n setsid bash -c "$wrap" > "$out" 2>&1 < /dev/null &
        echo $! > "$FAKE_SLURM/$n.pid"
        echo "$n;cluster"
        """);
    // squeue: "ID R" for each asked-for job whose script still runs
    tool("squeue", """
        for a in "$@"; do case $a in --jobs=*) ids=${a#--jobs=};; esac; done
        found=0
        for id in $(echo "$ids" | tr , ' '); do
          if [ -e "$FAKE_SLURM/$id.pid" ] && kill -0 "$(cat "$FAKE_SLURM/$id.pid")" 2>/dev/null; then
            echo "$id R"; found=1
          fi
        done
        [ $found = 1 ] || { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }
        """);
    tool("scancel", """
        echo "$@" >> "$FAKE_SLURM/scancel.args"
        for id in "$@"; do kill -9 -"$(cat "$FAKE_SLURM/$id.pid")" 2>/dev/null; done; exit 0
        """);
    tool("sinfo", """
        [ -e "$FAKE_SLURM/sinfo-hangs" ] && sleep 20
        if [ -e "$FAKE_SLURM/sinfo-fails" ]; then
          echo "sinfo: error: Unable to contact slurm controller (connect failure)" >&2; exit 1
        fi
        printf 'debug\\nshort\\n'
        """);
  }

  void tool(String name, String body) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/bash\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  SlurmExecutor executor(List<String> seen) throws IOException {
    return new SlurmExecutor(env, SPEC, dir.resolve("jobs"), dir, 0.1, Duration.ofSeconds(5),
        (stage, f, m) -> seen.add(stage + " " + m), s -> dir.resolve(s + ".log"));
  }

  @Test
  void theSbatchCommandLineAsksForTheKindsResources() {
    Path jobs = Path.of("/c/logs/slurm");
    List<String> cmd = List.of("java", "-jar", "/x/l.jar", "run", "train-a b");
    assertEquals(List.of("sbatch", "--parsable", "--job-name=linear-icl:t1",
        "--output=/c/logs/slurm/t1.%j.out", "--chdir=/w", "--ntasks=1", "--cpus-per-task=4",
        "--mem=4G", "--time=12:00:00", "--partition=short", "--account=proj1",
        "--wrap=java -jar /x/l.jar run 'train-a b'; s=$?; echo $s > "
            + "/c/logs/slurm/t1.\"$SLURM_JOB_ID\".status.tmp && mv -f"
            + " /c/logs/slurm/t1.\"$SLURM_JOB_ID\".status.tmp"
            + " /c/logs/slurm/t1.\"$SLURM_JOB_ID\".status; exit $s"),
        SlurmExecutor.sbatch(SPEC, "t1", "train", cmd, jobs, Path.of("/w")));
    List<String> other = SlurmExecutor.sbatch(SlurmSpec.none(), "e", "evaluate", cmd, jobs,
        Path.of("/w"));
    assertTrue(other.contains("--time=1:00:00") && other.contains("--mem=4G")
        && other.contains("--cpus-per-task=1"), other.toString());
    assertTrue(other.stream().noneMatch(a -> a.startsWith("--partition")
        || a.startsWith("--account")), "empty: the cluster's defaults");
  }

  @Test
  void answersAreParsed() {
    assertEquals("123", SlurmExecutor.parseJobId("123\n"));
    assertEquals("77", SlurmExecutor.parseJobId("77;cluster2"));
    assertThrows(IllegalStateException.class, () -> SlurmExecutor.parseJobId("Submitted 5"));
    assertEquals(Map.of("12", "R", "13", "PD"), SlurmExecutor.parseSqueue("12 R\n 13 PD\n\n"));
    assertEquals(List.of("squeue", "--noheader", "--states=all", "--format=%i %t",
        "--jobs=1,2"), SlurmExecutor.squeue(List.of("1", "2")));
    assertEquals("t1 progress 45.0% step 9/20", SlurmExecutor.lastProgress(
        "t0 start x\nt1 progress 45.0% step 9/20\nt2 some log line\n"));
    assertNull(SlurmExecutor.lastProgress("t0 start x\n"));
    assertEquals(4, Runner.jobThreads("4"));
    assertEquals(Runtime.getRuntime().availableProcessors(), Runner.jobThreads(null));
    assertEquals(Runtime.getRuntime().availableProcessors(), Runner.jobThreads("x"));
  }

  @Test
  void theWrapperWritesTheExitStatusNextToTheOutput() throws Exception {
    Path jobs = Files.createDirectories(dir.resolve("jobs dir"));
    String script = SlurmExecutor.wrapper(List.of("sh", "-c", "echo \"it's\"; exit 3"), jobs,
        "st");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    pb.environment().put("SLURM_JOB_ID", "9");
    Process p = pb.start();
    p.getOutputStream().close();
    assertEquals("it's", new String(p.getInputStream().readAllBytes()).trim());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue());
    assertEquals(3, SlurmExecutor.readStatus(jobs.resolve("st.9.status")));
    assertTrue(Files.notExists(jobs.resolve("st.9.status.tmp")));
  }

  @Test
  void jobsRunAndTheirExitStatusIsRead() throws Exception {
    List<String> seen = new ArrayList<>();
    try (SlurmExecutor x = executor(seen)) {
      SlurmExecutor.Job ok = x.submit("s1", "evaluate", List.of("sh", "-c", "sleep 0.3"));
      SlurmExecutor.Job bad = x.submit("s2", "train", List.of("sh", "-c", "exit 7"));
      assertEquals(0, ok.done().get(30, TimeUnit.SECONDS));
      assertEquals(7, bad.done().get(30, TimeUnit.SECONDS));
      assertEquals(dir.resolve("jobs/s2." + bad.id() + ".out"), bad.output());
      String args = Files.readString(state.resolve("sbatch.args"));
      assertTrue(args.contains("--cpus-per-task=4\n") && args.contains("--partition=short\n"),
          args);
    }
    assertTrue(seen.contains("s1 queued (job 1)"), seen.toString());
  }

  @Test
  void aJobKilledBeforeItsWrapperWroteAStatusIsLost() throws Exception {
    try (SlurmExecutor x = executor(new ArrayList<>())) {
      // kills the wrapper itself, as a cancellation, a time limit or a lost node would
      SlurmExecutor.Job j = x.submit("s", "evaluate", List.of("sh", "-c", "kill -9 $PPID"));
      assertEquals(-1, j.done().get(30, TimeUnit.SECONDS));
      assertTrue(SlurmExecutor.describe(j, -1).contains("ended without an exit status"));
    }
  }

  @Test
  void cancellingCancelsTheJobsStillRunning() throws Exception {
    SlurmExecutor.Job j;
    try (SlurmExecutor x = executor(new ArrayList<>())) {
      j = x.submit("s", "evaluate", List.of("sleep", "30"));
      x.cancelAll();
      assertThrows(IOException.class, () -> x.submit("t", "evaluate", List.of("true")),
          "nothing is submitted once cancelling");
    }
    assertEquals(j.id(), Files.readString(state.resolve("scancel.args")).trim());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> j.done().get(5, TimeUnit.SECONDS));
    assertEquals("cancelled", e.getCause().getMessage());
  }

  @Test
  void aRefusedJobNamesTheOptionsToFix() throws Exception {
    Files.createFile(state.resolve("refuse"));
    try (SlurmExecutor x = executor(new ArrayList<>())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> x.submit("s", "evaluate", List.of("true")));
      assertTrue(e.getMessage().startsWith("sbatch refused the job of stage s: sbatch: error:"
          + " Batch job submission failed: Invalid account; expected"), e.getMessage());
    }
  }

  @Test
  void checkNamesAMissingToolAndASilentController() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlurmExecutor.check(Map.of("PATH", empty.toString()), Duration.ofSeconds(5), ""));
    assertTrue(e.getMessage().startsWith("--executor slurm: no 'sbatch' on PATH"),
        e.getMessage());

    assertEquals(List.of("debug", "short"), SlurmExecutor.check(env, Duration.ofSeconds(5),
        "short"));
    e = assertThrows(IllegalArgumentException.class,
        () -> SlurmExecutor.check(env, Duration.ofSeconds(5), "gpu"));
    assertEquals("--slurm-partition 'gpu': the cluster has no such partition; expected one of"
        + " [debug, short]", e.getMessage());

    Files.createFile(state.resolve("sinfo-fails"));
    e = assertThrows(IllegalArgumentException.class,
        () -> SlurmExecutor.check(env, Duration.ofSeconds(5), ""));
    assertTrue(e.getMessage().contains("'sinfo' failed (exit 1): sinfo: error: Unable to"
        + " contact slurm controller"), e.getMessage());

    Files.createFile(state.resolve("sinfo-hangs"));
    long t0 = System.nanoTime();
    e = assertThrows(IllegalArgumentException.class,
        () -> SlurmExecutor.check(env, Duration.ofMillis(1500), ""));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().startsWith("--executor slurm: the Slurm controller did not answer"
        + " 'sinfo' within 1 s"), e.getMessage());
    assertTrue(secs < 10, "gave up after " + secs + " s");
  }
}
