package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotedFieldsKeepTheirCommasAndDoubledQuotes() {
    assertEquals(List.of(List.of("model", "setting", "note"), List.of("DIAG", "U(0,5)",
        "a \"b\", c"), List.of("", "", "")),
        Csv.parse("model,setting,note\nDIAG,\"U(0,5)\",\"a \"\"b\"\", c\"\n,,\n"));
  }

  @Test
  void everyLineEndingEndsARecordAndEmptyLinesAreSkipped() {
    List<List<String>> want = List.of(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
    assertEquals(want, Csv.parse("a,b\r\n1,2\n\n3,4"));
    assertEquals(want, Csv.parse("a,b\r1,2\r\n3,4\r\n"));
    assertEquals(List.of(), Csv.parse("\n\n"));
  }

  /** What {@link Table#toCsv()} writes reads back field for field. */
  @Test
  void readsBackWhatATableWrites() {
    Table t = Table.builder("", "name", "value").row(Cell.text("x, \"y\""), Cell.of(0.25))
        .row(Cell.text(" padded "), Cell.empty()).row(Cell.text(""), Cell.text("")).build();
    assertEquals(List.of(List.of("name", "value"), List.of("x, \"y\"", "0.25"),
        List.of(" padded ", ""), List.of("", "")), Csv.parse(t.toCsv()));
  }
}
