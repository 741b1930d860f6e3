package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.AdamTrainer;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class TheoryKindTest {
  /** A FULL model with 2 layers trained for 30 steps of 128 sequences on U(0,5). */
  static Checkpoint trained() {
    TrainingConfig cfg = TrainingConfig.builder(Variant.FULL, 2,
        TaskSpec.paper(NoiseDistribution.parse("uniform:5"))).seed(3).steps(30).batchSize(128)
        .adam(new AdamConfig(1e-2, 0.9, 0.99, 1e-8)).schedule(new Schedule.Constant())
        .initStd(0.05).curveEvery(5).build();
    AdamTrainer.Result r;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      r = new AdamTrainer(cfg, e).train(AdamTrainer.initialParams(cfg, 0), cfg.steps(),
          cfg.adam().lr(), 0, TrainingListener.NONE);
    }
    return new Checkpoint(cfg, r.params(), r.curve(), 10, 1,
        new PairedEvaluation(new LossSummary(1, 0.1, 10), new LossSummary(0.5, 0.1, 10),
            new LossSummary(0.5, 0.1, 10)));
  }

  static Artifact run(SortedMap<String, Artifact> in, int samples) throws Exception {
    TheoryKind k = new TheoryKind();
    return k.run(StageParams.resolve("theory", k.params(),
        JsonNodeFactory.instance.objectNode().put("samples", samples)),
        new StageInputs("theory", in), StageContext.simple("theory", 2));
  }

  @Test
  void readOutMatchesTheForwardPassOfATrainedModel() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(2, "u0", "u1", "u5");
    in.put("train-full-2-u5-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(trained())));
    in.put("train-diag-2-u1-s0", Artifact.ofText("checkpoint.json", CheckpointJson.write(
        FiguresKindTest.randomCheckpoint(Variant.DIAG, 2, "uniform:1", 4))));
    in.put("train-diag-2-u5-s0", Artifact.ofText("checkpoint.json", CheckpointJson.write(
        FiguresKindTest.randomCheckpoint(Variant.DIAG, 2, "uniform:5", 5))));
    Artifact a = run(in, 200);
    assertEquals(new java.util.TreeSet<>(TheoryKind.TABLES), a.names());
    TheorySummary s = TheorySummary.of(new StageInputs("x",
        new java.util.TreeMap<>(java.util.Map.of("theory", a)))).orElseThrow();
    TheorySummary.Readout r = s.readout().orElseThrow();
    assertEquals(1, r.models());
    assertTrue(r.maxRelErrorY() < 1e-9, s.toString());
    assertTrue(r.maxRelErrorPrediction() < 1e-9, s.toString());
    assertTrue(s.quadraticMaxAbsCosine().orElseThrow() < 0.5, s.toString());
    assertEquals(java.util.List.of("u1", "u5"), java.util.List.copyOf(s.stepSizes().keySet()));
    String csv = a.text("tables/theory_readout.csv");
    assertTrue(csv.startsWith("model,noise,layers,layer,"), csv);
    assertEquals(3, csv.split("\n").length, csv);
    String md = a.text("tables/theory.md");
    assertTrue(md.contains("## Theorem 5.1") && md.contains("## Sec. 5.3"), md);
    assertEquals(a.digest(), run(in, 200).digest());
  }

  @Test
  void theGdppSlopeOfThePapersNumbersIsNearLnTwo() {
    java.util.List<Double> x = java.util.List.of(1.0, 2.0, 3.0);
    java.util.List<Double> y = java.util.List.of(0.0, Math.log(2), 2 * Math.log(2));
    assertEquals(Math.log(2), TheoryKind.slope(x, y), 1e-12);
  }
}
