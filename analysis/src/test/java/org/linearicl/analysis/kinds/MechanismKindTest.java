package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.mechanism.AlignmentAnalysis;
import org.linearicl.analysis.mechanism.ConstructionAnalysis;
import org.linearicl.analysis.mechanism.DiagonalityAnalysis;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class MechanismKindTest {
  static Artifact run(SortedMap<String, Artifact> in) {
    MechanismKind k = new MechanismKind();
    return k.run(StageParams.resolve("mechanism", k.params(), JsonNodeFactory.instance
        .objectNode().put("samples", 300).put("projection_samples", 300)
        .put("adaptation_samples", 400).put("groups", 4)
        .put("alignment_samples", 200).set("construction_n", JsonNodeFactory.instance.arrayNode()
            .add(20).add(40))),
        new StageInputs("mechanism", in), StageContext.simple("mechanism", 2));
  }

  static Artifact checkpoint(Checkpoint c) {
    return Artifact.ofText("checkpoint.json", CheckpointJson.write(c));
  }

  @Test
  void everyAnalysisRunsOnTheChosenModelsAndAnEmbeddedFullIsItsDiag() {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(3, "u5", "c13");
    Checkpoint diag2 = FiguresKindTest.randomCheckpoint(Variant.DIAG, 2, "uniform:5", 4);
    in.put("train-diag-2-u5-s0", checkpoint(diag2));
    in.put("train-diag-3-u5-s0", checkpoint(
        FiguresKindTest.randomCheckpoint(Variant.DIAG, 3, "uniform:5", 5)));
    Checkpoint full2 = FiguresKindTest.randomCheckpoint(Variant.FULL, 2, "uniform:5", 6);
    double[] embedded = Embedding.embed(diag2.config().shape(), diag2.params(),
        full2.config().shape(), 0.0);
    in.put("train-full-2-u5-s0", checkpoint(new Checkpoint(full2.config(), embedded,
        full2.curve(), full2.evalSamples(), full2.evalSeed(), full2.evaluation())));
    Artifact a = run(in);
    String md = a.text(MechanismKind.MARKDOWN);
    // 2 models: 2 layers x 2 x-terms = 4 same-layer read-outs, 3 layers x 2 = 6: all exactly 0
    assertTrue(md.contains("in 10 of 10 cases (exactly"), md);
    assertTrue(md.contains("1 chosen FULL models. In 1 of them"), md);
    assertTrue(md.contains("in 0 model(s)"), md);
    String projection = a.text(DiagonalityAnalysis.PROJECTION_TABLE);
    assertEquals(2, projection.split("\n").length, projection);
    String[] row = projection.split("\n")[1].split(",");
    assertEquals(row[4], row[6], "the projection of an embedded DIAG model is that model");
    assertEquals("0", row[8], "so projecting costs exactly nothing");
    assertEquals(row[4], row[10], "and it is the chosen DIAG model of that depth");
    // the adaptation reads the deepest stable DIAG model of U(0,5): 3 layers
    assertTrue(md.contains("train-diag-3-u5-s0 (3 layers), 400 fresh sequences in 4"), md);
    // the construction runs on {1,3} at both context lengths, the alignment on both DIAG models
    assertEquals(3, a.text(ConstructionAnalysis.TABLE).split("\n").length);
    assertEquals(1 + 2 + 3, a.text(AlignmentAnalysis.TABLE).split("\n").length);
    assertTrue(md.contains("DIAG-3 on U(0,5): GD "), md);
    // the one FULL model is its embedded DIAG model: counted, and none left the structure
    assertTrue(md.contains("how many left the DIAG structure (none did)"), md);
    for (String f : new String[] {"ablation", "diagonality", "adaptation", "theorem52",
        "alignment"}) {
      byte[] png = a.bytes("figures/mechanism_" + f + ".png");
      assertEquals((byte) 0x89, png[0], f);
      assertTrue(md.contains("[figures/mechanism_" + f + ".png]"), md);
    }
    // every analysis published its tables and its figure in three formats, nothing else
    TreeSet<String> expected = new TreeSet<>(MechanismKind.TABLES);
    for (String f : MechanismKind.FIGURES) {
      for (String ext : new String[] {".png", ".svg", ".pdf"}) {
        expected.add("figures/" + f + ext);
      }
    }
    assertEquals(expected, a.names());
    assertEquals(a.digest(), run(in).digest());
  }

  @Test
  void aCountBelowItsMinimumIsRejectedNamingTheParam() {
    MechanismKind k = new MechanismKind();
    for (String[] bad : new String[][] {{"samples", "1", "2"}, {"groups", "0", "1"},
        {"adaptation_samples", "-3", "2"}, {"alignment_samples", "1", "2"}}) {
      StageParams p = StageParams.resolve("mechanism", k.params(), JsonNodeFactory.instance
          .objectNode().put(bad[0], Integer.parseInt(bad[1])));
      StageException e = assertThrows(StageException.class, () -> k.run(p,
          new StageInputs("mechanism", Fixtures.selectArtifacts(2, "u5")),
          StageContext.simple("mechanism", 1)));
      assertEquals("stage 'mechanism', param '" + bad[0] + "': must be >= " + bad[2] + ", got "
          + bad[1], e.getMessage());
      assertEquals(bad[0], e.param());
    }
  }

  @Test
  void anEmptyListIsRejectedWhenTheFileLoadsNamingTheParam() {
    MechanismKind k = new MechanismKind();
    for (String name : new String[] {"ablation_noises", "construction_n"}) {
      com.fasterxml.jackson.databind.node.ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.putArray(name);
      StageParams p = StageParams.resolve("mechanism", k.params(), o);
      StageException e = assertThrows(StageException.class, () -> k.check(p));
      assertEquals("stage 'mechanism', param '" + name + "': must list at least one value, got"
          + " an empty list", e.getMessage());
      assertEquals(name, e.param());
      assertThrows(StageException.class, () -> k.run(p,
          new StageInputs("mechanism", Fixtures.selectArtifacts(2, "u5")),
          StageContext.simple("mechanism", 1)));
    }
  }
}
