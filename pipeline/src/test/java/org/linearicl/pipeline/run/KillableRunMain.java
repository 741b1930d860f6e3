package org.linearicl.pipeline.run;

import java.io.PrintWriter;
import java.nio.file.Path;

/** A child-JVM entry point for {@link CrashSafetyTest}: runs a pipeline with the test kinds. */
public final class KillableRunMain {
  private KillableRunMain() {}

  public static void main(String[] args) throws Exception {
    RunOptions o = RunOptions.of(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]))
        .withJobs(1).withProgressSeconds(0);
    RunReport r = new Runner(new TestKinds().kinds(), new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)).run(o);
    System.exit(r.exitCode());
  }
}
