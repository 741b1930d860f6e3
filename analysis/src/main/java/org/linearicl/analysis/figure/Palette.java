package org.linearicl.analysis.figure;

import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Fixed colours, markers and fonts shared by the figures, so every figure looks alike. */
final class Palette {
  private Palette() {}

  /** Okabe and Ito's colour-blind-safe palette, yellow left out (it vanishes on white). */
  static final Color[] SERIES_COLORS = {
    new Color(0x00, 0x72, 0xB2), // blue
    new Color(0xD5, 0x5E, 0x00), // vermillion
    new Color(0x00, 0x9E, 0x73), // bluish green
    new Color(0xCC, 0x79, 0xA7), // reddish purple
    new Color(0xE6, 0x9F, 0x00), // orange
    new Color(0x56, 0xB4, 0xE9), // sky blue
    new Color(0x00, 0x00, 0x00), // black
  };

  static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
    SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.PLUS, SeriesMarkers.TRAPEZOID,
  };

  /** The marker of a flagged point ({@link LinePlot.Style#FLAGGED}): no slot uses it. */
  static final Marker FLAG = SeriesMarkers.CROSS;

  /** Translucent grey of the in-distribution band: grid lines stay visible through it. */
  static final Color BAND = new Color(120, 120, 120, 50);

  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
  static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
  static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  /** Common style: white background, fixed fonts, {@link Locale#ROOT} for tick labels. */
  static void apply(Styler s) {
    s.setLocale(Locale.ROOT);
    s.setChartBackgroundColor(Color.WHITE);
    s.setChartTitleFont(TITLE);
    s.setLegendFont(LEGEND);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setAntiAlias(true);
  }

  static Color color(int i) {
    return SERIES_COLORS[Math.floorMod(i, SERIES_COLORS.length)];
  }

  static Marker marker(int i) {
    return MARKERS[Math.floorMod(i, MARKERS.length)];
  }
}
