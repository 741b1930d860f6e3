package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.core.model.Variant;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.experiments.stage.StageParams;

class Table1KindTest {
  /** A run of digits no 3-significant-digit number ever prints. */
  static final Pattern LONG_NUMBER = Pattern.compile("\\d{12,}");

  static Artifact run(StageInputs in, int threads) throws Exception {
    Table1Kind k = new Table1Kind();
    return k.run(StageParams.resolve("table1", k.params(), JsonNodeFactory.instance.objectNode()),
        in, StageContext.simple("table1", threads));
  }

  static Artifact run(Selection... selections) throws Exception {
    return run(new StageInputs("table1", Fixtures.artifacts(selections)), 1);
  }

  /** The 3-layer u5 selection with DIAG 3 (chosen seed) changed. */
  static Selection diag3(ModelResult.Status status, Estimate adjusted) {
    Selection s = Fixtures.selection("u5", 3);
    return Fixtures.withModel(s, Fixtures.chosen(Variant.DIAG, 3, "u5"), m -> Fixtures.with(m,
        status, status == ModelResult.Status.STABLE ? Fixtures.stableTail(adjusted.mean())
            : Fixtures.unstableTail(adjusted.mean()), adjusted, adjusted));
  }

  /** The selection with the adjusted loss of baseline {@code name} replaced. */
  static Selection withBaseline(Selection s, String name, Estimate adjusted) {
    Evaluation e = s.evaluation();
    List<PredictorResult> baselines = e.baselines().stream().map(p -> p.name().equals(name)
        ? new PredictorResult(name, p.loss(), adjusted, p.profileLoss(), p.profileAdjusted())
        : p).toList();
    return new Selection(new Evaluation(e.noise(), e.noiseKey(), e.d(), e.n(), e.samples(),
        e.seed(), e.profileSigma(), e.profileSamples(), e.oracleLoss(), e.tuned(), baselines,
        e.gdByK(), e.models()), s.choices());
  }

  /** The line of {@code csv} that starts with {@code prefix}. */
  static String line(String csv, String prefix) {
    for (String l : csv.split("\n")) {
      if (l.startsWith(prefix)) {
        return l;
      }
    }
    throw new AssertionError("no line " + prefix + " in\n" + csv);
  }

  @Test
  void csvHasThePapersHeaderAndRowKeysAndEmptyCellsForMissingData() throws Exception {
    Artifact a = run(new StageInputs("table1", Fixtures.selectArtifacts(3, "u0", "u5", "c13")), 1);
    // the report links what the kind declares: every file it writes, and nothing else
    assertEquals(new java.util.TreeSet<>(Table1Kind.TABLES), a.names());
    String[] lines = a.text("tables/table1.csv").split("\n", -1);
    assertEquals(PaperTable1.HEADER, lines[0]);
    List<PaperTable1.RowKey> rows = Fixtures.PAPER.rows();
    assertEquals(rows.size() + 2, lines.length); // header, rows, trailing empty string
    for (int i = 0; i < rows.size(); i++) {
      String[] f = lines[i + 1].split(",", -1);
      assertEquals(12, f.length, lines[i + 1]);
      assertEquals(rows.get(i).predictor().label(), f[0]);
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
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("Computed 36 of the paper's 240 cells (204 not computed by this "
        + "profile); fragile: 0 of 36 cells (never counted as a match). Of the 36 robust cells "
        + "compared, 36 are within 10% of the paper"), md);
    assertTrue(md.contains("## Fragile cells\n\n") && md.contains("\n\nNone.\n"), md);
    assertTrue(a.has("tables/baselines.md") && a.has("tables/baselines.csv"));
  }

  @Test
  void theTrainingTableShowsStatusChosenCandidateCostAndTail() throws Exception {
    Artifact a = run(new StageInputs("table1", Fixtures.selectArtifacts(3, "u0", "u5", "c13")), 1);
    String csv = a.text("tables/training_cost.csv");
    assertTrue(csv.startsWith("noise,stage,variant,layers,seed,status,chosen,Adam steps,"
        + "rejected steps,training sequences,validation adjusted,tail samples,tail max loss,"
        + "tail count > 10x mean,tail share,exploded count,exploded share\n"), csv);
    // the stable, chosen seed and the unstable one (its loss 3x the paper's 0.242)
    assertEquals("u5,train-diag-2-u5-s0,DIAG,2,0,stable,scratch-0,100,0,71936,0.242,1000000,"
        + "49.68,120,0.02,0,0", line(csv, "u5,train-diag-2-u5-s0,"));
    assertEquals("u5,train-diag-2-u5-s1,DIAG,2,1,unstable,WARM+train,50,3,3200,0.726,1000000,"
        + "3.2e+80,4,"
        + "0.97,2,0.95", line(csv, "u5,train-diag-2-u5-s1,"));
    // 3 noise settings x 3 variants x 3 layers x 2 seeds
    assertTrue(csv.endsWith("total,54 models,,,,27 unstable,,4050,81,2028672,,,,,,,\n"), csv);
    String md = a.text("tables/training_cost.md");
    assertTrue(md.contains("| u5    | train-diag-2-u5-s1  | DIAG    | 2      | 1    | unstable    "
        + "| WARM+train | 50         | 3              | 3200               |               0.726 "
        + "| 1000000      |      3.20e+80 | 4                     |      0.970 | 2              "
        + "|          0.950 |"), md);
    assertTrue(md.contains("3.20e+80"), md);
    assertFalse(LONG_NUMBER.matcher(md).find(), md);
    assertTrue(md.contains("status: unstable when the tail check failed"), md);
  }

