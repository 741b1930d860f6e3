package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;

class TrainingParamTest {
  private static final TaskSpec U1 = TaskSpec.paper(new NoiseDistribution.Uniform(1));

  /** The builder's defaults are the definitions' defaults, for every variant and depth. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void theBuilderStartsFromEachDefault(Variant v) {
    for (int layers = 1; layers <= 5; layers++) {
      TrainingConfig c = TrainingConfig.builder(v, layers, U1).build();
      for (TrainingParam t : TrainingParam.values()) {
        if (t == TrainingParam.CURVE_POINTS) {
          continue; // stored as the interval it implies: below
        }
        assertEquals(t.defaultValue(v, layers), t.get(c), v + "-" + layers + " " + t.key());
      }
      long longest = Math.max(c.steps(), c.warmSteps());
      int points = (Integer) TrainingParam.CURVE_POINTS.defaultValue();
      assertEquals(Math.max(1, longest / points), c.curveEvery(), v + "-" + layers);
    }
  }

  /** Setting every parameter by its definition and reading it back gives the same values. */
  @Test
  void setAndGetAgreeAndRestoreCopiesAConfig() {
    TrainingConfig.Builder b = TrainingConfig.builder(Variant.DIAG, 2, U1);
    Object[] values = {2, 7L, 3, 1000L, 512, 0.003, "constant", 0.8, 0.95, 1e-7, 0.5, 0.1, 40L,
        0.002, 999, 4, 100, 0, 0, 300, 9L, 5, 300, 1.5, 5000, 1, 50}; // full_rank 0: DIAG
    TrainingParam[] all = TrainingParam.values();
    assertEquals(all.length, values.length);
    for (int i = 0; i < all.length; i++) {
      all[i].set(b, values[i]);
    }
    TrainingConfig c = b.build();
    for (int i = 0; i < all.length; i++) {
      Object expected = all[i] == TrainingParam.CURVE_POINTS ? 1000 / 50 : values[i];
      assertEquals(expected, all[i].get(c), all[i].key());
    }
    TrainingConfig.Builder copy = TrainingConfig.builder(Variant.DIAG, 2, U1);
    for (TrainingParam t : all) {
      t.restore(copy, t.get(c));
    }
    assertEquals(c, copy.build());
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void keysAndStoredFieldsAreDistinct() {
    Set<String> keys = new HashSet<>();
    Set<String> fields = new HashSet<>();
    for (TrainingParam t : TrainingParam.values()) {
      assertTrue(keys.add(t.key()), t.key());
      assertTrue(fields.add(t.group() + "." + t.field()), t.field());
    }
    assertEquals("clip_norm", TrainingParam.CLIP.field());
    assertEquals("curve_every", TrainingParam.CURVE_POINTS.field());
    assertEquals("adam", TrainingParam.LR.group());
  }

  /** One check per parameter, applied by the config and worded with the parameter's key. */
  @Test
  void checksNameTheParameter() {
    assertEquals("batch must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> TrainingConfig.builder(Variant.DIAG, 1, U1).batchSize(0).build()).getMessage());
    assertEquals("clip must be a finite number >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingConfig.builder(Variant.DIAG, 1, U1).clipNorm(-1).build())
            .getMessage());
    assertEquals("warm_lr must be a finite number > 0, got 0.0",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingConfig.builder(Variant.DIAG, 1, U1).warmLr(0).build()).getMessage());
    assertEquals("curve_points must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingConfig.builder(Variant.DIAG, 1, U1).curvePoints(0).build())
            .getMessage());
    assertEquals("validation_samples must be >= 2, got 1",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingParam.VALIDATION_SAMPLES.check(1)).getMessage());
    assertEquals("offrange_points must be 0 (no check) or >= 2, got 1",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingConfig.builder(Variant.DIAG, 1, U1).offRangePoints(1).build())
            .getMessage());
    assertEquals("offrange_samples must be >= 2, got 1",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingConfig.builder(Variant.DIAG, 1, U1).offRangeSamples(1).build())
            .getMessage());
    // without a check its sample size is not used
    TrainingConfig.builder(Variant.DIAG, 1, U1).offRangePoints(0).offRangeSamples(0).build();
    assertEquals(2, TrainingParam.VALIDATION_SAMPLES.min().getAsLong());
    assertTrue(TrainingParam.SEED.min().isEmpty());
    assertTrue(TrainingParam.CLIP.min().isEmpty(), "a number's bound is not an integer minimum");
  }

  @Test
  void aValueOfTheWrongTypeIsRefused() {
    TrainingConfig.Builder b = TrainingConfig.builder(Variant.DIAG, 1, U1);
    assertEquals("steps: expected a Long, got Integer", assertThrows(
        IllegalArgumentException.class, () -> TrainingParam.STEPS.set(b, 5)).getMessage());
    assertThrows(IllegalStateException.class, () -> TrainingParam.STEPS.defaultValue());
  }
}
