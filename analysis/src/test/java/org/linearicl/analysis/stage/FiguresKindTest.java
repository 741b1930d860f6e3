package org.linearicl.analysis.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingCurve;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class FiguresKindTest {
  /** A checkpoint with N(0, 0.1^2) parameters (the figures only read the weights). */
  static Checkpoint randomCheckpoint(Variant v, int layers, String spec, long seed) {
    TrainingConfig cfg = new TrainingConfig(v, layers, 1,
        TaskSpec.paper(NoiseDistribution.parse(spec)), seed, 10, 64,
        new AdamConfig(1e-3, 0.9, 0.99, 1e-8), new Schedule.Constant(), 1.0, 0.1, 1e3, 5);
    Gaussian g = new Gaussian(Streams.of(seed, Streams.Purpose.INIT));
    double[] p = new double[cfg.shape().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.1 * g.next();
    }
    return new Checkpoint(cfg, p, new TrainingCurve(new long[] {5}, new double[] {1.0}), 10, 1,
        new PairedEvaluation(new LossSummary(1, 0.1, 10), new LossSummary(0.5, 0.1, 10),
            new LossSummary(0.5, 0.1, 10)));
  }

  static Artifact run(SortedMap<String, Artifact> in) throws Exception {
    FiguresKind k = new FiguresKind();
    return k.run(StageParams.resolve("figures", k.params(), JsonNodeFactory.instance.objectNode()),
        new StageInputs("figures", in), StageContext.simple("figures", 1));
  }

  @Test
  void everyFigureIsDrawnAsPngAndSvgWhenTheDataIsThere() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(4, "u0", "u5", "c13");
    in.put("train-full-4-c13-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.FULL, 4, "categorical:1,3", 1))));
    in.put("train-diag-4-u5-s0", Artifact.ofText("checkpoint.json",
        CheckpointJson.write(randomCheckpoint(Variant.DIAG, 4, "uniform:5", 2))));
    in.put("train-diag-4-u5-s1", Artifact.ofText("diverged.json", "{}"));
    Artifact a = run(in);
    for (String f : ReportKind.FIGURES) {
      byte[] png = a.bytes("figures/" + f + ".png");
      assertEquals((byte) 0x89, png[0], f);
      assertEquals('P', png[1], f);
      String svg = new String(a.bytes("figures/" + f + ".svg"), StandardCharsets.UTF_8);
      assertTrue(svg.contains("<svg"), f);
    }
    String readme = a.text("figures/README.md");
    assertTrue(readme.contains("## Skipped\n\nNone.\n"), readme);
    Artifact again = run(in);
    assertArrayEquals(a.bytes("figures/fig1.png"), again.bytes("figures/fig1.png"));
    assertEquals(a.digest(), again.digest());
  }

  @Test
  void missingDataSkipsFiguresAndListsThem() throws Exception {
    Artifact a = run(Fixtures.selectArtifacts(1, "u3"));
    assertTrue(a.has("figures/fig1.png") && a.has("figures/fig1.svg"));
    assertFalse(a.has("figures/fig4.png"));
    String readme = a.text("figures/README.md");
    for (String f : new String[] {"fig2b", "fig3", "fig4", "fig5", "fig7", "omegas"}) {
      assertTrue(readme.contains("- `" + f + "`: "), f + "\n" + readme);
    }
  }
}
