package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;

class HeatMapTest {

  @Test
  void scaleIsSymmetricAroundZero() {
    HeatMap h = HeatMap.builder(new double[][] {{0.5, -2.0}, {1.0, 0.0}}).build();
    assertEquals(2.0, h.scale());
    HeatMapChart chart = h.toChart();
    assertEquals(-2.0, chart.getStyler().getMin());
    assertEquals(2.0, chart.getStyler().getMax());
    assertEquals(HeatMap.ZERO, chart.getStyler().getRangeColors()[1]);
    assertEquals(3, HeatMap.builder(new double[][] {{1}}).scale(3).build().scale());
    assertEquals(1, HeatMap.builder(new double[][] {{0, 0}}).build().scale(), "all zero: a unit scale");
  }

  @Test
  void rowZeroIsDrawnAtTheTop() {
    HeatMapChart chart = HeatMap.builder(new double[][] {{1, 2}, {3, 4}, {5, 6}})
        .rowLabels(List.of("a", "b", "c"))
        .build()
        .toChart();
    // XChart puts y index 0 at the bottom, so the last row goes first.
    assertEquals(List.of("c", "b", "a"), chart.getHeatMapSeries().getYData());
    List<? extends Number[]> heat = chart.getHeatMapSeries().getHeatData();
    assertEquals(6, heat.size());
    Number[] first = heat.get(0); // matrix[0][0] = 1 at x 0, y index 2 (top)
    assertEquals(0, first[0].intValue());
    assertEquals(2, first[1].intValue());
    assertEquals(1.0, first[2].doubleValue());
  }

  @Test
  void validationNamesTheProblem() {
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> HeatMap.builder(new double[][] {{1, 2}, {3}}));
    assertTrue(ragged.getMessage().contains("rectangular"), ragged.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> HeatMap.builder(new double[][] {{Double.NaN}}));
    assertTrue(nan.getMessage().contains("[0][0]"), nan.getMessage());
    IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
        () -> HeatMap.builder(new double[][] {{1, 2}}).columnLabels(List.of("x")));
    assertTrue(labels.getMessage().startsWith("columnLabels"), labels.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HeatMap.builder(new double[][] {{1}}).scale(0));
  }
}
