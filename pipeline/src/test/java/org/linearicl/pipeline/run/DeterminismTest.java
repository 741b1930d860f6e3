package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.stage.StageKinds;

/**
 * The CI diff of results/ci is only meaningful if the tables are bit-identical run to run and
 * whatever the thread count: a small pipeline of the real kinds (train with warm starts, tune-baselines, evaluate,
 * select, table1, theory, report) runs twice, with one stage at a time on every core and with
 * parallel stages on one core each, into separate caches, and every published text file must
 * be the same bytes (but the timing file, which holds wall times).
 */
class DeterminismTest {
  private static final String PIPELINE = """
      vars:
        variant: [{name: diag, simpler: none}, {name: full, simpler: diag}]
        seed: [0, 1]
      stages:
        "train-diag-1-u3-s{seed}":
          kind: train
          foreach: [seed]
          params: {variant: diag, layers: 1, noise: "uniform:3", seed: "{seed}", steps: 30,
                   batch: 256, polish_samples: 1024, polish_iterations: 3,
                   validation_samples: 500, tail_samples: 5000}
        "train-{variant.name}-2-u3-s{seed}":
          kind: train
          foreach: [variant, seed]
          optional_needs: ["train-{variant.name}-1-u3-s{seed}",
                           "train-{variant.simpler}-2-u3-s{seed}"]
          params: {variant: "{variant.name}", layers: 2, noise: "uniform:3", seed: "{seed}",
                   steps: 30, batch: 256, warm_steps: 20, polish_samples: 1024,
                   polish_iterations: 3, validation_samples: 500, tail_samples: 5000}
        tune-u3:
          kind: tune-baselines
          params: {noise: "uniform:3", samples: 1000, max_k: 2}
        evaluate-u3:
          kind: evaluate
          needs: ["train-*", "tune-u3"]
          params: {noise: "uniform:3", samples: 1500, confirm_samples: 500, profile_points: 3,
                   profile_samples: 300}
        select-u3:
          kind: select
          needs: [evaluate-u3]
        table1: {kind: table1, needs: ["select-*"], publish: true}
        theory: {kind: theory, needs: ["select-*", "train-*"], params: {samples: 50}, publish: true}
        report:
          kind: report
          needs: [table1, theory, "select-*"]
          params: {profile: "{profile}"}
          publish: true
      """;

  @TempDir Path dir;

  @Test
  void tablesAreTheSameBytesForAnyThreadCount() throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, PIPELINE);
    TreeMap<String, byte[]> oneJob = run(file, "a", 1);
    TreeMap<String, byte[]> twoJobs = run(file, "b", 2);
    assertTrue(oneJob.containsKey("tables/table1.csv") && oneJob.containsKey("REPORT.md"),
        oneJob.keySet().toString());
    assertEquals(oneJob.keySet(), twoJobs.keySet());
    // the timing file holds wall times: published, but not compared (as CI leaves it out)
    assertTrue(oneJob.containsKey(Timings.FILE), oneJob.keySet().toString());
    oneJob.remove(Timings.FILE);
    for (String name : oneJob.keySet()) {
      assertEquals(new String(oneJob.get(name)), new String(twoJobs.get(name)), name);
    }
  }

  private TreeMap<String, byte[]> run(Path file, String name, int jobs) throws IOException {
    Path results = dir.resolve(name + "-results");
    StringWriter out = new StringWriter();
    RunReport r = new Runner(StageKinds.installed(), new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true))
        .run(RunOptions.of(file, dir.resolve(name + "-cache"), results).withJobs(jobs)
            .withProgressSeconds(0));
    assertEquals(0, r.exitCode(), out.toString());
    TreeMap<String, byte[]> files = new TreeMap<>();
    Path root = results.resolve("default");
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }
}
