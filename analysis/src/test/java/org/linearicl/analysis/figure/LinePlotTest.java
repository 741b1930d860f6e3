package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.figure.LinePlot.Side;
import org.linearicl.analysis.figure.LinePlot.Style;

class LinePlotTest {
  private static final double[] X = {1, 2, 3, 4};

  private static LinePlot log(double... y) {
    return LinePlot.builder().logY(true).series("s", X, y, Style.MARKERS).build();
  }

  @Test
  void aLogAxisSpansTheDecadesOfTheData() {
    LinePlot p = log(0.9, 0.36, 0.11, 0.047);
    assertEquals(1e-2, p.yRange().min(), 1e-15);
    assertEquals(10, p.yRange().max(), 1e-12, "0.9 keeps a tenth of a decade below 1");
    assertFalse(p.hasOffScale());
  }

  @Test
  void aBlowUpIsOffScaleAtTheTopAndDoesNotSetTheAxis() {
    LinePlot p = log(0.9, 0.36, 0.11, 3e80);
    assertEquals(Side.ABOVE, p.side(3e80));
    assertTrue(p.yRange().max() <= 10, p.yRange().toString());
    assertTrue(p.hasOffScale());
    assertEquals("3e80", p.offScaleLabel(3e80));
    // the legend says what the edge marks mean
    assertTrue(p.legend(Map.of()).stream().anyMatch(e -> e.sample() == Legend.Sample.OFF_SCALE));
  }

  @Test
  void realSmallValuesStayOnTheAxisHoweverManyDecadesTheySpan() {
    // U(0,0): the loss falls three decades per layer, 1 to 1e-21; no gap of six decades
    LinePlot p = LinePlot.builder().logY(true).series("s", new double[] {1, 2, 3, 4, 5, 6, 7},
        new double[] {1.8, 0.2, 1e-3, 1e-6, 1e-9, 1e-14, 1e-21}, Style.MARKERS).build();
    assertFalse(p.hasOffScale());
    assertEquals(1e-22, p.yRange().min(), 1e-37);
  }

  @Test
  void valuesBelowTheFloorAreZeroAtTheBottomEdgeAndDoNotSetTheAxis() {
    // AdaRR's 2.7e-29 on U(0,0) is round-off: with a floor of 1e-24 it is 0
    LinePlot p = LinePlot.builder().logY(true).floor(1e-24)
        .series("model", X, new double[] {1, 0.1, 1e-3, 1e-6}, Style.MARKERS)
        .series("AdaRR", new double[] {1, 4}, new double[] {2.7e-29, 2.7e-29}, Style.LINE)
        .build();
    assertEquals(Side.BELOW, p.side(2.7e-29));
    assertEquals(1e-7, p.yRange().min(), 1e-20);
    assertEquals("~0", p.offScaleLabel(2.7e-29));
    // a value at or below 0 is off the bottom of a log axis too, labelled "0" or "<0": a log
    // axis has no place for it, and -3e-16 printed there would read as a value
    LinePlot q = log(0.5, 0.2, 0, -3e-4);
    assertEquals(Side.BELOW, q.side(0));
    assertEquals(Side.BELOW, q.side(-3e-4));
    assertEquals("0", q.offScaleLabel(0));
    assertEquals("<0", q.offScaleLabel(-3e-4));
    assertEquals(0.1, q.yRange().min(), 1e-15);
  }

  @Test
  void aLinearAxisLeavesOutliersBeyondAThousandTimesTheMedian() {
    LinePlot p = LinePlot.builder().series("s", X, new double[] {0.1, 0.2, 0.3, 1e6},
        Style.LINE).build();
    assertEquals(Side.ABOVE, p.side(1e6));
    assertTrue(p.yRange().max() < 1, p.yRange().toString());
    LinePlot q = LinePlot.builder().series("s", X, new double[] {0.1, -0.2, 0.3, -1e6},
        Style.LINE).build();
    assertEquals(Side.BELOW, q.side(-1e6));
  }

  @Test
  void aFixedRangeMarksEverythingOutsideIt() {
    LinePlot p = LinePlot.builder().yRange(0, 1).series("s", X, new double[] {0.5, 2, -1, 1},
        Style.LINE).build();
    assertEquals(Side.IN, p.side(1));
    assertEquals(Side.ABOVE, p.side(2));
    assertEquals(Side.BELOW, p.side(-1));
  }

