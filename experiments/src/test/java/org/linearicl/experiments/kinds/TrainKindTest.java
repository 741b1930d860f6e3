package org.linearicl.experiments.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageParams;

class TrainKindTest {
  /**
   * The schema's names, order and defaults are part of every train stage's cache key and of the
   * command line; they come from the training parameters' definitions and must not drift.
   */
  @Test
  void theSchemaKeepsItsNamesOrderAndDefaults() {
    List<String> got = new TrainKind().params().stream()
        .map(s -> s.name() + "=" + (s.isRequired() ? "required" : s.defaultValue().toString()))
        .toList();
    assertEquals(List.of("noise=required", "d=10", "n=20", "variant=required", "layers=required",
        "heads=1", "seed=0", "starts=1", "steps=1000", "batch=2048", "lr=0.01",
        "schedule=\"cosine:warmup=100,final=0.01\"", "beta1=0.9", "beta2=0.99",
        "eps=1E-8", "clip=1", "init_std=0.02", "warm_steps=0", "warm_lr=0.001",
        "identity_q=1", "split_layers=1", "polish_samples=32768", "polish_iterations=20",
        "polish_max_params=512", "warm_polish=1", "full_rank=0",
        "validation_samples=65536", "validation_seed=2", "offrange_points=17",
        "offrange_samples=20000", "offrange_factor=10", "tail_samples=1000000",
        "tail_repairs=2", "curve_points=200"), got);
    ParamSpec starts = new TrainKind().params().get(7);
    assertEquals("initialisations trained from scratch (0: warm starts only) (default per"
        + " variant: full 1, diag 1 (2 at 2-3 layers), gdpp 2)", starts.help());
  }

  /** An integer below its least value is named as the parameter; the rest as the config says. */
  @Test
  void badValuesNameTheParameter() {
    TrainKind kind = new TrainKind();
    assertEquals("stage 't', param 'batch': must be >= 1, got 0", assertThrows(
        StageException.class, () -> config(kind, "\"batch\": 0")).getMessage());
    assertEquals("stage 't': steps must be >= 0, got -5", assertThrows(
        StageException.class, () -> config(kind, "\"steps\": -5")).getMessage());
    assertEquals("stage 't': clip must be a finite number >= 0, got -1.0", assertThrows(
        StageException.class, () -> config(kind, "\"clip\": -1")).getMessage());
    assertTrue(assertThrows(StageException.class, () -> config(kind, "\"schedule\": \"x\""))
        .getMessage().startsWith("stage 't', param 'schedule': schedule 'x'"));
    assertEquals(20, config(kind, "\"steps\": 4000, \"curve_points\": 200").curveEvery());
  }

  private static org.linearicl.core.train.TrainingConfig config(TrainKind kind, String extra) {
    ObjectNode given = (ObjectNode) StageParams.parseLiteral("{\"variant\": \"diag\","
        + " \"layers\": 2, \"noise\": \"uniform:1\", " + extra + "}");
    return TrainKind.config(StageParams.resolve("t", kind.params(), kind.completeParams(given)));
  }
}
