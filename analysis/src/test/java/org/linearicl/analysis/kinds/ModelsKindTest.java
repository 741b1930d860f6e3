package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class ModelsKindTest {
  static Artifact run(SortedMap<String, Artifact> in) {
    ModelsKind k = new ModelsKind();
    return k.run(StageParams.resolve("models", k.params(), JsonNodeFactory.instance.objectNode()),
        new StageInputs("models", in), StageContext.simple("models", 1));
  }

  /** A train artifact whose files say whose they are. */
  static Artifact trained(String stage) {
    return Artifact.builder().text("checkpoint.json", "ckpt " + stage)
        .text("outcome.json", "outcome " + stage).build();
  }

  @Test
  void everyChosenModelIsCopiedAsItsTrainStageWroteIt() {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(2, "u5", "c13");
    for (String key : List.of("u5", "c13")) {
      for (Variant v : PaperLayout.VARIANTS) {
        for (int l = 1; l <= 2; l++) {
          in.put(Fixtures.chosen(v, l, key), trained(Fixtures.chosen(v, l, key)));
          // a seed that was not chosen is not released
          in.put(Fixtures.chosen(v, l, key).replace("-s0", "-s9"), trained("other"));
        }
      }
    }
    Artifact a = run(in);
    assertEquals(2 * 3 * 2 * 2 + 2, a.names().size(), a.names().toString());
    assertEquals("ckpt train-diag-2-u5-s0", a.text("models/train-diag-2-u5-s0/checkpoint.json"));
    assertEquals("outcome train-full-1-c13-s0",
        a.text("models/train-full-1-c13-s0/outcome.json"));
    assertTrue(a.names().stream().noneMatch(n -> n.contains("-s9")), a.names().toString());
    List<String> csv = List.of(a.text(ModelsKind.CSV).split("\n"));
    assertEquals(ModelsKind.CSV_HEADER, csv.get(0));
    assertEquals(13, csv.size());
    // in the paper's column order (U(0,5) before {1,3}), then GD++, DIAG, FULL by depth
    assertTrue(csv.get(1).startsWith("train-gdpp-1-u5-s0,gdpp,1,u5,uniform:5,0,stable,"),
        csv.get(1));
    Selection s = Fixtures.selection("u5", 2);
    ModelResult m = s.best(Variant.DIAG, 2).orElseThrow();
    assertTrue(csv.contains("train-diag-2-u5-s0,diag,2,u5,uniform:5,0,stable,"
        + m.adjusted().mean() + "," + m.adjusted().se() + ",10,20,1000,99"), csv.toString());
    assertTrue(csv.get(7).startsWith("train-gdpp-1-c13-s0,gdpp,1,c13,\"categorical:1,3\","),
        csv.get(7));
    assertTrue(a.text("models/README.md").contains("linear-icl-checkpoint/2"));
  }

  @Test
  void aChosenModelWithoutItsTrainStageIsAnError() {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(1, "u5");
    StageException e = assertThrows(StageException.class, () -> run(in));
    assertTrue(e.getMessage().contains("train-gdpp-1-u5-s0"), e.getMessage());
  }
}
