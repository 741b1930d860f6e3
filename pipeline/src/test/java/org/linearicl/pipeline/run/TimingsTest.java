package org.linearicl.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.core.train.Training;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.kinds.EvaluateKind;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Provenance;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.Pipeline;

/**
 * Phase times of the real train and evaluate kinds reach each stage's provenance and the
 * published timing file, which the published-file check of {@code status} leaves out, while
 * the artifacts stay the same bytes.
 */
class TimingsTest {
  private static final String PIPELINE = """
      stages:
        train-diag-1:
          kind: train
          params: {variant: diag, layers: 1, noise: "uniform:3", steps: 30, batch: 256,
                   polish_samples: 1024, polish_iterations: 3, validation_samples: 500,
                   tail_samples: 5000}
        tune-u3:
          kind: tune-baselines
          params: {noise: "uniform:3", samples: 1000, max_k: 2}
        evaluate-u3:
          kind: evaluate
          needs: ["train-*", "tune-u3"]
          params: {noise: "uniform:3", samples: 1500, confirm_samples: 500, profile_points: 3,
                   profile_samples: 300}
          publish: true
      """;

  @TempDir Path dir;

  @Test
  void phaseTimesReachProvenanceAndThePublishedTimingFile() throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, PIPELINE);
    Path cache = dir.resolve("cache");
    Path results = dir.resolve("results");
    Runner runner = runner();
    runner.run(RunOptions.of(file, cache, results).withProgressSeconds(0));

    Store store = new Store(cache);
    JsonNode train = record(store, "train-diag-1").provenance();
    JsonNode phases = train.path(Provenance.PHASES);
    for (String p : List.of(Training.ADAM, Training.POLISH, Training.VALIDATION,
        Training.TAIL_CHECK)) {
      assertTrue(phases.path(p).isNumber() && phases.path(p).asDouble() >= 0, train.toString());
    }
    double sum = 0;
    for (JsonNode v : phases) {
      sum += v.asDouble();
    }
    // phases are pieces of the stage's work: together no longer than its wall time (+ rounding)
    assertTrue(sum <= train.path(Provenance.WALL).asDouble() + 0.01, train.toString());
    JsonNode eval = record(store, "evaluate-u3").provenance().path(Provenance.PHASES);
    assertTrue(eval.path(EvaluateKind.BASELINES_PHASE).isNumber()
        && eval.path(EvaluateKind.MODELS_PHASE).isNumber(), eval.toString());
    // a kind that reports no phase has none in its provenance
    assertFalse(record(store, "tune-u3").provenance().has(Provenance.PHASES));

    Path profile = results.resolve("default");
    Path timingsFile = profile.resolve(Timings.FILE);
    JsonNode timings = Json.parse(Files.readAllBytes(timingsFile));
    assertEquals(3, timings.path("stages_timed").asInt(), timings.toString());
    JsonNode trainKind = timings.path("kinds").path("train");
    assertEquals(1, trainKind.path("stages").asInt(), timings.toString());
    assertEquals(train.path(Provenance.WALL).decimalValue(),
        trainKind.path(Provenance.WALL).decimalValue(), timings.toString());
    assertEquals(phases.path(Training.TAIL_CHECK).decimalValue(), trainKind
        .path(Provenance.PHASES).path(Training.TAIL_CHECK).decimalValue(), timings.toString());
    assertTrue(trainKind.path(Provenance.PHASES).path(Timings.OTHER).isNumber(),
        timings.toString());
    assertEquals(phases, timings.path("stages").path("train-diag-1").path(Provenance.PHASES));
    assertTrue(timings.path("kinds").path("tune-baselines").path(Provenance.WALL).isNumber());

    // listed in the published list under the runner's name, with no digest to go stale
    Published.Entry entry = Published.read(profile).get(Timings.FILE);
    assertEquals(new Published.Entry(Timings.STAGE, "", ""), entry);
    byte[] list = Files.readAllBytes(profile.resolve(Published.FILE));

    // a rerun from the cache republishes the same bytes: the times are the records'
    runner.run(RunOptions.of(file, cache, results).withProgressSeconds(0));
    byte[] again = Files.readAllBytes(timingsFile);
    assertArrayEquals(Json.bytes(timings), again);

    // a forced rerun moves the times, not the published list or the artifacts
    byte[] evaluation = Files.readAllBytes(profile.resolve("evaluation.json"));
    runner.run(RunOptions.of(file, cache, results).withTargets(List.of("train-diag-1"))
        .withForce(true).withProgressSeconds(0));
    runner.run(RunOptions.of(file, cache, results).withProgressSeconds(0));
    assertArrayEquals(list, Files.readAllBytes(profile.resolve(Published.FILE)));
    assertArrayEquals(evaluation, Files.readAllBytes(profile.resolve("evaluation.json")));

    // status's published-file check leaves the timing file out, whatever its bytes
    Files.writeString(timingsFile, "edited by hand");
    Pipeline p = runner.load(file, null);
    List<String> problems = Inspector.published(p, Inspector.inspect(p.topological(), store,
        Set.of()), store, results);
    assertEquals(List.of(), problems);
  }

  private static Runner runner() {
    return new Runner(StageKinds.installed(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
  }

  private static ActionRecord record(Store store, String stage) throws Exception {
    return store.findRecord(store.lastKey(stage).orElseThrow()).orElseThrow();
  }
}