  @Test
  void logTicksAreDecadesWhoseLabelsNeverOverlap() {
    double label = Palette.height(Palette.TICKS) + 2;
    for (double length = 40; length <= 400; length += 7) {
      for (int lo : new int[] {-30, -21, -3, 0}) {
        for (int hi = lo + 1; hi <= 82; hi += 9) {
          List<Integer> ticks = Axis.decades(lo, hi, length, label);
          assertFalse(ticks.isEmpty() && hi - lo < 3, lo + ".." + hi);
          for (int i = 1; i < ticks.size(); i++) {
            double gap = (ticks.get(i) - ticks.get(i - 1)) * length / (hi - lo);
            assertTrue(gap >= label + Axis.LABEL_GAP, lo + ".." + hi + " in " + length + ": "
                + ticks);
          }
        }
      }
    }
    assertEquals(List.of(-3, -2, -1, 0, 1), Axis.decades(-3, 1, 200, label));
  }

  @Test
  void linearTicksKeepTheirLabelsApartAndShort() {
    for (double length = 60; length <= 500; length += 11) {
      double[] t = Axis.linear(-0.83, 0.49, length, Palette.TICKS, true, false);
      double step = Axis.step(t);
      double widest = 0;
      for (double v : t) {
        String l = Axis.label(v, step);
        assertTrue(l.length() <= 5, l);
        assertFalse(l.equals("-0"), l);
        widest = Math.max(widest, Palette.width(l, Palette.TICKS));
      }
      assertTrue(step / 1.32 * length >= widest + Axis.LABEL_GAP, length + ": " + step);
    }
    double[] layers = Axis.linear(0.5, 7.5, 200, Palette.TICKS, true, true);
    for (double v : layers) {
      assertEquals(Math.rint(v), v, "whole layers only");
    }
    assertEquals("0.2", Axis.label(0.6000000000000001 - 0.4, 0.6000000000000001 - 0.4));
  }

