package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {

  /** Two models, a text column, numbers with and without standard errors, an empty cell. */
  private static Table sample() {
    return Table.builder("Adjusted loss, U(0,5)", "model", "layers", "loss", "paper")
        .row(Cell.text("DIAG"), Cell.text("3"), Cell.of(0.1183, 0.00041), Cell.of(0.118))
        .row(Cell.text("GD++"), Cell.text("4"), Cell.of(9.91e-05, 2.2e-06), Cell.empty())
        .build();
  }

  @Test
  void markdownGolden() {
    String expected = ""
        + "**Adjusted loss, U(0,5)**\n"
        + "\n"
        + "| model | layers |                loss | paper |\n"
        + "| ----- | ------ | ------------------: | ----: |\n"
        + "| DIAG  | 3      |    0.118 \u00b1 4.10e-04 | 0.118 |\n"
        + "| GD++  | 4      | 9.91e-05 \u00b1 2.20e-06 |       |\n";
    assertEquals(expected, sample().toMarkdown());
  }

  @Test
  void csvGolden() {
    String expected = ""
        + "model,layers,loss,paper\n"
        + "DIAG,3,0.1183,0.118\n"
        + "GD++,4,9.91e-05,\n";
    assertEquals(expected, sample().toCsv());
  }

  @Test
  void standardErrorTableGolden() {
    Table se = sample().standardErrors();
    assertEquals("Adjusted loss, U(0,5) (standard errors)", se.title());
    assertEquals("model,layers,loss,paper\nDIAG,3,4.1e-04,\nGD++,4,2.2e-06,\n", se.toCsv());
    assertTrue(sample().hasStandardErrors());
    assertFalse(se.hasStandardErrors());
  }

  @Test
  void csvQuotingFollowsRfc4180() {
    assertEquals("plain", Table.csvField("plain"));
    assertEquals("\"a,b\"", Table.csvField("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", Table.csvField("say \"hi\""));
    assertEquals("\" padded \"", Table.csvField(" padded "));
    assertEquals("", Table.csvField(""));
    Table t = Table.builder("", "name, with comma", "q\"uote").row(Cell.text("{1,3}"), Cell.text("x")).build();
    assertEquals("\"name, with comma\",\"q\"\"uote\"\n\"{1,3}\",x\n", t.toCsv());
    Table one = Table.builder("", "only").row(Cell.empty()).build();
    assertEquals("only\n\"\"\n", one.toCsv());
  }

  @Test
  void markdownEscapesPipesAndLeftAlignsTextColumns() {
    Table t = Table.builder("", "a|b", "n").row(Cell.text("x|y"), Cell.of(0)).build();
    assertEquals("| a\\|b |   n |\n| ---- | --: |\n| x\\|y |   0 |\n",
        t.toMarkdown());
  }

  @Test
  void renderingIsDeterministicAndLfOnly() {
    String md = sample().toMarkdown();
    assertEquals(md, sample().toMarkdown());
    assertFalse(md.contains("\r"));
    assertTrue(md.endsWith("\n"));
    assertTrue(sample().toCsv().endsWith("\n"));
  }

  @Test
  void validationNamesTheField() {
    IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
        () -> Table.builder("t", "a", "b").row(Cell.text("x")).build());
    assertTrue(wrongWidth.getMessage().contains("rows[0]"), wrongWidth.getMessage());
    IllegalArgumentException noHeaders = assertThrows(IllegalArgumentException.class,
        () -> new Table("t", List.of(), List.of()));
    assertTrue(noHeaders.getMessage().contains("headers"), noHeaders.getMessage());
    IllegalArgumentException badSe = assertThrows(IllegalArgumentException.class, () -> Cell.of(1, -0.1));
    assertTrue(badSe.getMessage().contains("standardError"), badSe.getMessage());
    IllegalArgumentException lineBreak = assertThrows(IllegalArgumentException.class, () -> Cell.text("a\nb"));
    assertTrue(lineBreak.getMessage().contains("text"), lineBreak.getMessage());
  }

  @Test
  void writerWritesMarkdownCsvAndStandardErrors(@TempDir Path dir) throws IOException {
    Path base = dir.resolve("sub").resolve("table1");
    TableWriter.write(sample(), base);
    assertEquals(sample().toMarkdown(), Files.readString(dir.resolve("sub/table1.md"), StandardCharsets.UTF_8));
    assertEquals(sample().toCsv(), Files.readString(dir.resolve("sub/table1.csv"), StandardCharsets.UTF_8));
    assertEquals(sample().standardErrors().toCsv(),
        Files.readString(dir.resolve("sub/table1.se.csv"), StandardCharsets.UTF_8));
    try (var files = Files.list(dir.resolve("sub"))) {
      assertEquals(3, files.count(), "no temporary files left behind");
    }
  }
}
