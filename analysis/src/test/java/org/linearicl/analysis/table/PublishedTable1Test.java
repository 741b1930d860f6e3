package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.table.PaperTable1.Column;
import org.linearicl.analysis.table.PaperTable1.RowKey;
import org.linearicl.analysis.table.PublishedTable1.Compared;
import org.linearicl.analysis.table.PublishedTable1.Verdict;
import org.linearicl.baselines.PredictorId;

class PublishedTable1Test {
  static final String COMPARISON = """
      model,layers,setting,ours,paper,difference,diff/SE,relative,flag,fragile
      GD++,1,"U(0,5)",0.96,0.907,0.053,1.3,0.058,,
      DIAG,2,"U(0,5)",0.10,0.242,-0.14,-14.2,-0.58,*,
      AdaRR,-,"U(0,5)",0.0405,0.068,-0.027,,-0.40,*,about 10 of 5000 sequences
      TunedRR,-,"{1,3}",0.02,0.021,-0.001,,-0.05,,2 of 5000 sequences
      """;

  @Test
  void eachLineWithItsVerdict() {
    List<Compared> rows = PublishedTable1.comparison(COMPARISON);
    assertEquals(List.of(Verdict.MATCH, Verdict.OFF, Verdict.FRAGILE, Verdict.FRAGILE),
        rows.stream().map(Compared::verdict).toList());
    assertEquals(List.of("match", "off", "fragile"), List.of(Verdict.MATCH.text(),
        Verdict.OFF.text(), Verdict.FRAGILE.text()));
    Compared ada = rows.get(2);
    assertEquals("AdaRR|-|U(0,5)", ada.key());
    assertEquals(0.0405, ada.ours());
    assertEquals(0.068, ada.paper());
    assertEquals(OptionalDouble.empty(), ada.differenceInSe());
    assertTrue(ada.flagged());
    assertEquals("about 10 of 5000 sequences", ada.fragile());
    assertEquals(OptionalDouble.of(-14.2), rows.get(1).differenceInSe());
    assertEquals("{1,3}", rows.get(3).setting());
  }

  /** A file with the seeds column the table1 stage adds reads as one without it. */
  @Test
  void theSeedsColumnIsReadAlike() {
    String[] lines = COMPARISON.split("\n");
    StringBuilder withSeeds = new StringBuilder(lines[0] + ",seeds\n");
    for (int i = 1; i < lines.length; i++) {
      withSeeds.append(lines[i]).append(i <= 2 ? ",2\n" : ",\n");
    }
    assertEquals(PublishedTable1.comparison(COMPARISON),
        PublishedTable1.comparison(withSeeds.toString()));
    assertError("a line of 10 fields; expected 11 (model,layers,setting,ours,paper,difference,"
        + "diff/SE,relative,flag,fragile,seeds)", () -> PublishedTable1.comparison(
            lines[0] + ",seeds\n" + lines[1] + "\n"));
  }

  /** What the table1 stage writes reads back with the verdict its flag and fragility give. */
  @Test
  void readsBackTheComparisonTable() throws IOException {
    PaperTable1 paper = PaperTable1.read(PaperTable1Test.TABLE1);
    Map<Column, Cell.Value> diag = new EnumMap<>(Column.class);
    diag.put(Column.U0, new Cell.Value(0.020, OptionalDouble.of(0.001)));
    diag.put(Column.U5, new Cell.Value(0.1183, OptionalDouble.of(0.0004)));
    diag.put(Column.C13, new Cell.Value(0.5, OptionalDouble.of(0.2)));
    Map<RowKey, Map<Column, Cell.Value>> ours = new LinkedHashMap<>();
    ours.put(RowKey.of(PredictorId.DIAG, 3), diag);
    String csv = paper.comparisonTable(ours, (row, c) -> c == Column.C13
        ? Optional.of("2 of 1000000 sequences") : Optional.empty()).toCsv();
    List<Compared> rows = PublishedTable1.comparison(csv);
    assertEquals(List.of("DIAG|3|U(0,0)", "DIAG|3|U(0,5)", "DIAG|3|{1,3}"),
        rows.stream().map(Compared::key).toList());
    assertEquals(List.of(Verdict.OFF, Verdict.MATCH, Verdict.FRAGILE),
        rows.stream().map(Compared::verdict).toList());
    assertEquals(0.1183, rows.get(1).ours());
    assertEquals(paper.value(RowKey.of(PredictorId.DIAG, 3), Column.U5), rows.get(1).paper());
  }

  @Test
  void standardErrorsByCellKey() {
    Map<String, Double> se = PublishedTable1.standardErrors("""
        model,layers,u0,u1,u2,u3,u4,u5,u6,u7,c13,c135
        GD++,1,0.5,,,,,0.0414,,,,
        AdaRR,-,,,,,,,,,0.0126,
        """);
    assertEquals(List.of("GD++|1|U(0,0)", "GD++|1|U(0,5)", "AdaRR|-|{1,3}"),
        List.copyOf(se.keySet()));
    assertEquals(0.0414, se.get("GD++|1|U(0,5)"));
    assertFalse(se.containsKey("GD++|1|U(0,1)"));
  }

  @Test
  void malformedTablesSayWhatWasExpected() {
    assertError("empty; expected a header and rows", () -> PublishedTable1.comparison("\n"));
    assertError("header [model, layers]; expected the table1 stage's comparison table",
        () -> PublishedTable1.comparison("model,layers\nDIAG,3\n"));
    assertError("a line of 3 fields; expected 10 (model,layers,setting,ours,paper,difference,"
        + "diff/SE,relative,flag,fragile)", () -> PublishedTable1.comparison(
            String.join(",", PublishedTable1.COMPARISON_HEADER) + "\nDIAG,3,x\n"));
    assertError("'abc' is not a number; expected the table1 stage's table",
        () -> PublishedTable1.comparison(COMPARISON.replace("0.96", "abc")));
    assertError("unknown column key: u9", () -> PublishedTable1.standardErrors(
        "model,layers,u9\nDIAG,3,0.1\n"));
  }

  private static void assertError(String message, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(message, e.getMessage());
  }
}
