package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlankTest {
  @Test
  void aBlankCellKeepsTheGridAndShowsItsNoteInside() throws Exception {
    LinePlot p = FigureWriterTest.profile();
    Blank b = new Blank("no FULL model with 3 layers", p.width(), p.height());
    FigureWriter.Sheet sheet = FigureWriter.Sheet.of(List.of(p, b, p, p), 2);
    // two rows of two cells: the blank takes its cell, the next panel starts the second row
    assertEquals(2 * p.width(), sheet.width());
    assertTrue(sheet.height() >= 2 * p.height(), sheet.height() + " pt");
    byte[] svg = FigureWriter.svg(sheet);
    assertTrue(new String(svg, StandardCharsets.UTF_8).contains("no FULL model with 3 layers"));
    assertEquals(List.of(), SvgChecks.textOutside(svg));
    assertTrue(b.series().isEmpty() && b.legend(sheet.slots()).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new Blank("x", 0, 10));
  }
}
