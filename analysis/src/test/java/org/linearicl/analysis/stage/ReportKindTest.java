package org.linearicl.analysis.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class ReportKindTest {
  static String report(SortedMap<String, Artifact> in, int threads) throws Exception {
    ReportKind k = new ReportKind();
    ObjectNode p = JsonNodeFactory.instance.objectNode().put("profile", "ci");
    Artifact a = k.run(StageParams.resolve("report", k.params(), p),
        new StageInputs("report", in), StageContext.simple("report", threads));
    assertEquals(java.util.Set.of("REPORT.md"), a.names());
    return a.text("REPORT.md");
  }

  @Test
  void reportLinksEveryFileAndSaysWhatReproduced() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(7, "u0", "u1", "u5", "c13");
    in.put("table1", Artifact.ofText("tables/table1.md", "x"));
    in.put("theory", Artifact.ofText(TheoryKind.SUMMARY, "quantity,value\n"
        + "readout_models,3\nreadout_max_rel_error_y,1.2e-13\n"
        + "readout_max_rel_error_prediction,3.4e-14\nquadratic_max_abs_cosine,0.05\n"
        + "step_size_u1,0.9\nstep_size_u5,0.6\n"));
    String r = report(in, 1);
    assertTrue(r.contains("Profile: **ci**"), r);
    for (String f : ReportKind.TABLES) {
      assertTrue(r.contains("](" + f + ")"), f);
    }
    for (String f : ReportKind.FIGURES) {
      assertTrue(r.contains("](figures/" + f + ".png)"), f);
      assertTrue(r.contains("](figures/" + f + ".svg)"), f);
    }
    // the fixture copies the paper's numbers, so every claim the data covers reproduces
    assertTrue(r.contains("**Reproduced**: the deepest DIAG/FULL model beats both ConstRR and "
        + "AdaRR on 3 of 3 noisy settings"), r);
    assertTrue(r.contains("**Reproduced**: the error falls from 1.768 (1 layer) to 2.65e-12 "
        + "(7 layers)"), r);
    assertTrue(r.contains("**Reproduced**: over 18 (noisy setting, layers >= 2) cells"), r);
    assertTrue(r.contains("**Reproduced**: across 3 noisy settings"), r);
    assertTrue(r.contains("**Reproduced**: the effective step size"), r);
    assertTrue(r.contains("Of the paper's 240 Table-1 cells this profile computed 96: 96 are "
        + "within 10% of the paper"), r);
    assertTrue(r.contains("- Models: 168 trained (84 ok, 84 diverged"), r);
    assertEquals(r, report(in, 3));
  }

  @Test
  void aProfileWithoutDataSaysNotTested() throws Exception {
    SortedMap<String, Artifact> in = Fixtures.selectArtifacts(1, "u3");
    String r = report(in, 1);
    assertTrue(r.contains("**Not tested**"), r);
    assertTrue(r.contains("no trained FULL model"), r);
  }
}
