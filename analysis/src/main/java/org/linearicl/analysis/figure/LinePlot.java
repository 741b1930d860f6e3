package org.linearicl.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Named series of (x, y) points, optionally with symmetric y error bars, drawn as markers, lines
 * or both, on a linear or logarithmic y axis: the shape of figures 1, 2, 3, 5, 6 and 7 of the
 * paper (loss against layers or against sigma). The legend is the figure's ({@link Legend}).
 *
 * <p><b>The y range is chosen from the stable values</b>, and a value off it stays visible as
 * off-scale. On a log axis: a value at or below the {@link Builder#floor floor} (0 by default; a
 * caller sets it where smaller values are round-off) or not positive is off-scale at the bottom;
 * the values at the top that lie more than {@value #GAP_DECADES} decades above all the others
 * (fewer than half of them: one blown-up model's 1e80) are off-scale at the top; the axis spans
 * the decades enclosing the rest, with at least a tenth of a decade to spare, and at most
 * {@link Builder#maxDecades} decades if set. On a linear axis a value beyond {@value
 * #OUTLIER_FACTOR} times
 * the median magnitude is off-scale; the axis spans the rest, padded by 5%. Error bars count
 * within a factor 3 of their point. {@link Builder#yRange} fixes the range instead; every value
 * outside it is off-scale.
 *
 * <p><b>Off-scale values are drawn at the edge</b>: a point of a series without a line becomes a
 * triangle in its colour at the top or bottom edge, pointing outward; a line runs off the edge.
 * Each series' extreme off-scale value is printed in its colour in a strip outside the frame
 * (above it, or between the bottom ticks and their labels), where no curve runs: "~0" for a
 * value at or below the floor, "0" and "<0" for 0 and below on a log axis; a line's text starts
 * with a triangle, a line-only series' also names it.
 *
 * <p><b>Curves that coincide</b> (within {@value #COINCIDE} of the axis at half their common x
 * values or more) are told apart: the later one is drawn {@value #LIFT} points higher per curve
 * under it, and {@link #coincident()} names them for the caption.
 *
 * <p><b>Error bars</b> of many curves at one x can stand side by side ({@link
 * Builder#dodgeErrorBars}); the curves themselves stay at their x.
 *
 * <p><b>Ticks</b> never overlap ({@link Axis}): a log axis has decade ticks only, labelled
 * 10<sup>k</sup>. No grid lines: the in-distribution band, if any, is a light grey x-range under
 * the data.
 */
public final class LinePlot implements Figure {

  /** How a series is drawn. */
  public enum Style {
    /** Markers only (e.g. trained models in fig. 1). */
    MARKERS,
    /** A line only (e.g. baselines in fig. 1). */
    LINE,
    /** A line through markers. */
    LINE_AND_MARKERS,
    /**
     * Markers only, each an X in the colour of the series' slot: points not to be taken at face
     * value (an unstable model's, beside the markers of its stable ones).
     */
    FLAGGED,
    /**
     * Open markers in the colour of the series' slot: reference values beside the filled markers
     * of one's own (the paper's Table 1 beside ours).
     */
    HOLLOW,
    /** Bars from 0 up to each value (counts); bar series of one plot stand side by side. */
    BARS
  }

  /** Where a value lies relative to the y range. */
  public enum Side { IN, ABOVE, BELOW }

  /**
   * One named series.
   *
   * @param name legend label, unique within a plot
   * @param x x values (finite)
   * @param y y values (finite), as many as x
   * @param yError symmetric error bar half-widths (finite, {@code >= 0}), as many as x; or null
   * @param style how it is drawn
   * @param slot the palette slot of its look, or {@code -1} for the next free one of its figure
   *     ({@link Palette#assign}; two series with one slot share a colour: a variant and its
   *     flagged points)
   */
  public record Series(String name, double[] x, double[] y, double[] yError, Style style,
      int slot) {
    /** Validates and copies the arrays. */
    public Series {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(style, "style");
      if (slot < -1) {
        throw new IllegalArgumentException("series '" + name + "': slot must be >= -1, got "
            + slot);
      }
      x = Objects.requireNonNull(x, "x").clone();
      y = Objects.requireNonNull(y, "y").clone();
      if (x.length == 0) {
        throw new IllegalArgumentException("series '" + name + "': x must not be empty");
      }
      if (y.length != x.length) {
        throw new IllegalArgumentException(
            "series '" + name + "': y has " + y.length + " values, x has " + x.length);
      }
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
          throw new IllegalArgumentException("series '" + name
              + "': x and y must be finite, point " + i + " is (" + x[i] + ", " + y[i] + ")");
        }
      }
      if (yError != null) {
        yError = yError.clone();
        if (yError.length != x.length) {
          throw new IllegalArgumentException(
              "series '" + name + "': yError has " + yError.length + " values, x has " + x.length);
        }
        for (int i = 0; i < yError.length; i++) {
          if (!(yError[i] >= 0) || Double.isInfinite(yError[i])) {
            throw new IllegalArgumentException("series '" + name
                + "': yError must be finite and >= 0, point " + i + " is " + yError[i]);
          }
        }
      }
    }

    /** A series that takes the next free slot of its figure. */
    public Series(String name, double[] x, double[] y, double[] yError, Style style) {
      this(name, x, y, yError, style, -1);
    }

    /** A series without error bars. */
    public static Series of(String name, double[] x, double[] y, Style style) {
      return new Series(name, x, y, null, style);
    }

    /** The same series in palette slot {@code slot}. */
    public Series inSlot(int slot) {
      return new Series(name, x, y, yError, style, slot);
    }

    /** The x values (a copy). */
    @Override
    public double[] x() {
      return x.clone();
    }

    /** The y values (a copy). */
    @Override
    public double[] y() {
      return y.clone();
    }

    /** The error bars (a copy), or null. */
    @Override
    public double[] yError() {
      return yError == null ? null : yError.clone();
    }

    /** The legend sample of this series' style. */
    Legend.Sample sample() {
      return switch (style) {
        case MARKERS -> Legend.Sample.MARKER;
        case LINE -> Legend.Sample.LINE;
        case LINE_AND_MARKERS -> Legend.Sample.LINE_AND_MARKER;
        case FLAGGED -> Legend.Sample.FLAG;
        case HOLLOW -> Legend.Sample.HOLLOW;
        case BARS -> Legend.Sample.BAR;
      };
    }

    boolean hasMarkers() {
      return style != Style.LINE && style != Style.BARS;
    }

    boolean hasLine() {
      return style == Style.LINE || style == Style.LINE_AND_MARKERS;
    }
  }

  /**
   * A shaded x-range.
   *
   * @param from left end
   * @param to right end, {@code > from}
   * @param label legend label
   */
  public record Band(double from, double to, String label) {
    /** Validates the range. */
    public Band {
      Objects.requireNonNull(label, "label");
      if (!Double.isFinite(from) || !Double.isFinite(to) || !(to > from)) {
        throw new IllegalArgumentException("band must have finite from < to, got [" + from
            + ", " + to + "]");
      }
    }
  }

  /**
   * An axis range.
   *
   * @param min lower end
   * @param max upper end, {@code > min}
   */
  public record Range(double min, double max) {
    /** Validates the range. */
    public Range {
      if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
        throw new IllegalArgumentException("range must have finite min < max, got [" + min
            + ", " + max + "]");
      }
    }
  }

  /**
   * Shaded x values (e.g. the noise levels of a categorical training distribution), each a
   * grey stripe {@value #MARK_W} points wide.
   *
   * @param at the x values (finite, at least one)
   * @param label legend label
   */
  public record Marks(double[] at, String label) {
    /** Validates and copies. */
    public Marks {
      Objects.requireNonNull(label, "label");
      at = Objects.requireNonNull(at, "at").clone();
      if (at.length == 0 || Arrays.stream(at).anyMatch(v -> !Double.isFinite(v))) {
        throw new IllegalArgumentException("marks need finite x values, got "
            + Arrays.toString(at));
      }
    }

    /** The x values (a copy). */
    @Override
    public double[] at() {
      return at.clone();
    }
  }

  /** Width of a {@link Marks} stripe in points. */
  static final double MARK_W = 5;

  /** Linear axis: see the class comment. */
  public static final double OUTLIER_FACTOR = 1000;
  /** Log axis: see the class comment. */
  public static final double GAP_DECADES = 6;
  /** The opacity (of 255) of dodged error bars ({@link Builder#dodgeErrorBars}). */
  static final int DODGED_BAR_ALPHA = 140;
  /** Marker size in points. */
  static final double MARKER_SIZE = 5;
  /** Label of the legend entry of off-scale marks. */
  public static final String OFF_SCALE_LABEL = "off the axis range (value printed at the edge)";

  private static final double TICK = 3;
  private static final double PAD = 4;

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final boolean logY;
  private final double floor;
  private final int maxDecades;
  private final int width;
  private final int height;
  private final List<Series> series;
  private final Optional<Band> band;
  private final Optional<Range> xRange;
  private final Optional<Range> yRange;
  private final boolean integerX;
  private final boolean integerY;
  private final Range range;
  private final Optional<Marks> bandAt;
  private final String hollowLegend;
  private final boolean endLabels;
  private final double barDodge;
  /** Per series, how many {@link #LIFT}s it is drawn higher. */
  private final int[] lift;
  private double bottomStrip;
  private final Rectangle2D area;

  private LinePlot(Builder b) {
    this.title = b.title;
    this.xTitle = b.xTitle;
    this.yTitle = b.yTitle;
    this.logY = b.logY;
    this.floor = b.floor;
    this.maxDecades = b.maxDecades;
    this.width = b.width;
    this.height = b.height;
    this.series = List.copyOf(b.series);
    this.band = Optional.ofNullable(b.band);
    this.xRange = Optional.ofNullable(b.xRange);
    this.yRange = Optional.ofNullable(b.yRange);
    this.integerX = b.integerX;
    this.integerY = b.integerY;
    this.bandAt = Optional.ofNullable(b.bandAt);
    this.hollowLegend = b.hollowLegend;
    this.endLabels = b.endLabels;
    this.barDodge = b.barDodge;
    this.range = yRange.orElseGet(this::computeYRange);
    this.lift = lifts();
    this.area = layout();
  }

  /** Starts a plot. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Series> series() {
    return series;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  /** The title. */
  public String title() {
    return title;
  }

  /** Whether the y axis is logarithmic. */
  public boolean logY() {
    return logY;
  }

  // ---------------------------------------------------------------- ranges

  /** The computed (or given) y range: see the class comment. */
  public Range yRange() {
    return range;
  }

  private Range computeYRange() {
    List<double[]> kept = stableValues();
    if (kept.isEmpty()) {
      double base = logY ? (floor > 0 ? floor : 1) : 0;
      return logY ? new Range(base, base * 10) : new Range(base - 1, base + 1);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] ye : kept) {
      double y = ye[0];
      double e = ye[1];
      if (logY) {
        lo = Math.min(lo, Math.max(y - e, y / 3));
        hi = Math.max(hi, Math.min(y + e, y * 3));
      } else {
        double cap = 3 * Math.max(Math.abs(y), 1e-12);
        lo = Math.min(lo, y - Math.min(e, cap));
        hi = Math.max(hi, y + Math.min(e, cap));
      }
    }
    if (logY) {
      // a point keeps a tenth of a decade from the frame
      int a = (int) Math.floor(Math.log10(lo) - 0.1);
      int b = (int) Math.ceil(Math.log10(hi) + 0.1);
      if (maxDecades > 0 && b - a > maxDecades) {
        // the window of maxDecades decades that holds the most values (the higher of equals);
        // what lies outside is off the range, marked at the edge
        int best = b - maxDecades;
        int most = -1;
        for (int top = b; top - maxDecades >= a; top--) {
          int n = 0;
          for (double[] ye : kept) {
            double e = Math.log10(ye[0]);
            n += e >= top - maxDecades && e <= top ? 1 : 0;
          }
          if (n > most) {
            most = n;
            best = top - maxDecades;
          }
        }
        a = best;
        b = best + maxDecades;
      }
      return new Range(Math.pow(10, a), Math.pow(10, Math.max(b, a + 1)));
    }
    if (hi == lo) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new Range(lo - pad, hi + pad);
    }
    double pad = 0.05 * (hi - lo);
    return new Range(lo - pad, hi + pad);
  }

  /** The (y, error) pairs that set the computed range. */
  private List<double[]> stableValues() {
    List<double[]> all = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.y.length; i++) {
        all.add(new double[] {s.y[i], s.yError == null ? 0 : s.yError[i]});
      }
    }
    List<double[]> kept = new ArrayList<>();
    if (logY) {
      for (double[] ye : all) {
        if (ye[0] > floor && ye[0] > 0) {
          kept.add(ye);
        }
      }
      kept.sort((p, q) -> Double.compare(q[0], p[0]));
      // the lowest gap of more than GAP_DECADES among the top half: everything above it is off
      int cut = 0;
      for (int i = 0; i + 1 < kept.size() && i + 1 <= kept.size() / 2; i++) {
        if (Math.log10(kept.get(i)[0]) - Math.log10(kept.get(i + 1)[0]) > GAP_DECADES) {
          cut = i + 1;
        }
      }
      return kept.subList(cut, kept.size());
    }
    double[] mags = all.stream().mapToDouble(ye -> Math.abs(ye[0])).sorted().toArray();
    double limit = OUTLIER_FACTOR * Math.max(mags[mags.length / 2], 1e-6);
    for (double[] ye : all) {
      if (Math.abs(ye[0]) <= limit) {
        kept.add(ye);
      }
    }
    return kept;
  }

  /** Where {@code y} lies relative to {@link #yRange()}. */
  public Side side(double y) {
    Range r = yRange();
    if (logY && (y <= 0 || y <= floor)) {
      return Side.BELOW;
    }
    return y > r.max() * (1 + 1e-12) ? Side.ABOVE : y < r.min() * (1 - Math.signum(r.min()) * 1e-12)
        ? Side.BELOW : Side.IN;
  }

  /** Whether some value is off the y range. */
  public boolean hasOffScale() {
    return series.stream().anyMatch(s -> Arrays.stream(s.y).anyMatch(v -> side(v) != Side.IN));
  }

  /** The computed (or given) x range: the data and the band, 3% wider with markers. */
  public Range xRange() {
    if (xRange.isPresent()) {
      return xRange.get();
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : s.x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (band.isPresent()) {
      lo = Math.min(lo, band.get().from());
      hi = Math.max(hi, band.get().to());
    }
    if (bandAt.isPresent()) {
      for (double v : bandAt.get().at) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi == lo) {
      return new Range(lo - 1, hi + 1);
    }
    // markers at the ends keep clear of the frame
    double pad = series.stream().anyMatch(Series::hasMarkers) ? 0.03 * (hi - lo) : 0;
    return new Range(lo - pad, hi + pad);
  }

  /** The label of an off-scale value: its value, "0" at or below the floor. */
  String offScaleLabel(double y) {
    if (logY && y > 0 && y <= floor) {
      return "~0";
    }
    if (logY && y <= 0) {
      // a log axis has no place for 0 or below; -3e-16 is a zero to round-off, not a value
      return y == 0 ? "0" : "<0";
    }
    return Axis.compact(y);
  }

  /** The y tick values: decades on a log axis. */
  double[] yTicks(double length) {
    Range r = yRange();
    if (logY) {
      int a = (int) Math.round(Math.log10(r.min()));
      int b = (int) Math.round(Math.log10(r.max()));
      if (Math.abs(Math.pow(10, a) - r.min()) > 1e-9 * r.min()) {
        a = (int) Math.ceil(Math.log10(r.min()));
      }
      if (Math.abs(Math.pow(10, b) - r.max()) > 1e-9 * r.max()) {
        b = (int) Math.floor(Math.log10(r.max()));
      }
      if (b <= a) {
        return new double[] {Math.pow(10, a)};
      }
      return Axis.decades(a, b, length * (b - a) / (Math.log10(r.max()) - Math.log10(r.min())),
          logLabelHeight()).stream().mapToDouble(e -> Math.pow(10, e)).toArray();
    }
    return Axis.linear(r.min(), r.max(), length, Palette.TICKS, false, integerY);
  }

  private static double logLabelHeight() {
    return Palette.height(Palette.TICKS) + 2;
  }

  // ---------------------------------------------------------------- legend

  @Override
  public List<Legend.Entry> legend(Map<String, Integer> slots) {
    List<Legend.Entry> out = new ArrayList<>();
    band.ifPresent(b -> out.add(new Legend.Entry(b.label(), null, Legend.Sample.BAND)));
    bandAt.ifPresent(m -> out.add(new Legend.Entry(m.label(), null, Legend.Sample.STRIPES)));
    boolean hollowDone = false;
    for (Series s : series) {
      if (endLabels) {
        continue; // named at its end
      }
      if (s.style == Style.HOLLOW && hollowLegend != null) {
        if (!hollowDone) {
          // one entry for every variant's reference values: the shape and colour say whose
          out.add(new Legend.Entry(hollowLegend, new Palette.Look(Color.DARK_GRAY,
              Palette.Marker.CIRCLE, 0), Legend.Sample.HOLLOW));
          hollowDone = true;
        }
        continue;
      }
      out.add(new Legend.Entry(s.name(), Palette.look(slot(s, slots)), s.sample()));
    }
    if (series.stream().anyMatch(s -> s.style != Style.BARS
        && Arrays.stream(s.y).anyMatch(v -> side(v) != Side.IN))) {
      out.add(new Legend.Entry(OFF_SCALE_LABEL, null, Legend.Sample.OFF_SCALE));
    }
    return out;
  }

  private static int slot(Series s, Map<String, Integer> slots) {
    Integer k = slots.get(s.name());
    return k != null ? k : Math.max(s.slot(), 0);
  }

  // ---------------------------------------------------------------- drawing

  /** One text at an edge, outside the frame: an off-scale value, or a line's note. */
  private record EdgeItem(String text, double x, int slot, boolean glyph) {}

  /** An edge item placed: its left end and row (0 next to the frame). */
  private record Placed(EdgeItem item, double left, double width, int row) {}

  /**
   * The texts of one edge: each marker series' extreme off-scale value at its point's x, each
   * line-only series' name and extreme value (with a triangle) at that point's x.
   */
  private List<EdgeItem> edgeItems(boolean top, Map<String, Integer> slots) {
    List<EdgeItem> out = new ArrayList<>();
    for (Series s : series) {
      if (s.style == Style.BARS) {
        continue;
      }
      int at = -1;
      for (int i = 0; i < s.y.length; i++) {
        Side side = side(s.y[i]);
        if (side == (top ? Side.ABOVE : Side.BELOW)
            && (at < 0 || (top ? s.y[i] > s.y[at] : s.y[i] < s.y[at]))) {
          at = i;
        }
      }
      if (at >= 0) {
        String label = offScaleLabel(s.y[at]);
        // a line runs off the edge (a triangle starts its text); points get triangles at the edge
        out.add(s.hasMarkers() ? new EdgeItem(label, s.x[at], slot(s, slots), s.hasLine())
            : new EdgeItem(s.name() + " " + label, s.x[at], slot(s, slots), true));
      }
    }
    return out;
  }

  private static double itemWidth(EdgeItem e) {
    return Palette.width(e.text(), Palette.SMALL) + (e.glyph() ? 8 : 0);
  }

  /**
   * Places the items along the frame's width: each as near its x as it fits, in the first row
   * where it overlaps no other.
   */
  private List<Placed> place(List<EdgeItem> items, Rectangle2D a, Range xr) {
    List<Placed> out = new ArrayList<>();
    for (EdgeItem e : items) {
      double w = itemWidth(e);
      double want = px(e.x(), a, xr) - w / 2;
      for (int row = 0; ; row++) {
        double left = Math.max(a.getX(), Math.min(want, a.getMaxX() - w));
        // slide right, then left, past the items of this row it would overlap
        Double fit = fit(out, row, left, w, a);
        if (fit != null) {
          out.add(new Placed(e, fit, w, row));
          break;
        }
      }
    }
    return out;
  }

  private static Double fit(List<Placed> placed, int row, double left, double w, Rectangle2D a) {
    List<double[]> taken = new ArrayList<>();
    for (Placed p : placed) {
      if (p.row() == row) {
        taken.add(new double[] {p.left() - 3, p.left() + p.width() + 3});
      }
    }
    taken.sort((u, v) -> Double.compare(u[0], v[0]));
    List<Double> candidates = new ArrayList<>(List.of(left));
    for (double[] t : taken) {
      candidates.add(t[1]);
      candidates.add(t[0] - w);
    }
    candidates.sort((u, v) -> Double.compare(Math.abs(u - left), Math.abs(v - left)));
    for (double c : candidates) {
      if (c < a.getX() - 1e-9 || c + w > a.getMaxX() + 1e-9) {
        continue;
      }
      boolean free = true;
      for (double[] t : taken) {
        if (c < t[1] - 1e-9 && c + w > t[0] + 1e-9) {
          free = false;
          break;
        }
      }
      if (free) {
        return c;
      }
    }
    return null;
  }

  private static int rows(List<Placed> placed) {
    return placed.stream().mapToInt(p -> p.row() + 1).max().orElse(0);
  }

  private static double stripHeight(int rows) {
    return rows == 0 ? 0 : rows * Palette.height(Palette.SMALL) + 2;
  }

  /**
   * The data area: the panel less the title, the tick labels and titles, and a strip above (below)
   * the frame for the texts of the off-scale values at the top (bottom) edge.
   */
  private Rectangle2D layout() {
    Map<String, Integer> slots = Palette.assign(series);
    Range xr = xRange();
    int top = 0;
    int bottom = 0;
    Rectangle2D a = frame(top, bottom);
    for (int pass = 0; pass < 4; pass++) {
      int t = rows(place(edgeItems(true, slots), a, xr));
      int b = rows(place(edgeItems(false, slots), a, xr));
      if (t <= top && b <= bottom) {
        break;
      }
      top = Math.max(top, t);
      bottom = Math.max(bottom, b);
      a = frame(top, bottom);
    }
    this.bottomStrip = stripHeight(bottom);
    return a;
  }

  private Rectangle2D frame(int topRows, int bottomRows) {
    double top = PAD + (title.isEmpty() ? 0 : Palette.height(titleFont()) + 3)
        + stripHeight(topRows);
    double bottom = height - PAD - TICK - 2 - Palette.height(Palette.TICKS)
        - (xTitle.isEmpty() ? 0 : Palette.height(Palette.LABEL) + 1) - stripHeight(bottomRows);
    double plotH = bottom - top;
    double labels = 0;
    double[] ticks = yTicks(plotH);
    for (double t : ticks) {
      labels = Math.max(labels, yLabelWidth(t, ticks));
    }
    double left = PAD + (yTitle.isEmpty() ? 0 : Palette.height(yTitleFont(plotH)) + 2) + labels
        + TICK + 2;
    double right = width - PAD - 6 - endLabelWidth();
    return new Rectangle2D.Double(left, top, right - left, plotH);
  }

  /** The room right of the frame for the names at the curves' ends (0 without). */
  private double endLabelWidth() {
    if (!endLabels) {
      return 0;
    }
    double w = 0;
    for (Series s : series) {
      w = Math.max(w, Palette.width(s.name(), Palette.SMALL));
    }
    return w + 4;
  }

  /**
   * Each series' name right of the frame at the height of its last point in range, in its
   * colour, pushed apart so that no two overlap.
   */
  private void endLabels(Graphics2D g, Rectangle2D a, Range yr, Map<String, Integer> slots) {
    double lh = Palette.height(Palette.SMALL);
    List<double[]> ys = new ArrayList<>(); // {wanted centre y, series index}
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      int last = s.y.length - 1;
      double y = side(s.y[last]) == Side.IN ? py(s.y[last], a, yr) - lift[si] * LIFT
          : side(s.y[last]) == Side.ABOVE ? a.getY() : a.getMaxY();
      ys.add(new double[] {y, si});
    }
    ys.sort((p, q) -> Double.compare(p[0], q[0]));
    double[] at = new double[ys.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = Math.max(ys.get(i)[0], i == 0 ? a.getY() + lh / 2 : at[i - 1] + lh);
    }
    // pushed below the frame: back up from the bottom, keeping the order
    for (int i = at.length - 1; i >= 0; i--) {
      at[i] = Math.min(at[i], i == at.length - 1 ? a.getMaxY() - lh / 2 : at[i + 1] - lh);
    }
    g.setFont(Palette.SMALL);
    for (int i = 0; i < at.length; i++) {
      Series s = series.get((int) ys.get(i)[1]);
      g.setColor(Palette.look(slot(s, slots)).color());
      g.drawString(s.name(), (float) (a.getMaxX() + 4),
          (float) (at[i] + Palette.ascent(Palette.SMALL) / 2 - 0.5));
    }
  }

  /** The data area inside a panel of this size, in points. */
  Rectangle2D dataArea() {
    return (Rectangle2D) area.clone();
  }

  /** The title's font: the title font, a point smaller at a time (down to 7) until it fits. */
  Font titleFont() {
    return fitting(title, Palette.TITLE, width - 2 * PAD);
  }

  private Font yTitleFont(double plotH) {
    return fitting(yTitle, Palette.LABEL, plotH);
  }

  private static Font fitting(String text, Font f, double room) {
    Font g = f;
    while (g.getSize() > 7 && Palette.width(text, g) > room) {
      g = g.deriveFont((float) (g.getSize() - 1));
    }
    return g;
  }

  private double yLabelWidth(double t, double[] ticks) {
    if (logY) {
      String e = Integer.toString((int) Math.round(Math.log10(t)));
      return Palette.width("10", Palette.TICKS) + Palette.width(e, Palette.SMALL) + 1;
    }
    return Palette.width(Axis.label(t, Axis.step(ticks)), Palette.TICKS);
  }

  private double px(double x, Rectangle2D a, Range xr) {
    return a.getX() + (x - xr.min()) / (xr.max() - xr.min()) * a.getWidth();
  }

  /** Where y lies on the axis, 0 at the bottom and 1 at the top (y in range). */
  private double fraction(double y, Range yr) {
    return logY ? (Math.log10(y) - Math.log10(yr.min())) / (Math.log10(yr.max())
        - Math.log10(yr.min())) : (y - yr.min()) / (yr.max() - yr.min());
  }

  /** The vertical position of y, or just beyond the edge when y is off-scale. */
  private double py(double y, Rectangle2D a, Range yr) {
    Side s = side(y);
    if (s == Side.ABOVE) {
      return a.getY() - 8;
    }
    if (s == Side.BELOW) {
      return a.getMaxY() + 8;
    }
    return a.getMaxY() - fraction(y, yr) * a.getHeight();
  }

  // ------------------------------------------------------ curves that coincide

  /**
   * Two curves whose points lie within this fraction of the axis of one another at half of their
   * common x values or more coincide.
   */
  static final double COINCIDE = 0.012;
  /** A curve that coincides with an earlier one is drawn this many points higher per curve under it. */
  public static final double LIFT = 2;

  private static boolean liftable(Series s) {
    return s.style == Style.LINE || s.style == Style.LINE_AND_MARKERS
        || s.style == Style.MARKERS;
  }

  private boolean coincide(Series a, Series b) {
    int common = 0;
    int close = 0;
    for (int i = 0; i < a.x.length; i++) {
      for (int j = 0; j < b.x.length; j++) {
        if (Math.abs(a.x[i] - b.x[j]) <= 1e-9 * Math.max(1, Math.abs(a.x[i]))) {
          common++;
          Side sa = side(a.y[i]);
          Side sb = side(b.y[j]);
          if (sa == sb && (sa != Side.IN
              || Math.abs(fraction(a.y[i], range) - fraction(b.y[j], range)) < COINCIDE)) {
            close++;
          }
          break;
        }
      }
    }
    return common >= Math.min(2, Math.min(a.x.length, b.x.length)) && 2 * close >= common
        && common > 0;
  }

  /** Per series, how many curve widths it is lifted: 0, or one more than the highest under it. */
  private int[] lifts() {
    int[] lift = new int[series.size()];
    for (int j = 0; j < series.size(); j++) {
      if (!liftable(series.get(j))) {
        continue;
      }
      for (int i = 0; i < j; i++) {
        if (liftable(series.get(i)) && coincide(series.get(i), series.get(j))) {
          lift[j] = Math.max(lift[j], lift[i] + 1);
        }
      }
    }
    return lift;
  }

  /**
   * The curves that coincide with an earlier one and are drawn {@link #LIFT} points higher (per
   * curve under them): "FULL over DIAG", in drawing order.
   */
  public List<String> coincident() {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < series.size(); j++) {
      if (lift[j] > 0) {
        for (int i = 0; i < j; i++) {
          if (liftable(series.get(i)) && coincide(series.get(i), series.get(j))) {
            out.add(series.get(j).name() + " over " + series.get(i).name());
            break;
          }
        }
      }
    }
    return out;
  }

  @Override
  public void paint(Graphics2D g, Map<String, Integer> slots) {
    Saved outer = new Saved(g);
    Rectangle2D a = dataArea();
    Range xr = xRange();
    Range yr = yRange();
    g.setColor(Color.WHITE);
    g.fill(new Rectangle2D.Double(0, 0, width, height));
    if (!title.isEmpty()) {
      Font tf = titleFont();
      g.setColor(Color.BLACK);
      g.setFont(tf);
      double tw = Palette.width(title, tf);
      double tx = Math.max(PAD, Math.min(a.getCenterX() - tw / 2, width - PAD - tw));
      g.drawString(title, (float) tx, (float) (PAD + Palette.ascent(tf)));
    }
    Graphics2D c = g;
    Saved unclipped = new Saved(g);
    c.clip(a);
    band.ifPresent(b -> {
      c.setColor(Palette.BAND);
      double x0 = px(b.from(), a, xr);
      double x1 = px(b.to(), a, xr);
      c.fill(new Rectangle2D.Double(x0, a.getY(), x1 - x0, a.getHeight()));
    });
    bandAt.ifPresent(m -> {
      c.setColor(Palette.BAND);
      for (double v : m.at()) {
        double x = px(v, a, xr);
        c.fill(new Rectangle2D.Double(x - MARK_W / 2, a.getY(), MARK_W, a.getHeight()));
      }
    });
    bars(c, a, xr, yr, slots);
    int withBars = (int) series.stream().filter(s -> s.yError != null).count();
    int barIndex = 0;
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      if (s.style == Style.BARS) {
        continue;
      }
      double up = lift[si] * LIFT;
      Palette.Look look = Palette.look(slot(s, slots));
      c.setColor(look.color());
      if (s.yError != null) {
        double dodge = (barIndex++ - (withBars - 1) / 2.0) * barDodge;
        // one path for all bars of a series: one SVG element, not three per point
        Path2D.Double bars = new Path2D.Double();
        for (int i = 0; i < s.x.length; i++) {
          if (s.yError[i] > 0 && side(s.y[i]) == Side.IN) {
            double x = px(s.x[i], a, xr) + dodge;
            double lo = s.y[i] - s.yError[i];
            double y0 = logY && lo <= 0 ? a.getMaxY() + 8 : clampPy(lo, a, yr) - up;
            double y1 = clampPy(s.y[i] + s.yError[i], a, yr) - up;
            bars.moveTo(x, y0);
            bars.lineTo(x, y1);
            bars.moveTo(x - 1.5, y1);
            bars.lineTo(x + 1.5, y1);
            if (!(logY && lo <= 0)) {
              bars.moveTo(x - 1.5, y0);
              bars.lineTo(x + 1.5, y0);
            }
          }
        }
        c.setStroke(new BasicStroke(0.8f));
        if (barDodge > 0) {
          // many curves' bars: see-through, so that the curves stay readable under them
          Color k = look.color();
          c.setColor(new Color(k.getRed(), k.getGreen(), k.getBlue(), DODGED_BAR_ALPHA));
        }
        c.draw(bars);
        c.setColor(look.color());
      }
      if (s.hasLine()) {
        c.setStroke(look.stroke(s.style == Style.LINE ? 1.6f : 1.2f));
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < s.x.length; i++) {
          double x = px(s.x[i], a, xr);
          double y = py(s.y[i], a, yr) - (side(s.y[i]) == Side.IN ? up : 0);
          if (i == 0) {
            p.moveTo(x, y);
          } else {
            p.lineTo(x, y);
          }
        }
        c.draw(p);
      }
      if (s.hasMarkers()) {
        for (int i = 0; i < s.x.length; i++) {
          if (side(s.y[i]) == Side.IN) {
            double x = px(s.x[i], a, xr);
            double y = py(s.y[i], a, yr) - up;
            if (s.style == Style.HOLLOW) {
              c.setStroke(new BasicStroke(1.1f));
              c.draw(look.marker().at(x, y, MARKER_SIZE + 2));
            } else {
              c.fill(s.style == Style.FLAGGED ? Palette.Marker.CROSS.at(x, y, MARKER_SIZE + 1)
                  : look.marker().at(x, y, MARKER_SIZE));
            }
          }
        }
      }
    }
    unclipped.close();
    edgeMarks(g, a, xr, slots);
    if (endLabels) {
      endLabels(g, a, yr, slots);
    }
    axes(g, a, xr, yr);
    outer.close();
  }

  /** Bar series side by side at each x, 70% of the smallest x step wide together. */
  private void bars(Graphics2D g, Rectangle2D a, Range xr, Range yr, Map<String, Integer> slots) {
    List<Series> bs = series.stream().filter(s -> s.style == Style.BARS).toList();
    if (bs.isEmpty()) {
      return;
    }
    double[] xs = bs.stream().flatMapToDouble(s -> Arrays.stream(s.x)).sorted().distinct()
        .toArray();
    double step = 1;
    for (int i = 1; i < xs.length; i++) {
      step = Math.min(step, xs[i] - xs[i - 1]);
    }
    double group = 0.7 * Math.abs(px(step, a, xr) - px(0, a, xr));
    double w = group / bs.size();
    double base = logY ? a.getMaxY() : Math.min(a.getMaxY(), Math.max(a.getY(),
        py(Math.max(yr.min(), Math.min(0, yr.max())), a, yr)));
    for (int k = 0; k < bs.size(); k++) {
      Series s = bs.get(k);
      g.setColor(Palette.look(slot(s, slots)).color());
      for (int i = 0; i < s.x.length; i++) {
        double x = px(s.x[i], a, xr) - group / 2 + k * w;
        double y = Math.max(a.getY(), Math.min(a.getMaxY(), py(s.y[i], a, yr)));
        g.fill(new Rectangle2D.Double(x, Math.min(y, base), w * 0.92, Math.abs(base - y)));
      }
    }
  }

  private double clampPy(double y, Rectangle2D a, Range yr) {
    Side s = side(y);
    return s == Side.ABOVE ? a.getY() - 8 : s == Side.BELOW ? a.getMaxY() + 8 : py(y, a, yr);
  }

  /**
   * Triangles for off-scale points at the edge, inside the frame (those at one x and edge side by
   * side), and the texts of the edge (each marker series' extreme off-scale value, each line-only
   * series' note) in a strip outside the frame, where no curve runs.
   */
  private void edgeMarks(Graphics2D g, Rectangle2D a, Range xr, Map<String, Integer> slots) {
    Map<String, List<double[]>> groups = new LinkedHashMap<>();
    for (Series s : series) {
      if (!s.hasMarkers() || s.hasLine()) {
        continue; // a line shows where it leaves the range: no row of triangles along the edge
      }
      int slot = slot(s, slots);
      for (int i = 0; i < s.x.length; i++) {
        Side side = side(s.y[i]);
        if (side != Side.IN) {
          groups.computeIfAbsent(side + "@" + s.x[i], k -> new ArrayList<>())
              .add(new double[] {s.x[i], s.y[i], slot, side == Side.ABOVE ? 1 : 0});
        }
      }
    }
    double size = 6;
    for (List<double[]> group : groups.values()) {
      double x0 = px(group.get(0)[0], a, xr) - (group.size() - 1) * size / 2;
      for (int k = 0; k < group.size(); k++) {
        double[] m = group.get(k);
        boolean top = m[3] == 1;
        g.setColor(Palette.look((int) m[2]).color());
        double x = x0 + k * size;
        double y = top ? a.getY() + size / 2 + 1 : a.getMaxY() - size / 2 - 1;
        g.fill((top ? Palette.Marker.TRIANGLE_UP : Palette.Marker.TRIANGLE_DOWN).at(x, y, size));
      }
    }
    g.setFont(Palette.SMALL);
    double lh = Palette.height(Palette.SMALL);
    double ascent = Palette.ascent(Palette.SMALL);
    for (boolean top : new boolean[] {true, false}) {
      for (Placed p : place(edgeItems(top, slots), a, xr)) {
        // top: rows grow upward from the frame; bottom: downward from the ticks
        double boxTop = top ? a.getY() - 1 - (p.row() + 1) * lh
            : a.getMaxY() + TICK + 1 + p.row() * lh;
        g.setColor(Palette.look(p.item().slot()).color());
        double x = p.left();
        if (p.item().glyph()) {
          g.fill((top ? Palette.Marker.TRIANGLE_UP : Palette.Marker.TRIANGLE_DOWN)
              .at(x + 3, boxTop + lh / 2, 5));
          x += 8;
        }
        g.drawString(p.item().text(), (float) x, (float) (boxTop + ascent));
      }
    }
  }

  private void axes(Graphics2D g, Rectangle2D a, Range xr, Range yr) {
    g.setColor(Palette.AXIS);
    g.setStroke(new BasicStroke(0.8f));
    g.draw(a);
    g.setFont(Palette.TICKS);
    double[] xt = Axis.linear(xr.min(), xr.max(), a.getWidth(), Palette.TICKS, true, integerX);
    double xs = Axis.step(xt);
    double labelTop = a.getMaxY() + TICK + 1 + bottomStrip + Palette.ascent(Palette.TICKS);
    for (double t : xt) {
      double x = px(t, a, xr);
      g.draw(new Line2D.Double(x, a.getMaxY(), x, a.getMaxY() + TICK));
      String l = Axis.label(t, xs);
      g.drawString(l, (float) (x - Palette.width(l, Palette.TICKS) / 2), (float) labelTop);
    }
    double[] yt = yTicks(a.getHeight());
    double ys = Axis.step(yt);
    double maxLabel = 0;
    for (double t : yt) {
      double y = py(t, a, yr);
      g.draw(new Line2D.Double(a.getX() - TICK, y, a.getX(), y));
      double right = a.getX() - TICK - 2;
      double w = yLabelWidth(t, yt);
      maxLabel = Math.max(maxLabel, w);
      double base = y + Palette.ascent(Palette.TICKS) / 2 - 0.5;
      if (logY) {
        String e = Integer.toString((int) Math.round(Math.log10(t)));
        double bw = Palette.width("10", Palette.TICKS);
        g.setFont(Palette.TICKS);
        g.drawString("10", (float) (right - w), (float) (base + 1.5));
        g.setFont(Palette.SMALL);
        g.drawString(e, (float) (right - w + bw + 1), (float) (base - 2.5));
        g.setFont(Palette.TICKS);
      } else {
        g.drawString(Axis.label(t, ys), (float) (right - w), (float) base);
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(Palette.LABEL);
    if (!xTitle.isEmpty()) {
      double w = Palette.width(xTitle, Palette.LABEL);
      g.drawString(xTitle, (float) (a.getCenterX() - w / 2), (float) (labelTop
          + Palette.height(Palette.TICKS) - Palette.ascent(Palette.TICKS) + 1
          + Palette.ascent(Palette.LABEL)));
    }
    if (!yTitle.isEmpty()) {
      try (Saved s = new Saved(g)) {
        Font f = yTitleFont(a.getHeight());
        g.setFont(f);
        double w = Palette.width(yTitle, f);
        double x = a.getX() - TICK - 2 - maxLabel - 3;
        g.translate(x, a.getCenterY() + w / 2);
        g.transform(AffineTransform.getRotateInstance(-Math.PI / 2));
        g.drawString(yTitle, 0f, 0f);
      }
    }
  }

  /** Collects a {@link LinePlot}'s settings. */
  public static final class Builder {
    private String title = "";
    private String xTitle = "";
    private String yTitle = "";
    private boolean logY;
    private double floor;
    private int maxDecades;
    private int width = 230;
    private int height = 170;
    private final List<Series> series = new ArrayList<>();
    private Band band;
    private Range xRange;
    private Range yRange;
    private boolean integerX;
    private boolean integerY;
    private Marks bandAt;
    private String hollowLegend;
    private boolean endLabels;
    private double barDodge;

    private Builder() {}

    /** The panel title. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** The x axis title. */
    public Builder xTitle(String xTitle) {
      this.xTitle = Objects.requireNonNull(xTitle, "xTitle");
      return this;
    }

    /** The y axis title. */
    public Builder yTitle(String yTitle) {
      this.yTitle = Objects.requireNonNull(yTitle, "yTitle");
      return this;
    }

    /** A logarithmic y axis. */
    public Builder logY(boolean logY) {
      this.logY = logY;
      return this;
    }

    /**
     * On a log axis, values at or below {@code floor} are zero (round-off): off-scale at the
     * bottom, labelled "~0", and they do not set the range.
     */
    public Builder floor(double floor) {
      if (!(floor >= 0) || Double.isInfinite(floor)) {
        throw new IllegalArgumentException("floor must be finite and >= 0, got " + floor);
      }
      this.floor = floor;
      return this;
    }

    /**
     * On a log axis, at most {@code decades} decades below the top of the computed range: a
     * value lower still is off the range, marked at the bottom edge with its value.
     */
    public Builder maxDecades(int decades) {
      if (decades < 1) {
        throw new IllegalArgumentException("maxDecades must be >= 1, got " + decades);
      }
      this.maxDecades = decades;
      return this;
    }

    /** The size in points (1/72 inch); the PNG's pixels depend on the writer's DPI. */
    public Builder size(int width, int height) {
      if (width < 50 || height < 50) {
        throw new IllegalArgumentException("size must be at least 50x50, got " + width + "x"
            + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /** Adds a series (names must be unique). */
    public Builder series(Series s) {
      Objects.requireNonNull(s, "series");
      for (Series t : series) {
        if (t.name().equals(s.name())) {
          throw new IllegalArgumentException("series name '" + s.name() + "' is used twice");
        }
      }
      series.add(s);
      return this;
    }

    /** Adds a series without error bars. */
    public Builder series(String name, double[] x, double[] y, Style style) {
      return series(Series.of(name, x, y, style));
    }

    /** Adds a series with symmetric y error bars. */
    public Builder series(String name, double[] x, double[] y, double[] yError, Style style) {
      return series(new Series(name, x, y, yError, style));
    }

    /** Shades {@code [from, to]} (e.g. the training noise range), labelled in the legend. */
    public Builder band(double from, double to, String label) {
      this.band = new Band(from, to, label);
      return this;
    }

    /** Shades each of {@code at} with a narrow stripe (a set of noise levels), labelled. */
    public Builder bandAt(String label, double... at) {
      this.bandAt = new Marks(at, label);
      return this;
    }

    /**
     * One legend entry, {@code label} beside a hollow circle, for every {@link Style#HOLLOW}
     * series (each drawn in its own slot's shape and colour), instead of one entry each.
     */
    public Builder hollowLegend(String label) {
      this.hollowLegend = Objects.requireNonNull(label, "label");
      return this;
    }

    /**
     * Names each series right of the frame at its last point instead of in the figure's legend
     * (many curves of one kind: one per layer count).
     */
    public Builder endLabels() {
      this.endLabels = true;
      return this;
    }

    /**
     * Draws the error bars of the i-th of the n series that have them {@code (i - (n - 1) / 2) *
     * points} points right of their points (lines and markers stay at their x): the bars of
     * many curves at one x stand side by side instead of on one another, and see-through.
     */
    public Builder dodgeErrorBars(double points) {
      if (!(points >= 0) || Double.isInfinite(points)) {
        throw new IllegalArgumentException("dodgeErrorBars must be finite and >= 0, got "
            + points);
      }
      this.barDodge = points;
      return this;
    }

    /** Fixes the x range instead of computing it. */
    public Builder xRange(double min, double max) {
      this.xRange = new Range(min, max);
      return this;
    }

    /** Fixes the y range instead of computing it (on a log axis min must be positive). */
    public Builder yRange(double min, double max) {
      this.yRange = new Range(min, max);
      return this;
    }

    /** Whole-number y ticks only (counts). */
    public Builder integerY() {
      this.integerY = true;
      return this;
    }

    /** Whole-number x ticks only (layers, steps). */
    public Builder integerX() {
      this.integerX = true;
      return this;
    }

    /** The plot; needs at least one series. */
    public LinePlot build() {
      if (series.isEmpty()) {
        throw new IllegalArgumentException("series must not be empty");
      }
      if (logY && yRange != null && !(yRange.min() > 0)) {
        throw new IllegalArgumentException("yRange min must be > 0 on a log axis, got "
            + yRange.min());
      }
      return new LinePlot(this);
    }
  }
}
