package org.linearicl.analysis.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;

class UpstreamArtifactsTest {
  @Test
  void noiseKeysSortInThePapersColumnOrderThenAlphabetically() {
    List<String> keys = new ArrayList<>(List.of("zz", "c13", "u5", "aa", "u0",
        "c135"));
    keys.sort(PaperLayout.NOISE_ORDER);
    assertEquals(List.of("u0", "u5", "c13", "c135", "aa", "zz"), keys);
    assertEquals("U(0,5)", PaperLayout.display("u5"));
    assertEquals("zz", PaperLayout.display("zz"));
    assertEquals(List.of(0, 1, 2), List.of(PaperLayout.variantIndex(Variant.GDPP),
        PaperLayout.variantIndex(Variant.DIAG), PaperLayout.variantIndex(Variant.FULL)));
    assertEquals("GD++", PaperLayout.label(Variant.GDPP));
  }

  @Test
  void aStageWithoutASelectionSaysWhatItNeeds() {
    SortedMap<String, Artifact> in = new TreeMap<>();
    in.put("train-x", Artifact.ofText("other.txt", "x"));
    StageException e = assertThrows(StageException.class,
        () -> UpstreamArtifacts.selections(new StageInputs("report", in), "report"));
    assertEquals("stage 'report' needs at least one select-* stage (an artifact with "
        + "selection.json), its needs are [train-x]", e.getMessage());
    assertTrue(UpstreamArtifacts.checkpoints(new StageInputs("report", in)).isEmpty());
  }
}
