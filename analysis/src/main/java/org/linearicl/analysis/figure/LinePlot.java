package org.linearicl.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Named series of (x, y) points, optionally with symmetric y error bars, drawn as markers, lines
 * or both, on a linear or logarithmic y axis, with axis titles and a legend: the shape of
 * figures 1, 2, 3, 5, 6 and 7 of the paper (loss against layers or against sigma).
 *
 * <p><b>Axis ranges are computed, not left to XChart</b>, so that the optional in-distribution
 * band can span the whole plot height: on a linear axis the data range (error bars included)
 * padded by 5% each side; on a log axis the enclosing decades {@code [10^floor(log10 min),
 * 10^ceil(log10 max)]}; on x the data and the band. {@link Builder#yRange} and {@link Builder#xRange} override them (e.g. one
 * y range for every panel of a figure).
 *
 * <p><b>The in-distribution band.</b> XChart has no shaded x-range, so the band {@code [a, b]} is
 * an extra series drawn first (under the data) with render style {@link
 * XYSeriesRenderStyle#PolygonArea}: a closed rectangle from {@code a} to {@code b} in x that
 * reaches well beyond the y range (XChart clips series to the plot area, which has a margin
 * around the axis range), filled in translucent grey, no markers, no outline. It appears in the
 * legend under its label (e.g. "in distribution").
 *
 * <p><b>Tick labels</b> use fixed decimal patterns (default {@code 0.##} for x, {@code 0.###}
 * for a linear y, {@code 0E0} for a log y) in {@link java.util.Locale#ROOT}, so a tick never
 * prints 16 digits. On a log axis every y value must be positive (an adjusted loss can come out
 * slightly negative: the caller decides what to show, this class refuses with a message naming
 * the series and point). On a log axis error bars are drawn as separate two-point line series
 * without caps (XChart's own would drop a bar whose lower end is not positive), hidden from the
 * legend; a lower end at or below zero runs off the bottom of the plot.
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
    FLAGGED
  }

  /**
   * One named series.
   *
   * @param name legend label, unique within a plot
   * @param x x values (finite)
   * @param y y values (finite), as many as x
   * @param yError symmetric error bar half-widths (finite, {@code >= 0}), as many as x; or null
   * @param style how it is drawn
   * @param slot the palette slot of its colour and marker, or {@code -1} for its position in
   *     the plot (two series with one slot share a colour: a variant and its flagged points)
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
          throw new IllegalArgumentException(
              "series '" + name + "': x and y must be finite, point " + i + " is (" + x[i] + ", " + y[i] + ")");
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
            throw new IllegalArgumentException(
                "series '" + name + "': yError must be finite and >= 0, point " + i + " is " + yError[i]);
          }
        }
      }
    }

    /** A series coloured by its position in the plot. */
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
        throw new IllegalArgumentException("band must have finite from < to, got [" + from + ", " + to + "]");
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
        throw new IllegalArgumentException("range must have finite min < max, got [" + min + ", " + max + "]");
      }
    }
  }

  /** See {@link #outlierLimit()}. */
  public static final double OUTLIER_FACTOR = 1000;

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final boolean logY;
  private final int width;
  private final int height;
  private final List<Series> series;
  private final Optional<Band> band;
  private final Optional<Range> xRange;
  private final Optional<Range> yRange;
  private final String xPattern;
  private final String yPattern;
  private final LegendPosition legendPosition;

  private LinePlot(Builder b) {
    this.title = b.title;
    this.xTitle = b.xTitle;
    this.yTitle = b.yTitle;
    this.logY = b.logY;
    this.width = b.width;
    this.height = b.height;
    this.series = List.copyOf(b.series);
    this.band = Optional.ofNullable(b.band);
    this.xRange = Optional.ofNullable(b.xRange);
    this.yRange = Optional.ofNullable(b.yRange);
    this.xPattern = b.xPattern;
    this.yPattern = b.yPattern != null ? b.yPattern : (b.logY ? "0E0" : "0.###");
    this.legendPosition = b.legendPosition;
  }

  /** Starts a plot. */
  public static Builder builder() {
    return new Builder();
  }

  /** The series, in drawing order. */
  public List<Series> series() {
    return series;
  }

  /** The computed (or given) y range: see the class comment. */
  public Range yRange() {
    if (yRange.isPresent()) {
      return yRange.get();
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double limit = outlierLimit();
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (Math.abs(s.y[i]) > limit) {
          continue;
        }
        double e = s.yError == null ? 0 : Math.min(s.yError[i], limit);
        double low = s.y[i] - e;
        if (logY && low <= 0) {
          low = s.y[i];
        }
        lo = Math.min(lo, low);
        hi = Math.max(hi, s.y[i] + e);
      }
    }
    if (logY) {
      double a = Math.pow(10, Math.floor(Math.log10(lo)));
      double b = Math.pow(10, Math.ceil(Math.log10(hi)));
      return new Range(a, b > a ? b : a * 10);
    }
    if (hi == lo) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new Range(lo - pad, hi + pad);
    }
    double pad = 0.05 * (hi - lo);
    return new Range(lo - pad, hi + pad);
  }

  /**
   * On a linear axis, values beyond {@value #OUTLIER_FACTOR} times the median magnitude are left
   * off the computed range (and said so in the title): one blown-up model (a loss of 1e68 on a
   * few sequences) must not flatten every other curve, nor hang XChart's tick labelling, which
   * does not terminate on such ranges. Log axes show every decade and need no limit.
   */
  double outlierLimit() {
    if (logY) {
      return Double.POSITIVE_INFINITY;
    }
    List<Double> magnitudes = new java.util.ArrayList<>();
    for (Series s : series) {
      for (double v : s.y) {
        magnitudes.add(Math.abs(v));
      }
    }
    java.util.Collections.sort(magnitudes);
    double median = magnitudes.isEmpty() ? 0 : magnitudes.get(magnitudes.size() / 2);
    return OUTLIER_FACTOR * Math.max(median, 1e-6);
  }

  /** Whether some value lies beyond {@link #outlierLimit()} and is off the computed range. */
  public boolean clipsOutliers() {
    if (yRange.isPresent()) {
      return false;
    }
    double limit = outlierLimit();
    return series.stream().anyMatch(s -> java.util.Arrays.stream(s.y)
        .anyMatch(v -> Math.abs(v) > limit));
  }

  /** The computed (or given) x range: the data and the band. */
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
    if (hi == lo) {
      return new Range(lo - 1, hi + 1);
    }
    return new Range(lo, hi);
  }

  @Override
  public XYChart toChart() {
    XYChart chart = new XYChart(width, height);
    chart.setTitle(clipsOutliers() ? title + " (off-scale values not shown)" : title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    XYStyler s = chart.getStyler();
    Palette.apply(s);
    s.setAxisTitleFont(Palette.AXIS_TITLE);
    s.setAxisTickLabelsFont(Palette.TICKS);
    s.setLegendPosition(legendPosition);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setPlotBorderColor(Color.GRAY);
    s.setYAxisLogarithmic(logY);
    s.setXAxisDecimalPattern(xPattern);
    s.setYAxisDecimalPattern(yPattern);
    s.setErrorBarsColorSeriesColor(true);
    s.setMarkerSize(8);
    Range xr = xRange();
    Range yr = yRange();
    s.setXAxisMin(xr.min());
    s.setXAxisMax(xr.max());
    s.setYAxisMin(yr.min());
    s.setYAxisMax(yr.max());

    if (band.isPresent()) {
      Band b = band.get();
      // beyond the axis range by a whole range (linear) or a factor 1000 (log): the clip cuts it
      double lo = logY ? yr.min() / 1000 : yr.min() - (yr.max() - yr.min());
      double hi = logY ? yr.max() * 1000 : yr.max() + (yr.max() - yr.min());
      XYSeries area = chart.addSeries(b.label(),
          new double[] {b.from(), b.from(), b.to(), b.to()},
          new double[] {lo, hi, hi, lo});
      area.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
      area.setMarker(SeriesMarkers.NONE);
      area.setFillColor(Palette.BAND);
      area.setLineColor(Palette.BAND);
      area.setLineStyle(new BasicStroke(0f));
    }
    for (int i = 0; i < series.size(); i++) {
      Series ser = series.get(i);
      boolean ownBars = logY && ser.yError != null;
      XYSeries xs = ser.yError == null || ownBars
          ? chart.addSeries(ser.name(), ser.x, ser.y)
          : chart.addSeries(ser.name(), ser.x, ser.y, ser.yError);
      int slot = ser.slot() >= 0 ? ser.slot() : i;
      Color c = Palette.color(slot);
      if (ownBars) {
        addLogErrorBars(chart, ser, c, yr);
      }
      xs.setLineColor(c);
      xs.setMarkerColor(c);
      xs.setFillColor(c);
      switch (ser.style()) {
        case MARKERS -> {
          xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
          xs.setMarker(Palette.marker(slot));
        }
        case FLAGGED -> {
          xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
          xs.setMarker(Palette.FLAG);
        }
        case LINE -> {
          xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
          xs.setMarker(SeriesMarkers.NONE);
          xs.setLineStyle(new BasicStroke(2f));
        }
        case LINE_AND_MARKERS -> {
          xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
          xs.setMarker(Palette.marker(slot));
          xs.setLineStyle(new BasicStroke(1.5f));
        }
      }
    }
    return chart;
  }

  /**
   * Error bars on a log axis, one two-point line series per point (hidden from the legend): XChart
   * skips a bar whose lower end is not positive, so that end goes below the axis and the plot's
   * clip cuts it at the bottom edge.
   */
  private static void addLogErrorBars(XYChart chart, Series ser, Color c, Range yr) {
    for (int k = 0; k < ser.x.length; k++) {
      double e = ser.yError[k];
      if (e == 0) {
        continue;
      }
      double low = ser.y[k] - e > 0 ? ser.y[k] - e : yr.min() / 1000;
      XYSeries bar = chart.addSeries(ser.name() + " error bar " + k,
          new double[] {ser.x[k], ser.x[k]}, new double[] {low, ser.y[k] + e});
      bar.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      bar.setMarker(SeriesMarkers.NONE);
      bar.setLineColor(c);
      bar.setLineStyle(new BasicStroke(1f));
      bar.setShowInLegend(false);
    }
  }

  /** Collects a {@link LinePlot}'s settings. */
  public static final class Builder {
    private String title = "";
    private String xTitle = "";
    private String yTitle = "";
    private boolean logY;
    private int width = 640;
    private int height = 420;
    private final List<Series> series = new ArrayList<>();
    private Band band;
    private Range xRange;
    private Range yRange;
    private String xPattern = "0.##";
    private String yPattern;
    private LegendPosition legendPosition = LegendPosition.OutsideE;

    private Builder() {}

    /** The chart title. */
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

    /** A logarithmic y axis (all y must be positive). */
    public Builder logY(boolean logY) {
      this.logY = logY;
      return this;
    }

    /** The size in points (1/72 inch); the PNG's pixels depend on the writer's DPI. */
    public Builder size(int width, int height) {
      if (width < 50 || height < 50) {
        throw new IllegalArgumentException("size must be at least 50x50, got " + width + "x" + height);
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

    /** The {@link java.text.DecimalFormat} pattern of x tick labels (default {@code 0.##}). */
    public Builder xPattern(String pattern) {
      this.xPattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /** The pattern of y tick labels (default {@code 0.###}, or {@code 0E0} on a log axis). */
    public Builder yPattern(String pattern) {
      this.yPattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /** Where the legend goes (default outside, to the right). */
    public Builder legend(LegendPosition position) {
      this.legendPosition = Objects.requireNonNull(position, "position");
      return this;
    }

    /** The plot; needs at least one series. */
    public LinePlot build() {
      if (series.isEmpty()) {
        throw new IllegalArgumentException("series must not be empty");
      }
      if (logY) {
        for (Series ser : series) {
          for (int k = 0; k < ser.y.length; k++) {
            if (!(ser.y[k] > 0)) {
              throw new IllegalArgumentException("series '" + ser.name() + "': a log y axis needs y > 0, point "
                  + k + " is (" + ser.x[k] + ", " + ser.y[k] + ")");
            }
          }
        }
      }
      if (logY && yRange != null && !(yRange.min() > 0)) {
        throw new IllegalArgumentException("yRange min must be > 0 on a log axis, got " + yRange.min());
      }
      return new LinePlot(this);
    }
  }
}