  @Test
  void aCellFarFromThePaperIsFlaggedAndCounted() throws Exception {
    // DIAG 3 on U(0,5) at twice the paper's value: 100% and ~100 SE off
    Artifact a = run(diag3(ModelResult.Status.STABLE, new Estimate(0.236, 0.001, 1000)));
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("0.236 ± 0.00100 (paper 0.118, +118.0 SE) (!)"), md);
    assertTrue(md.contains("1 flagged"), md);
    assertTrue(md.contains("0.907 ± 0.00907 (paper 0.907, +0.0 SE) "), md);
    assertTrue(a.text("tables/table1_comparison.csv").contains(
        "DIAG,3,\"U(0,5)\",0.236,0.118,"), a.text("tables/table1_comparison.csv"));
    assertTrue(line(a.text("tables/table1_comparison.csv"), "DIAG,3,").endsWith(",*,,2"),
        a.text("tables/table1_comparison.csv"));
  }

  @Test
  void aRicherModelAboveOneItContainsIsANestingViolation() throws Exception {
    // the fixture's cells are the paper's values (1% SE): no violation, every cell reached
    String clean = run(diag3(ModelResult.Status.STABLE, new Estimate(0.118, 0.00118, 1000)))
        .text("tables/table1.md");
    assertTrue(clean.contains("- reached: 12 of the 12 robust cells compared"), clean);
    assertTrue(clean.contains("- nesting: 0 violation(s)"), clean);
    // DIAG 3 on U(0,5) above both models it contains (GD++ 3: 0.364, DIAG 2: 0.242); FULL 3
    // (0.117) stays below it
    String md = run(diag3(ModelResult.Status.STABLE, new Estimate(0.5, 0.001, 1000)))
        .text("tables/table1.md");
    assertTrue(md.contains("- reached: 11 of the 12 robust cells compared"), md);
    assertTrue(md.contains("- nesting: 2 violation(s)"), md);
    assertTrue(md.contains("\n  - DIAG 3, U(0,5): 0.500 ± 0.00100 above GD++ 3, U(0,5): "), md);
    assertTrue(md.contains("\n  - DIAG 3, U(0,5): 0.500 ± 0.00100 above DIAG 2, U(0,5): "), md);
  }

  @Test
  void anUnstableModelIsMarkedListedAndNeverAMatch() throws Exception {
    // the paper's value with a small SE: a match if the tail check had passed
    Artifact a = run(diag3(ModelResult.Status.UNSTABLE, new Estimate(0.118, 0.00118, 1000)));
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("| 0.118 ± 0.00118 (fragile: 2 of 1000000 sequences) (paper 0.118) |"),
        md);
    assertTrue(md.contains("fragile: 1 of 12 cells (never counted as a match). Of the 11 "
        + "robust cells compared, 11 are within 10% of the paper, 11 within 3 standard errors, "
        + "11 within both; 0 flagged"), md);
    assertTrue(md.contains("- DIAG 3, U(0,5): 0.118 ± 0.00118 (paper 0.118), "
        + "train-diag-3-u5-s0: tail check failed: 2 of 1000000 fresh sequences "
        + "explode and carry 95.0% of the adjusted loss (max loss 3.20e+80) (fragile: 2 of "
        + "1000000 sequences)\n"), md);
    // the external checker's files keep their shape and the plain number
    assertTrue(line(a.text("tables/table1.csv"), "DIAG,3,").startsWith("DIAG,3,,,,,,0.118,,,,"),
        a.text("tables/table1.csv"));
    assertTrue(line(a.text("tables/table1_se.csv"), "DIAG,3,").startsWith(
        "DIAG,3,,,,,,0.00118,,,,"), a.text("tables/table1_se.csv"));
    String cmp = a.text("tables/table1_comparison.csv");
    assertTrue(cmp.startsWith("model,layers,setting,ours,paper,difference,diff/SE,relative,"
        + "flag,fragile,seeds\n"), cmp);
    // no distance in SE, and what decides it
    assertTrue(line(cmp, "DIAG,3,").matches("DIAG,3,\"U\\(0,5\\)\",0.118,0.118,[^,]+,,[^,]+,,"
        + "2 of 1000000 sequences,2"), cmp);
    assertTrue(line(cmp, "FULL,3,").endsWith(",,,2"), cmp);
  }

  @Test
  void anEvaluationWhoseStandardErrorIsLargeIsUnstableEvenWhenTheTailCheckPassed()
      throws Exception {
    // 0.1 SE from the paper, but the SE is 41% of the mean: a few sequences decide it
    Artifact a = run(diag3(ModelResult.Status.STABLE, new Estimate(0.123, 0.051, 1000)));
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("| 0.123 ± 0.0510 (fragile: about 6 of 1000 sequences) (paper 0.118) |"),
        md);
    assertTrue(md.contains("- DIAG 3, U(0,5): 0.123 ± 0.0510 (paper 0.118), train-diag-3-u5-s0 "
        + "(tail check passed): SE 41.5% of the mean (fragile: about 6 of 1000 sequences)\n"),
        md);
    assertTrue(md.contains("fragile: 1 of 12 cells"), md);
    assertTrue(md.contains("Of the 11 robust cells compared, 11 are within 10% of the paper"),
        md);
    assertTrue(line(a.text("tables/table1.csv"), "DIAG,3,").startsWith("DIAG,3,,,,,,0.123,,,,"));
    assertTrue(line(a.text("tables/table1_se.csv"), "DIAG,3,").startsWith(
        "DIAG,3,,,,,,0.051,,,,"));
  }

  @Test
  void aBlownUpLossPrintsInENotationNeverAsEightyDigits() throws Exception {
    Artifact a = run(diag3(ModelResult.Status.UNSTABLE, new Estimate(3.2e80, 3.2e79, 1000)));
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("| 3.20e+80 ± 3.20e+79 (fragile: 2 of 1000000 sequences) (paper "
        + "0.118) |"), md);
    assertFalse(LONG_NUMBER.matcher(md).find(), md);
    // the CSVs keep the full value, in e-notation as the paper's csv writes 9.91e-05
    assertTrue(line(a.text("tables/table1.csv"), "DIAG,3,").startsWith("DIAG,3,,,,,,3.2e+80,"));
    assertTrue(line(a.text("tables/table1_se.csv"), "DIAG,3,").startsWith("DIAG,3,,,,,,3.2e+79,"));
    for (String f : a.names()) { // a shortest round-trip decimal has at most 17 digits
      assertFalse(Pattern.compile("\\d{21,}").matcher(a.text(f)).find(), f + ":\n" + a.text(f));
    }
  }

  @Test
  void aCellThatAFewExplodingSequencesDecideIsUnstableEvenWithinTenPercentAndThreeSe()
      throws Exception {
    // 99,999 sequences at 0.08 and one at 4000: mean 0.12 (1.7% and 0.05 SE from the paper's
    // 0.118, a match by both tests), SE 0.04; the tail check passed
    double[] x = new double[100_000];
    java.util.Arrays.fill(x, 0.08);
    x[4321] = 4000;
    Estimate e = Estimate.over(x);
    Artifact a = run(diag3(ModelResult.Status.STABLE, e));
    String md = a.text("tables/table1.md");
    String cell = "0.120 ± 0.0400 (fragile: about 9 of 100000 sequences) (paper 0.118)";
    assertTrue(md.contains("| " + cell + " |"), md);
    assertTrue(md.contains("fragile: 1 of 12 cells (never counted as a match). Of the 11 "
        + "robust cells compared, 11 are within 10% of the paper, 11 within 3 standard errors"),
        md);
    assertTrue(md.contains("(tail check passed): SE 33.3% of the mean (fragile: about 9 of "
        + "100000 sequences)\n"), md);
    String row = line(a.text("tables/table1_comparison.csv"), "DIAG,3,");
    assertTrue(row.endsWith(",about 9 of 100000 sequences,2"), row);
    assertEquals("", row.split(",", -1)[7], row); // diff/SE: no distance for it
  }

  @Test
  void aRoundOffZeroBesideThePapersZeroIsAMatchWithNumbers() throws Exception {
    // AdaRR on U(0,0) measures 2.3e-29 where the paper prints 0
    Selection s = withBaseline(Fixtures.selection("u0", 3), "ada_rr",
        new Estimate(2.31e-29, 1.03e-30, 1000));
    Artifact a = run(s);
    String md = a.text("tables/table1.md");
    assertTrue(md.contains("| 2.31e-29 ± 1.03e-30 (below 1e-18: 0) (paper 0, +0.0 SE) |"), md);
    String row = line(a.text("tables/table1_comparison.csv"), "AdaRR,");
    assertEquals("AdaRR,-,\"U(0,0)\",2.31e-29,0,0,0,0,,,", row); // a baseline: no seeds
    assertTrue(line(a.text("tables/table1.csv"), "AdaRR,").startsWith("AdaRR,-,2.31e-29,"));
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
