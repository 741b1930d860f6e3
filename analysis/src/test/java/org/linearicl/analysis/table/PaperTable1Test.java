package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.baselines.PredictorId;

class PaperTable1Test {

  /** The copy of the paper's table that the analysis stages read (main resources). */
  static final Path TABLE1 = bundled();

  private static Path bundled() {
    try {
      return Path.of(PaperTable1Test.class
          .getResource("/org/linearicl/analysis/paper/table1.csv").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String HEADER_LINE = PaperTable1.HEADER + "\n";

  @Test
  void readsThePapersTable() throws IOException {
    PaperTable1 t = PaperTable1.read(TABLE1);
    assertEquals(24, t.rowCount(), "3 variants x 7 layers + 3 baselines");
    assertEquals(10, t.columns().size());
    assertEquals(0.118, t.value(RowKey.of(PredictorId.DIAG, 3), Column.U5));
    assertEquals(9.91e-05, t.value(RowKey.of(PredictorId.GDPP, 4), Column.U0));
    assertEquals(0.021, t.value(RowKey.baseline(PredictorId.TUNED_RR), Column.C13));
    assertEquals(1.768, t.value(RowKey.of(PredictorId.GDPP, 1), Column.U0));
    assertEquals(0.035, t.value(RowKey.of(PredictorId.FULL, 7), Column.C135));
    assertEquals(0.0, t.value(RowKey.baseline(PredictorId.CONST_RR), Column.U0));
    assertEquals(RowKey.of(PredictorId.GDPP, 1), t.rows().get(0));
    assertEquals(RowKey.baseline(PredictorId.TUNED_RR), t.rows().get(23));
    assertTrue(t.find(RowKey.of(PredictorId.DIAG, 3), Column.C13).isPresent());
  }

  @Test
  void lossFormatReprintsEveryCellAsThePaperPrintsIt() throws IOException {
    // The format rule was read off the paper's table: every cell must come back as written.
    List<String> lines = Files.readAllLines(TABLE1, StandardCharsets.UTF_8);
    PaperTable1 t = PaperTable1.read(TABLE1);
    int checked = 0;
    for (String line : lines) {
      if (line.startsWith("#") || line.startsWith("model,") || line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      RowKey key = f[1].equals("-")
          ? RowKey.baseline(PredictorId.byLabel(f[0]).orElseThrow())
          : RowKey.of(PredictorId.byLabel(f[0]).orElseThrow(), Integer.parseInt(f[1]));
      for (Column c : Column.values()) {
        assertEquals(f[2 + c.ordinal()], LossFormat.paper(t.value(key, c)), line);
        checked++;
      }
    }
    assertEquals(240, checked);
  }

  @Test
  void toTableKeepsFileOrderAndPrintsLikeThePaper() throws IOException {
    Table t = PaperTable1.read(TABLE1).toTable();
    assertEquals(12, t.columnCount());
    assertEquals(24, t.rows().size());
    String md = t.toMarkdown();
    assertTrue(md.contains("| GD++    | 4      | 9.91e-05 |"), md);
    assertTrue(md.contains("| TunedRR | -      |"), md);
  }

  @Test
  void errorsNameSourceLineAndExpectation() {
    assertError("t.csv:1: expected the header", "model,layers,u0\n");
    assertError("t.csv:3: expected 12 comma-separated fields", "# c\n" + HEADER_LINE + "DIAG,3,0.1\n");
    assertError("t.csv:2: expected a model in {GD++, DIAG, FULL, ConstRR, AdaRR, TunedRR}, found 'MLP'",
        HEADER_LINE + "MLP,3,1,1,1,1,1,1,1,1,1,1\n");
    // a predictor with a label but no row in the paper's table
    assertError("t.csv:2: expected a model in {GD++, DIAG, FULL, ConstRR, AdaRR, TunedRR}, found "
        + "'Bayes-optimal'", HEADER_LINE + "Bayes-optimal,-,1,1,1,1,1,1,1,1,1,1\n");
    assertError("t.csv:2: expected layers in 1..7 for DIAG, found '8'",
        HEADER_LINE + "DIAG,8,1,1,1,1,1,1,1,1,1,1\n");
    assertError("t.csv:2: expected layers '-' for baseline AdaRR, found '3'",
        HEADER_LINE + "AdaRR,3,1,1,1,1,1,1,1,1,1,1\n");
    assertError("t.csv:2: expected a non-negative number in column u5, found 'abc'",
        HEADER_LINE + "DIAG,3,1,1,1,1,1,abc,1,1,1,1\n");
    assertError("t.csv:4: expected each (model, layers) once, found DIAG 3 again",
        HEADER_LINE + "DIAG,3,1,1,1,1,1,1,1,1,1,1\n\nDIAG,3,1,1,1,1,1,1,1,1,1,1\n");
    assertError("t.csv:1: expected the header", "");
  }

  @Test
  void errorsFromAFileNameTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path bad = dir.resolve("broken.csv");
    Files.writeString(bad, HEADER_LINE + "GD++,1,-1,1,1,1,1,1,1,1,1,1\n", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PaperTable1.read(bad));
    assertEquals(bad + ":2: expected a non-negative number in column u0, found '-1'", e.getMessage());
  }

  private static void assertError(String expectedPrefix, String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PaperTable1.parse(text, "t.csv"));
    assertTrue(e.getMessage().startsWith(expectedPrefix), e.getMessage());
  }

  @Test
  void rowKeyValidation() {
    assertThrows(IllegalArgumentException.class, () -> RowKey.of(PredictorId.ADA_RR, 2));
    assertThrows(IllegalArgumentException.class, () -> RowKey.baseline(PredictorId.DIAG));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowKey.of(PredictorId.FULL, 0));
    assertTrue(e.getMessage().startsWith("layers"), e.getMessage());
    // a predictor the paper's table has no row for
    e = assertThrows(IllegalArgumentException.class, () -> RowKey.baseline(PredictorId.BAYES));
    assertEquals("Bayes-optimal has no row in the paper's Table 1", e.getMessage());
  }

  /** Our 3-layer DIAG cells for U(0,5) and U(0,0). */
  private static Map<RowKey, Map<Column, Cell.Value>> diag3() {
    Map<Column, Cell.Value> cells = new EnumMap<>(Column.class);
    cells.put(Column.U5, new Cell.Value(0.1183, java.util.OptionalDouble.of(0.0004)));
    cells.put(Column.U0, new Cell.Value(0.020, java.util.OptionalDouble.of(0.001)));
    return Map.of(RowKey.of(PredictorId.DIAG, 3), cells);
  }

  @Test
  void comparisonTableBesideThePaper() throws IOException {
    Table t = PaperTable1.read(TABLE1).comparisonTable(diag3());
    // CSV keeps full doubles: 0.02 - 0.013 is 0.007000000000000001 in IEEE arithmetic.
    assertEquals(""
        + "model,layers,setting,ours,paper,difference,diff/SE,relative,flag\n"
        + "DIAG,3,\"U(0,0)\",0.02,0.013,0.007000000000000001,7.000000000000001,0.5384615384615385,*\n"
        + "DIAG,3,\"U(0,5)\",0.1183,0.118,3.000000000000086e-04,0.7500000000000214,0.0025423728813560053,\n",
        t.toCsv());
    assertTrue(t.toMarkdown().contains(
        "| DIAG  | 3      | U(0,0)  | 0.0200 \u00b1 0.00100 | 0.0130 |    0.00700 |    7.00 |    0.538 | *    |"),
        t.toMarkdown());
    assertFalse(t.toMarkdown().contains("\r"));
  }

  @Test
  void comparisonTableMarksTheCellsItIsToldAreUnstable() throws IOException {
    Table t = PaperTable1.read(TABLE1).comparisonTable(diag3(),
        (row, c) -> c == Column.U5 ? Optional.of("2 of 1000000 sequences") : Optional.empty());
    // an unstable row says what decides it and has no distance in standard errors
    assertEquals(""
        + "model,layers,setting,ours,paper,difference,diff/SE,relative,flag,fragile\n"
        + "DIAG,3,\"U(0,0)\",0.02,0.013,0.007000000000000001,7.000000000000001,0.5384615384615385,*,\n"
        + "DIAG,3,\"U(0,5)\",0.1183,0.118,3.000000000000086e-04,,0.0025423728813560053,,"
        + "2 of 1000000 sequences\n",
        t.toCsv());
  }

  @Test
  void aRoundOffZeroBesideThePapersZeroHasNumbersNotNaN() throws IOException {
    PaperTable1 paper = PaperTable1.read(TABLE1);
    Map<Column, Cell.Value> ada = new EnumMap<>(Column.class);
    ada.put(Column.U0, new Cell.Value(2.31e-29, java.util.OptionalDouble.of(1.03e-30)));
    Map<Column, Cell.Value> tuned = new EnumMap<>(Column.class);
    tuned.put(Column.U0, new Cell.Value(-3.94e-36, java.util.OptionalDouble.of(3.94e-36)));
    Table t = paper.comparisonTable(Map.of(RowKey.baseline(PredictorId.ADA_RR), ada,
        RowKey.baseline(PredictorId.TUNED_RR), tuned));
    assertEquals(""
        + "model,layers,setting,ours,paper,difference,diff/SE,relative,flag\n"
        + "AdaRR,-,\"U(0,0)\",2.31e-29,0,0,0,0,\n"
        + "TunedRR,-,\"U(0,0)\",-3.94e-36,0,0,0,0,\n",
        t.toCsv());
  }
}
