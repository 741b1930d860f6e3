package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.table.Csv;
import org.linearicl.analysis.table.PublishedTable1;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;

/** The per-model tables of the table1 stage, on hand-built selections. */
class ModelTablesTest {
  private static List<List<String>> csv(Artifact a, String file) {
    return Csv.parse(a.text(file));
  }

  /** Every row of {@code rows} whose first columns are {@code key}. */
  private static List<List<String>> rows(List<List<String>> rows, String... key) {
    return rows.stream().filter(r -> r.subList(0, key.length).equals(List.of(key))).toList();
  }

  private static double num(String s) {
    return Double.parseDouble(s);
  }

  @Test
  void readoutByLayerHasEveryModelAndLayer() throws Exception {
    Selection s = Fixtures.selection("u5", 2);
    List<List<String>> t = csv(Table1KindTest.run(s), ModelTables.READOUT_CSV);
    assertEquals(List.of("variant", "layers", "noise", "seed", "after_layer", "adjusted_loss",
        "se", "diff_se"), t.get(0));
    // 3 variants x 2 seeds x (1 + 2) layers
    assertEquals(18, t.size() - 1);
    ModelResult m = s.evaluation().models().stream()
        .filter(r -> r.stage().equals("train-full-2-u5-s1")).findFirst().orElseThrow();
    List<List<String>> full = rows(t, "FULL", "2", "u5", "1");
    assertEquals(2, full.size());
    for (int l = 0; l < 2; l++) {
      List<String> r = full.get(l);
      assertEquals(Integer.toString(l + 1), r.get(4));
      // the CSV prints shortest round-trip digits: the numbers read back exactly
      assertEquals(m.perLayerAdjusted().mean(l), num(r.get(5)));
      assertEquals(m.perLayerAdjusted().se(l), num(r.get(6)));
      assertEquals(m.perLayerDiff().se(l), num(r.get(7)));
    }
  }

  @Test
  void profilesHaveFinalLayersEveryLayerOnU5AndTheRidgeBaselines() throws Exception {
    Selection u5 = Fixtures.selection("u5", 2);
    Selection c13 = Fixtures.selection("c13", 2);
    List<List<String>> t = csv(Table1KindTest.run(u5, c13), ModelTables.PROFILES_CSV);
    assertEquals(List.of("variant", "layers", "noise", "seed", "after_layer", "sigma",
        "adjusted_loss", "se"), t.get(0));
    double[] sigma = u5.evaluation().profileSigma();
    int points = sigma.length;
    // u5: every layer of 12 models (18 model-layers); c13: the final layer of 12 models; each
    // with 3 ridge baselines
    assertEquals(18 * points + 3 * points, rows(t.subList(1, t.size()), "GD++").size()
        + rows(t, "DIAG").size() + rows(t, "FULL").size() + rows(t, "ConstRR").size()
        + rows(t, "AdaRR").size() + rows(t, "TunedRR").size() - 12 * points - 3 * points);
    assertEquals(18 * points + 3 * points + 12 * points + 3 * points, t.size() - 1);
    ModelResult m = u5.best(Variant.DIAG, 2).orElseThrow();
    List<List<String>> diag = rows(t, "DIAG", "2", "u5", "0", "1");
    assertEquals(points, diag.size());
    for (int i = 0; i < points; i++) {
      assertEquals(sigma[i], num(diag.get(i).get(5)));
      assertEquals(m.profileAdjustedByLayer().get(0).mean(i), num(diag.get(i).get(6)));
      assertEquals(m.profileAdjustedByLayer().get(0).se(i), num(diag.get(i).get(7)));
    }
    assertEquals(points, rows(t, "DIAG", "2", "u5", "0", "2").size());
    assertEquals(0, rows(t, "DIAG", "2", "c13", "0", "1").size());
    assertEquals(points, rows(t, "DIAG", "2", "c13", "0", "2").size());
    Series ada = c13.evaluation().baseline("ada_rr").orElseThrow().profileAdjusted();
    List<List<String>> adaRows = rows(t, "AdaRR", "", "c13", "", "");
    assertEquals(points, adaRows.size());
    for (int i = 0; i < points; i++) {
      assertEquals(c13.evaluation().profileSigma()[i], num(adaRows.get(i).get(5)));
      assertEquals(ada.mean(i), num(adaRows.get(i).get(6)));
      assertEquals(ada.se(i), num(adaRows.get(i).get(7)));
    }
  }

  @Test
  void seedsMarksTheChosenSeed() throws Exception {
    Selection s = Fixtures.selection("u5", 2);
    List<List<String>> t = csv(Table1KindTest.run(s), ModelTables.SEEDS_CSV);
    assertEquals(List.of("variant", "layers", "noise", "seed", "status", "validation_adjusted",
        "adjusted_loss", "se", "chosen"), t.get(0));
    assertEquals(12, t.size() - 1);
    for (ModelResult m : s.evaluation().models()) {
      List<List<String>> r = rows(t, org.linearicl.analysis.inputs.PaperLayout.label(
          m.variant()), Integer.toString(m.layers()), "u5", Long.toString(m.seed()));
      assertEquals(1, r.size(), m.stage());
      List<String> row = r.get(0);
      assertEquals(m.status().text(), row.get(4));
      assertEquals(m.validationAdjusted(), num(row.get(5)));
      assertEquals(m.adjusted().mean(), num(row.get(6)));
      assertEquals(m.adjusted().se(), num(row.get(7)));
      // the fixture chooses seed 0, the stable one
      assertEquals(Boolean.toString(m.seed() == 0), row.get(8), m.stage());
    }
  }

  @Test
  void table1SaysHowManySeedsEachCellHad() throws Exception {
    Artifact a = Table1KindTest.run(Fixtures.selection("u5", 2));
    List<List<String>> t = csv(a, Table1Kind.COMPARISON_CSV);
    assertEquals(PublishedTable1.SEEDS_COLUMN, t.get(0).get(t.get(0).size() - 1));
    int models = 0;
    for (List<String> r : t.subList(1, t.size())) {
      boolean baseline = r.get(1).equals("-");
      assertEquals(baseline ? "" : "2", r.get(r.size() - 1), r.toString());
      models += baseline ? 0 : 1;
    }
    assertEquals(6, models); // GD++, DIAG and FULL with 1 and 2 layers on U(0,5)
    // it still reads as the comparison table
    assertEquals(t.size() - 1, PublishedTable1.comparison(a.text(Table1Kind.COMPARISON_CSV))
        .size());
    assertTrue(a.text(Table1Kind.MARKDOWN).contains("Seeds per model cell (the chosen one is "
        + "reported; `seeds.csv` has them all): 6 cells with 2 seeds."),
        a.text(Table1Kind.MARKDOWN));
  }
}
