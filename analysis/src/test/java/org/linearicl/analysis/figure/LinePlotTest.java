package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.linearicl.analysis.figure.LinePlot.Style;

class LinePlotTest {

  @Test
  void logAxisRangeIsTheEnclosingDecades() {
    LinePlot.Range r = FigureWriterTest.lossVsLayers().yRange();
    assertEquals(0.01, r.min(), 1e-18);
    assertEquals(1.0, r.max(), 1e-15);
  }

  @Test
  void linearRangeIsPaddedAndXRangeCoversTheBand() {
    LinePlot p = LinePlot.builder()
        .series("a", new double[] {1, 2}, new double[] {0, 10}, Style.LINE)
        .band(0, 5, "in distribution")
        .build();
    assertEquals(-0.5, p.yRange().min(), 1e-12);
    assertEquals(10.5, p.yRange().max(), 1e-12);
    assertEquals(0, p.xRange().min());
    assertEquals(5, p.xRange().max());
  }

  @Test
  void aBlownUpCurveIsLeftOffTheLinearRangeAndThePlotStillRenders() {
    // a blown-up 8-layer model of the ci profile: 7e68 at one sigma; XChart's tick labelling
    // never returned on the range this used to produce
    LinePlot p = LinePlot.builder().title("FULL, 8 layers")
        .series("baseline", new double[] {0, 1, 2}, new double[] {0.1, 0.2, 0.3}, Style.LINE)
        .series("model", new double[] {0, 1, 2}, new double[] {0.2, 0.4, 7.4e68}, Style.LINE)
        .build();
    assertTrue(p.clipsOutliers());
    assertEquals(0.4 + 0.05 * 0.3, p.yRange().max(), 1e-12);
    XYChart chart = p.toChart();
    assertTrue(chart.getTitle().endsWith("(off-scale values not shown)"), chart.getTitle());
    assertTrue(FigureWriter.png(chart).length > 0);
    assertTrue(!LinePlot.builder()
        .series("a", new double[] {1, 2}, new double[] {0, 10}, Style.LINE).build()
        .clipsOutliers());
  }

  @Test
  void aSlotFixesTheColourAndFlaggedPointsAreAnXInIt() {
    XYChart chart = LinePlot.builder()
        .series(LinePlot.Series.of("b", new double[] {1}, new double[] {1}, Style.MARKERS)
            .inSlot(1))
        .series(LinePlot.Series.of("b flagged", new double[] {2}, new double[] {2},
            Style.FLAGGED).inSlot(1))
        .series("c", new double[] {3}, new double[] {3}, Style.MARKERS)
        .build().toChart();
    java.util.Map<String, XYSeries> byName = new java.util.HashMap<>();
    chart.getSeriesCollection().forEach(x -> byName.put(x.getName(), x));
    assertEquals(Palette.color(1), byName.get("b").getMarkerColor());
    assertEquals(Palette.marker(1), byName.get("b").getMarker());
    assertEquals(Palette.color(1), byName.get("b flagged").getMarkerColor());
    assertEquals(Palette.FLAG, byName.get("b flagged").getMarker());
    // without a slot a series takes its position: the third
    assertEquals(Palette.color(2), byName.get("c").getMarkerColor());
    for (int i = 0; i < Palette.MARKERS.length; i++) {
      assertTrue(Palette.marker(i) != Palette.FLAG, "slot " + i + " must not look flagged");
    }
    assertThrows(IllegalArgumentException.class,
        () -> LinePlot.Series.of("d", new double[] {1}, new double[] {1}, Style.LINE).inSlot(-2));
  }

  @Test
  void bandIsAPolygonSeriesDrawnFirstOverTheWholeHeight() {
    LinePlot p = FigureWriterTest.profile();
    XYChart chart = p.toChart();
    XYSeries band = chart.getSeriesCollection().iterator().next();
    assertEquals("in distribution", band.getName());
    assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle().orElseThrow());
    assertTrue(band.getYData()[0] < p.yRange().min(), "below the axis range");
    assertTrue(band.getYData()[1] > p.yRange().max(), "above the axis range");
    assertEquals(0, band.getXData()[0]);
    assertEquals(5, band.getXData()[2]);
    assertEquals(3, chart.getSeriesCollection().size());
  }

  @Test
  void tickPatternsAndLocaleAreFixed() {
    XYChart log = FigureWriterTest.lossVsLayers().toChart();
    assertEquals("0E0", log.getStyler().getYAxisDecimalPattern());
    assertEquals("0.##", log.getStyler().getXAxisDecimalPattern());
    assertEquals(Locale.ROOT, log.getStyler().getLocale());
    XYChart lin = FigureWriterTest.profile().toChart();
    assertEquals("0.###", lin.getStyler().getYAxisDecimalPattern());
  }

  @Test
  void validationNamesSeriesAndPoint() {
    IllegalArgumentException nonPositive = assertThrows(IllegalArgumentException.class, () -> LinePlot.builder()
        .logY(true)
        .series("DIAG", new double[] {1, 2}, new double[] {0.1, -1e-9}, Style.MARKERS)
        .build());
    assertTrue(nonPositive.getMessage().contains("'DIAG'") && nonPositive.getMessage().contains("point 1"),
        nonPositive.getMessage());
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> LinePlot.Series.of("s", new double[] {1, 2}, new double[] {1}, Style.LINE));
    assertTrue(lengths.getMessage().contains("y has 1 values"), lengths.getMessage());
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new LinePlot.Series("s", new double[] {1}, new double[] {1}, new double[] {-1}, Style.LINE));
    assertTrue(error.getMessage().contains("yError"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder()
        .series("s", new double[] {1}, new double[] {1}, Style.LINE)
        .series("s", new double[] {2}, new double[] {2}, Style.LINE));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().build());
    IllegalArgumentException band = assertThrows(IllegalArgumentException.class,
        () -> LinePlot.builder().band(5, 0, "x"));
    assertTrue(band.getMessage().startsWith("band"), band.getMessage());
  }

  @Test
  void seriesArraysAreCopied() {
    double[] y = {1, 2};
    LinePlot.Series s = LinePlot.Series.of("s", new double[] {0, 1}, y, Style.LINE);
    y[0] = 99;
    assertEquals(1, s.y()[0]);
  }
}
