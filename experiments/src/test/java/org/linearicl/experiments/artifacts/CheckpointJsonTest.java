package org.linearicl.experiments.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingCurve;

class CheckpointJsonTest {

  static Checkpoint sample(Variant v) {
    TrainingConfig cfg = TrainingConfig.builder(v, 3,
            TaskSpec.paper(NoiseDistribution.parse("categorical:1,3")))
        .heads(2).seed(42).starts(3).steps(1000).adam(new AdamConfig(1e-3, 0.9, 0.99, 1e-8))
        .schedule(new Schedule.WarmupCosine(100, 0.01)).initStd(0.1).warmSteps(7).warmLr(3e-4)
        .polishSamples(1234).polishIterations(9).polishMaxParams(100).validationSamples(777)
        .validationSeed(5).offRangePoints(5).offRangeSamples(300).tailSamples(4321)
        .tailRepairs(1).curveEvery(10).build();
    Gaussian g = new Gaussian(Streams.of(3, Streams.Purpose.INIT));
    double[] params = new double[cfg.shape().size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = g.next() * Math.pow(10, i % 7 - 3); // awkward magnitudes on purpose
    }
    return new Checkpoint(cfg, params,
        new TrainingCurve(new long[] {10, 20}, new double[] {4.9, 1.0 / 3}), 5000, 1,
        new PairedEvaluation(new LossSummary(1.1, 0.01, 5000), new LossSummary(0.9, 0.009, 5000),
            new LossSummary(0.2, 0.001, 5000)));
  }

  /** load(save(m)) restores every parameter bit for bit, so predictions are bit-identical. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void roundTripIsBitIdentical(Variant v) {
    Checkpoint c = sample(v);
    String text = CheckpointJson.write(c);
    Checkpoint back = CheckpointJson.read(text, "mem.json");
    assertArrayEquals(c.params(), back.params());
    assertEquals(c.config(), back.config());
    assertEquals(c.curve(), back.curve());
    assertEquals(c.evaluation(), back.evaluation());
    assertEquals(text, CheckpointJson.write(back), "writing is canonical");
    assertTrue(!text.contains("\r"));
    Batch b = new TaskSampler(c.config().task()).sample(100, 1, Streams.Purpose.EVALUATION, 0);
    assertArrayEquals(c.model().predict(b), back.model().predict(b));
  }

  /**
   * The on-disk layout of the config (names and order of its fields) is the format's: a stored
   * name differs from the parameter's where the format says so ({@code clip_norm},
   * {@code curve_every}, Adam's numbers in {@code adam}).
   */
  @Test
  void theConfigKeepsItsFieldNamesAndOrder() throws Exception {
    JsonNode config = new ObjectMapper().readTree(CheckpointJson.write(sample(Variant.DIAG)))
        .get("config");
    List<String> names = new ArrayList<>();
    config.fields().forEachRemaining(e -> {
      names.add(e.getKey());
      e.getValue().fieldNames().forEachRemaining(inner -> names.add(e.getKey() + "." + inner));
    });
    assertEquals(List.of("variant", "layers", "heads", "task", "task.d", "task.n", "task.noise",
        "seed", "starts", "steps", "batch", "adam", "adam.lr", "adam.beta1", "adam.beta2",
        "adam.eps", "schedule", "clip_norm", "init_std", "warm_steps", "warm_lr",
        "polish_samples", "polish_iterations", "polish_max_params", "validation_samples",
        "validation_seed", "offrange_points", "offrange_samples", "offrange_factor",
        "tail_samples", "tail_repairs", "curve_every"), names);
    assertEquals(10, config.get("curve_every").asInt());
    assertEquals("cosine:warmup=100,final=0.01", config.get("schedule").asText());
    assertEquals(3e-4, config.get("warm_lr").asDouble(), 0.0);
  }

  /**
   * A checkpoint written before the off-range check existed lacks its three fields and reads as
   * trained without it (points 0); any other missing field is an error (below).
   */
  @Test
  void aCheckpointFromBeforeTheOffRangeCheckReadsWithoutIt() {
    String text = CheckpointJson.write(sample(Variant.DIAG))
        .replaceAll("\\s*\"offrange_points\": 5,", "")
        .replaceAll("\\s*\"offrange_samples\": 300,", "")
        .replaceAll("\\s*\"offrange_factor\": [0-9.]+,", "");
    assertTrue(!text.contains("offrange"), text);
    TrainingConfig back = CheckpointJson.read(text, "old.json").config();
    assertEquals(0, back.offRangePoints());
    assertEquals(sample(Variant.DIAG).config().toBuilder().offRangePoints(0)
        .offRangeSamples(2000).offRangeFactor(2.0).build(), back);
  }

  @Test
  void aBadSettingNamesItsField() {
    String good = CheckpointJson.write(sample(Variant.DIAG));
    assertMessage("field 'config.schedule': schedule 'linear'",
        () -> CheckpointJson.read(good.replace("cosine:warmup=100,final=0.01", "linear"),
            "x.json"));
    assertMessage("x.json: field 'config.': tail_repairs must be >= 0, got -1",
        () -> CheckpointJson.read(good.replace("\"tail_repairs\": 1", "\"tail_repairs\": -1"),
            "x.json"));
    assertMessage("field 'config.adam.lr' is missing",
        () -> CheckpointJson.read(good.replace("\"lr\"", "\"rate\""), "x.json"));
  }

  @Test
  void corruptDocumentsNameTheFileAndField() {
    String good = CheckpointJson.write(sample(Variant.DIAG));
    assertMessage("bad.json: line 1, column", () -> CheckpointJson.read("{\"format\": ", "bad.json"));
    assertMessage("field 'model.params' has 3 numbers, expected 24",
        () -> CheckpointJson.read(good.replaceAll("\"params\": \\[[^\\]]*\\]",
            "\"params\": [1, 2, 3]"), "x.json"));
    assertMessage("field 'config.task.noise'",
        () -> CheckpointJson.read(good.replace("categorical:1,3", "gauss:2"), "x.json"));
    assertMessage("field 'format' is 'other/1'",
        () -> CheckpointJson.read(good.replace(CheckpointJson.FORMAT, "other/1"), "x.json"));
    assertMessage("field 'config.steps' is missing",
        () -> CheckpointJson.read(good.replace("\"steps\"", "\"stepz\""), "x.json"));
    assertMessage("x.json: line",
        () -> CheckpointJson.read(good.replace("\"seed\": 42", "\"seed\": 42, \"seed\": 43"),
            "x.json"));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, e);
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }
}
