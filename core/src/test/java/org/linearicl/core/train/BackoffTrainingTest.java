package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;

class BackoffTrainingTest {
  private static final TaskSpec U5 = TaskSpec.paper(new NoiseDistribution.Uniform(5));

  @Test
  void aStableRunIsTheTrainersRun() {
    TrainingConfig cfg = TrainerTest.config(Variant.DIAG, 2, 1, 10, 128, 1e-2,
        new Schedule.Constant());
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      BackoffTraining.Outcome o = BackoffTraining.train(cfg, Trainer.initialParams(cfg), 3, e,
          TrainingListener.NONE, x -> { });
      assertEquals(0, o.restarts());
      assertEquals(cfg, o.config());
      assertArrayEquals(new Trainer(cfg, e).train(TrainingListener.NONE).params(),
          o.result().params());
    }
  }

  /**
   * TrainerTest's diverging run (FULL, 3 layers, lr 5): every divergence halves the rate; the
   * run either ends with the rate halved once per restart or gives up after the last retry.
   */
  @Test
  void eachDivergenceHalvesTheRate() {
    TrainingConfig cfg = new TrainingConfig(Variant.FULL, 3, 1, U5, 1, 50, 256,
        new AdamConfig(5.0, 0.9, 0.99, 1e-8), new Schedule.Constant(), 0.0, 1.0, 10, 5);
    List<Long> divergedAt = new ArrayList<>();
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      double[] init = Trainer.initialParams(cfg);
      assertThrows(TrainingDivergedException.class, () -> BackoffTraining.train(cfg, init, 0, e,
          TrainingListener.NONE, x -> divergedAt.add(x.step())));
      assertEquals(List.of(), divergedAt, "no retries, no restarts");
      try {
        BackoffTraining.Outcome o = BackoffTraining.train(cfg, init, 4, e,
            TrainingListener.NONE, x -> divergedAt.add(x.step()));
        assertEquals(divergedAt.size(), o.restarts());
        assertEquals(5.0 / Math.pow(2, o.restarts()), o.config().adam().lr());
        assertEquals(cfg, BackoffTraining.withLr(o.config(), 5.0));
      } catch (TrainingDivergedException ex) {
        assertEquals(4, divergedAt.size(), "gave up only after every retry");
      }
    }
  }
}
