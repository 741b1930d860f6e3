package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatMapTest {
  private static final List<String> LABELS = List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7",
      "x8", "x9", "x10", "y");

  static HeatMap row() {
    double[][] a = new double[11][11];
    double[][] b = new double[11][11];
    for (int i = 0; i < 11; i++) {
      a[i][i] = 0.3;
      b[i][i] = -5.26129569171334;
    }
    return HeatMap.builder().matrix("P, layer 1", a).matrix("P, layer 2", b)
        .rowLabels(LABELS).columnLabels(LABELS).build();
  }

  @Test
  void oneSymmetricScaleForTheRowWithShortLabels() {
    HeatMap h = row();
    assertEquals(5.26129569171334, h.scale(), 0);
    assertEquals(List.of("-5.26", "-2.63", "0", "2.63", "5.26"), h.barLabels());
    assertEquals(Color.WHITE, h.color(0));
    Color neg = h.color(-h.scale());
    Color pos = h.color(h.scale());
    assertTrue(neg.getBlue() > neg.getRed(), "negative is blue");
    assertTrue(pos.getRed() > pos.getBlue(), "positive is red");
  }

  @Test
  void cellsAreSquareAndWideEnoughForTheColumnLabels() {
    HeatMap h = row();
    assertTrue(h.cell() >= Palette.width("x10", Palette.SMALL) + 2, "labels do not overlap");
    // the matrices and the one colour bar fit side by side: width grows with the matrices
    assertTrue(h.width() > 2 * 11 * h.cell());
    assertTrue(h.height() > 11 * h.cell() && h.height() < 11 * h.cell() + 60,
        "height is the matrix plus a title and a label row");
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(IllegalArgumentException.class, () -> HeatMap.builder()
        .matrix("a", new double[2][2]).matrix("b", new double[3][3]));
    assertThrows(IllegalArgumentException.class, () -> HeatMap.builder()
        .matrix("a", new double[2][2]).rowLabels(LABELS).build());
    assertThrows(IllegalArgumentException.class, () -> HeatMap.builder().build());
    assertThrows(IllegalArgumentException.class, () -> HeatMap.builder()
        .matrix("a", new double[][] {{Double.NaN}}));
  }
}
