package org.linearicl.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.font.FontRenderContext;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Colours, markers, dashes and fonts shared by the figures, so every figure looks alike.
 *
 * <p>A series is drawn in a <em>slot</em>: slot {@code i} has colour {@code i mod 8} (Okabe and
 * Ito's colour-blind-safe palette without its yellow, which vanishes on white, and a wine red),
 * marker {@code i mod 8} and dash pattern {@code i / 8} (solid, dashed, dotted): slots 0..23
 * differ in colour or dash, and the eight of one dash also in marker. {@link #assign} gives the series of one figure their
 * slots so that no two series of a figure look alike.
 */
public final class Palette {
  private Palette() {}

  static final Color[] COLORS = {
    new Color(0x00, 0x72, 0xB2), // blue
    new Color(0xD5, 0x5E, 0x00), // vermillion
    new Color(0x00, 0x9E, 0x73), // bluish green
    new Color(0xCC, 0x79, 0xA7), // reddish purple
    new Color(0xE6, 0x9F, 0x00), // orange
    new Color(0x56, 0xB4, 0xE9), // sky blue
    new Color(0x00, 0x00, 0x00), // black
    new Color(0x88, 0x22, 0x55), // wine (Tol's muted scheme), an eighth colour for 8 layers
  };

  /** The distinct looks: 8 colours x 3 dash patterns. */
  public static final int DISTINCT = 24;

  /** Marker shapes; {@link Marker#CROSS} is kept for flagged points. */
  public enum Marker {
    CIRCLE, SQUARE, DIAMOND, TRIANGLE_UP, TRIANGLE_DOWN, TRIANGLE_LEFT, TRIANGLE_RIGHT, HEXAGON,
    CROSS;

    /** The marker centred on (x, y), {@code size} points across. */
    Shape at(double x, double y, double size) {
      double r = size / 2;
      return switch (this) {
        case CIRCLE -> new Ellipse2D.Double(x - r, y - r, size, size);
        case SQUARE -> new Rectangle2D.Double(x - r * 0.85, y - r * 0.85, size * 0.85, size * 0.85);
        case DIAMOND -> polygon(x, y, r * 1.15, 4, 90);
        case TRIANGLE_UP -> polygon(x, y, r * 1.15, 3, 90);
        case TRIANGLE_DOWN -> polygon(x, y, r * 1.15, 3, -90);
        case TRIANGLE_LEFT -> polygon(x, y, r * 1.15, 3, 180);
        case TRIANGLE_RIGHT -> polygon(x, y, r * 1.15, 3, 0);
        case HEXAGON -> polygon(x, y, r * 1.05, 6, 0);
        case CROSS -> cross(x, y, r);
      };
    }

    private static Shape polygon(double x, double y, double r, int corners, double startDeg) {
      Path2D.Double p = new Path2D.Double();
      for (int k = 0; k < corners; k++) {
        double a = Math.toRadians(startDeg + 360.0 * k / corners);
        double px = x + r * Math.cos(a);
        double py = y - r * Math.sin(a);
        if (k == 0) {
          p.moveTo(px, py);
        } else {
          p.lineTo(px, py);
        }
      }
      p.closePath();
      return p;
    }

    private static Shape cross(double x, double y, double r) {
      double w = r * 0.35;
      Path2D.Double p = new Path2D.Double();
      p.moveTo(x - r, y - r + w);
      p.lineTo(x - r + w, y - r);
      p.lineTo(x, y - w);
      p.lineTo(x + r - w, y - r);
      p.lineTo(x + r, y - r + w);
      p.lineTo(x + w, y);
      p.lineTo(x + r, y + r - w);
      p.lineTo(x + r - w, y + r);
      p.lineTo(x, y + w);
      p.lineTo(x - r + w, y + r);
      p.lineTo(x - r, y + r - w);
      p.lineTo(x - w, y);
      p.closePath();
      return p;
    }
  }

  private static final Marker[] MARKERS = {Marker.CIRCLE, Marker.SQUARE, Marker.DIAMOND,
      Marker.TRIANGLE_UP, Marker.TRIANGLE_DOWN, Marker.HEXAGON, Marker.TRIANGLE_LEFT,
      Marker.TRIANGLE_RIGHT};

  /** Dash patterns in points: solid, dashed, dotted. */
  private static final float[][] DASHES = {null, {5f, 3f}, {1.5f, 2f}};

  /** How the series in one slot look. */
  public record Look(Color color, Marker marker, int dash) {
    /** A stroke of {@code width} points in this look's dash pattern. */
    Stroke stroke(float width) {
      float[] d = DASHES[dash];
      return d == null ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
          : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, d, 0f);
    }
  }

  /** The look of slot {@code slot} ({@code >= 0}). */
  public static Look look(int slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must be >= 0, got " + slot);
    }
    // the marker turns one step further each time the colours come round, so that a series
    // drawn with markers only (no dash to tell it apart) differs from the one 8 slots before
    int round = slot / COLORS.length;
    return new Look(COLORS[slot % COLORS.length], MARKERS[(slot + round) % MARKERS.length],
        round % DASHES.length);
  }

  /**
   * The slot of every series name of one figure. A series with a fixed slot ({@code >= 0}) keeps
   * it (a variant has one colour in every figure); every other name takes, in order of first
   * appearance, the lowest slot no fixed series of the figure and no earlier name uses. One name
   * keeps one slot across the figure's panels.
   */
  public static Map<String, Integer> assign(List<LinePlot.Series> series) {
    Set<Integer> used = new HashSet<>();
    Map<String, Integer> slots = new HashMap<>();
    for (LinePlot.Series s : series) {
      if (s.slot() >= 0) {
        used.add(s.slot());
        slots.put(s.name(), s.slot());
      }
    }
    List<String> auto = new ArrayList<>();
    for (LinePlot.Series s : series) {
      if (s.slot() < 0 && !slots.containsKey(s.name()) && !auto.contains(s.name())) {
        auto.add(s.name());
      }
    }
    int next = 0;
    for (String name : auto) {
      while (used.contains(next)) {
        next++;
      }
      slots.put(name, next);
      used.add(next);
    }
    return slots;
  }

  /** Light grey of the in-distribution band. */
  static final Color BAND = new Color(0xE4, 0xE4, 0xE4);
  /** Axes, ticks and frames. */
  static final Color AXIS = new Color(0x33, 0x33, 0x33);

  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 10);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
  static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 8);
  // whole points: JFreeSVG writes a font's integer size
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 7);

  /**
   * Text is measured with one fixed context (anti-aliased, fractional metrics), not the canvas's,
   * so the PNG, SVG and PDF are laid out alike.
   */
  static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  /** The width of {@code s} in {@code f}, in points. */
  static double width(String s, Font f) {
    return f.getStringBounds(s, FRC).getWidth();
  }

  /** The ascent of {@code f} (cap height and a little), in points. */
  static double ascent(Font f) {
    return f.getLineMetrics("Xg", FRC).getAscent();
  }

  /** The line height of {@code f}, in points. */
  static double height(Font f) {
    return f.getLineMetrics("Xg", FRC).getHeight();
  }

  /**
   * Blue, white, red (ColorBrewer's RdBu, colour-blind safe) for {@code t} in [-1, 1]: white at
   * 0, clamped beyond.
   */
  static Color diverging(double t) {
    double c = Math.max(-1, Math.min(1, t));
    double pos = (c + 1) / 2 * (RDBU.length - 1);
    int i = Math.min((int) Math.floor(pos), RDBU.length - 2);
    double f = pos - i;
    Color a = RDBU[i];
    Color b = RDBU[i + 1];
    return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f),
        mix(a.getBlue(), b.getBlue(), f));
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }

  private static final Color[] RDBU = {
    new Color(0x21, 0x66, 0xAC), new Color(0x43, 0x93, 0xC3), new Color(0x92, 0xC5, 0xDE),
    new Color(0xD1, 0xE5, 0xF0), Color.WHITE, new Color(0xFD, 0xDB, 0xC7),
    new Color(0xF4, 0xA5, 0x82), new Color(0xD6, 0x60, 0x4D), new Color(0xB2, 0x18, 0x2B),
  };
}
