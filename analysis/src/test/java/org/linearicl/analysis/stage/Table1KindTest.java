package org.linearicl.analysis.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.experiments.stage.StageParams;

class Table1KindTest {
  static Artifact run(StageInputs in, int threads) throws Exception {
    Table1Kind k = new Table1Kind();
    return k.run(StageParams.resolve("table1", k.params(), JsonNodeFactory.instance.objectNode()),
        in, StageContext.simple("table1", threads));
  }

  @Test
  void csvHasThePapersHeaderAndRowKeysAndEmptyCellsForMissingData() throws Exception {
    Artifact a = run(new StageInputs("table1", Fixtures.selectArtifacts(3, "u0", "u5", "c13")), 1);
    String[] lines = a.text("tables/table1.csv").split("\n", -1);
    assertEquals(PaperTable1.HEADER, lines[0]);
    List<PaperTable1.RowKey> rows = Fixtures.PAPER.rows();
    assertEquals(rows.size() + 2, lines.length); // header, rows, trailing empty string
    for (int i = 0; i < rows.size(); i++) {
      String[] f = lines[i + 1].split(",", -1);
      assertEquals(12, f.length, lines[i + 1]);
      assertEquals(rows.get(i).model().label(), f[0]);
      assertEquals(rows.get(i).layersText(), f[1]);
      boolean computed = !rows.get(i).layers().isPresent() || rows.get(i).layers().getAsInt() <= 3;
      for (int c = 0; c < 10; c++) {
        String key = PaperTable1.Column.values()[c].key();
        boolean has = computed && List.of("u0", "u5", "c13").contains(key);
        assertEquals(has, !f[2 + c].isEmpty(), lines[i + 1] + " column " + key);
      }
    }
    String[] se = a.text("tables/table1_se.csv").split("\n", -1);
    assertEquals(PaperTable1.HEADER, se[0]);
    assertEquals(lines.length, se.length);
    assertTrue(a.text("tables/table1.md").contains("Compared 36 of the paper's 240 cells"),
        a.text("tables/table1.md"));
    assertTrue(a.has("tables/baselines.md") && a.has("tables/baselines.csv"));
    assertTrue(a.text("tables/training_cost.csv").startsWith(
        "noise,variant,layers,seed,stage,steps,batch,sequences,lr,restarts,status\n"));
    assertTrue(a.text("tables/training_cost.csv").contains(
        "u5,DIAG,2,1,train-diag-2-u5-s1,50,64,3200,0.005,1,diverged\n"));
  }

  @Test
  void aCellFarFromThePaperIsFlaggedAndCounted() throws Exception {
    Selection s = Fixtures.selection("u5", 3);
    // move DIAG 3 on U(0,5) to twice the paper's value: 100% and ~100 SE off
    java.util.List<org.linearicl.experiments.results.ModelResult> ms = new java.util.ArrayList<>();
    for (var m : s.evaluation().models()) {
      if (m.variant().equals("diag") && m.layers() == 3 && m.ok()) {
        m = new org.linearicl.experiments.results.ModelResult(m.stage(), m.variant(), m.layers(),
            m.heads(), m.seed(), m.status(), m.steps(), m.batch(), m.lr(), m.restarts(),
            m.validationAdjusted(), m.loss(), new org.linearicl.experiments.results.Estimate(
                0.236, 0.001, 1000), m.perLayerAdjusted(), m.profileLoss(),
            m.profileAdjustedByLayer());
      }
      ms.add(m);
    }
    var e = s.evaluation();
    Selection changed = new Selection(new org.linearicl.experiments.results.Evaluation(e.noise(),
        e.noiseKey(), e.d(), e.n(), e.samples(), e.seed(), e.profileSigma(), e.profileSamples(),
        e.oracleLoss(), e.tuned(), e.baselines(), e.gdByK(), ms), s.choices());
    SortedMap<String, Artifact> in = new java.util.TreeMap<>();
    in.put("select-u5", Artifact.ofText("selection.json", ResultsJson.writeSelection(changed)));
    Artifact a = run(new StageInputs("table1", in), 1);
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("0.236 ± 0.001 (paper 0.118, +118.0 SE) (!)"), md);
    assertTrue(md.contains("1 flagged"), md);
    assertTrue(md.contains("0.907 ± 0.009 (paper 0.907, +0.0 SE) "), md);
    assertTrue(a.text("tables/table1_comparison.csv").contains("DIAG,3,\"U(0,5)\",0.236,0.118"),
        a.text("tables/table1_comparison.csv"));
  }

  @Test
  void outputIsByteIdenticalAcrossRunsAndThreads() throws Exception {
    SortedMap<String, Artifact> m = Fixtures.selectArtifacts(2, "u1", "c135");
    Artifact one = run(new StageInputs("table1", m), 1);
    Artifact two = run(new StageInputs("table1", m), 4);
    assertEquals(one.digest(), two.digest());
    assertArrayEquals(one.bytes("tables/table1.md"), two.bytes("tables/table1.md"));
  }

  @Test
  void noSelectionIsAClearError() {
    StageException e = assertThrows(StageException.class,
        () -> run(StageInputs.none("table1"), 1));
    assertTrue(e.getMessage().contains("select-*"), e.getMessage());
  }

  @Test
  void isRegistered() {
    assertTrue(StageKinds.installed().find("table1").isPresent());
  }
}