  @Test
  void anOffScalePointIsDrawnAtTheEdgeInItsColour() throws IOException {
    LinePlot p = LinePlot.builder().logY(true).size(230, 170)
        .series(new LinePlot.Series("blow-up", X, new double[] {0.5, 0.2, 1e80, 0.1}, null,
            Style.MARKERS, 0))
        .build();
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(FigureWriter.png(List.of(p), 1)));
    Rectangle2D a = p.dataArea();
    double s = FigureWriter.DPI / 72.0;
    Color blue = Palette.look(0).color();
    boolean found = false;
    int x = (int) Math.round((a.getX() + (3 - 1.0) / 3 * a.getWidth()) * s);
    for (int dy = 0; dy < 10 * s && !found; dy++) {
      for (int dx = -4; dx <= 4; dx++) {
        found |= (img.getRGB(x + dx, (int) (a.getY() * s) + dy) & 0xFFFFFF)
            == (blue.getRGB() & 0xFFFFFF);
      }
    }
    assertTrue(found, "a blue triangle just inside the top edge above x = 3");
  }

  @Test
  void offScaleAndColourBarNumbersAreShort() {
    assertEquals("3e80", Axis.compact(3e80));
    assertEquals("1.3e132", Axis.compact(1.3e132));
    assertEquals("-730", Axis.compact(-730.4));
    assertEquals("0.36", Axis.compact(0.3612));
    assertEquals("-3e-4", Axis.compact(-3e-4));
    assertEquals("5.26", Axis.significant(5.26129569171334, 3));
    assertEquals("0.572", Axis.significant(0.5724, 3));
    assertEquals("2.5e-7", Axis.significant(2.5e-7, 3));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().build());
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder()
        .series("a", X, X, Style.LINE).series("a", X, X, Style.LINE));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.Series.of("a", X,
        new double[] {1, 2}, Style.LINE));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().logY(true)
        .yRange(0, 1).series("a", X, X, Style.LINE).build());
  }

  @Test
  void aCurveOnAnotherIsLiftedAndNamed() throws Exception {
    double[] x = {0, 1, 2, 3};
    LinePlot p = LinePlot.builder().logY(true)
        .series("ConstRR", x, new double[] {1, 0.5, 0.2, 0.4}, Style.LINE)
        .series("GD++", x, new double[] {1, 0.5, 0.2, 0.4000001}, Style.LINE_AND_MARKERS)
        .series("Bayes", x, new double[] {0.1, 0.05, 0.02, 0.04}, Style.LINE).build();
    assertEquals(java.util.List.of("GD++ over ConstRR"), p.coincident());
    byte[] svg = FigureWriter.svg(java.util.List.of(p), 1);
    assertTrue(SvgChecks.identicalCurves(svg).isEmpty());
    // curves that meet at one point of four are not lifted
    LinePlot crossing = LinePlot.builder().series("a", x, new double[] {1, 2, 3, 4}, Style.LINE)
        .series("b", x, new double[] {1, 2.5, 3.5, 4.5}, Style.LINE).build();
    assertTrue(crossing.coincident().isEmpty(), crossing.coincident().toString());
    // and the check of the SVG sees a curve drawn exactly on another
    String two = "<svg viewBox='0 0 10 10'><g style='stroke:rgb(1,2,3)'><path d='M0,0L1,1L2,2L3,3'/>"
        + "</g><g style='stroke:rgb(4,5,6)'><path d='M0,0L1,1L2,2L3,3'/></g></svg>";
    assertEquals(1, SvgChecks.identicalCurves(two.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)).size());
  }

  @Test
  void offScaleTextsStandOutsideTheFrame() throws Exception {
    LinePlot p = LinePlot.builder().logY(true)
        .series("DIAG", new double[] {1, 2, 3, 4}, new double[] {0.5, 0.2, 0.1, 1.4e132},
            Style.LINE_AND_MARKERS).build();
    assertEquals(Side.ABOVE, p.side(1.4e132));
    java.awt.geom.Rectangle2D a = p.dataArea();
    LinePlot plain = LinePlot.builder().logY(true)
        .series("DIAG", new double[] {1, 2, 3}, new double[] {0.5, 0.2, 0.1},
            Style.LINE_AND_MARKERS).build();
    // a strip above the frame holds "1.4e132": the frame starts lower than without it
    assertTrue(a.getY() > plain.dataArea().getY(), a + " vs " + plain.dataArea());
    byte[] svg = FigureWriter.svg(java.util.List.of(p), 1);
    String text = new String(svg, java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("y='([0-9.]+)'[^>]*>1.4e132<")
        .matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Double.parseDouble(m.group(1)) <= a.getY(), "the value's text is above the frame");
    assertTrue(SvgChecks.textOutside(svg).isEmpty(), SvgChecks.textOutside(svg).toString());
  }

  @Test
  void endLabelsNameTheCurvesInsteadOfTheLegend() throws Exception {
    double[] x = {0, 1, 2};
    LinePlot.Builder b = LinePlot.builder().logY(true).endLabels();
    for (int l = 1; l <= 7; l++) {
      b.series(l + " layers", x, new double[] {1, 0.5, 0.1 + 0.001 * l}, Style.LINE);
    }
    LinePlot p = b.build();
    assertTrue(p.legend(Map.of()).isEmpty());
    String svg = new String(FigureWriter.svg(List.of(p), 1),
        java.nio.charset.StandardCharsets.UTF_8);
    for (int l = 1; l <= 7; l++) {
      assertTrue(svg.contains(">" + l + " layers<"), svg);
    }
    // seven ends within 1% of one another: the names are pushed apart, all inside the panel
    assertTrue(SvgChecks.textOutside(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEmpty());
    assertTrue(p.dataArea().getMaxX() < p.width() - 30, "room right of the frame");
  }

  /** The x of the first bar of each error-bar path (a path of three moves or more) of a plot. */
  private static List<Double> barXs(LinePlot p) {
    String svg = new String(FigureWriter.svg(List.of(p), 1),
        java.nio.charset.StandardCharsets.UTF_8);
    List<Double> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" d='(M[^']*)'").matcher(svg);
    while (m.find()) {
      String d = m.group(1);
      if (d.split("M").length > 3) {
        out.add(Double.parseDouble(d.substring(1, d.indexOf(','))));
      }
    }
    return out;
  }

  @Test
  void dodgedErrorBarsStandSideBySideInTheSeriesOrder() {
    double[] x = {1, 2};
    double[] e = {0.05, 0.05};
    java.util.function.DoubleFunction<LinePlot> plot = dodge -> LinePlot.builder()
        .yRange(0, 1).dodgeErrorBars(dodge)
        .series("a", x, new double[] {0.2, 0.3}, e, Style.LINE_AND_MARKERS)
        .series("b", x, new double[] {0.5, 0.6}, e, Style.LINE_AND_MARKERS)
        .series("c", x, new double[] {0.8, 0.7}, e, Style.LINE_AND_MARKERS).build();
    List<Double> at = barXs(plot.apply(0));
    List<Double> dodged = barXs(plot.apply(4));
    assertEquals(3, at.size(), at.toString());
    assertEquals(at.get(0), at.get(2), 0.01, "undodged: one x");
    // the 3 series' bars: 4 pt left, in place, 4 pt right (the SVG keeps 2 decimals)
    for (int i = 0; i < 3; i++) {
      assertEquals(at.get(i) + 4 * (i - 1), dodged.get(i), 0.01, "series " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().dodgeErrorBars(-1));
  }
}
