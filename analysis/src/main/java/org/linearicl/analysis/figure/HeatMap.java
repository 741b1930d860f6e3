package org.linearicl.analysis.figure;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * A matrix drawn as a heat map with a diverging colour scale symmetric around 0 (blue for
 * negative, white for 0, red for positive), for the P and Q matrices of the paper's fig. 4.
 *
 * <p>The matrix is shown as printed: row 0 at the top, column 0 at the left (XChart's heat map
 * puts y index 0 at the bottom, so rows are handed to it in reverse). The colour scale runs from
 * {@code -m} to {@code m}, with {@code m} the largest absolute entry unless {@link
 * Builder#scale(double)} fixes it (use one scale for matrices that should be compared). Cell
 * values can be printed in the cells with a fixed {@link java.text.DecimalFormat} pattern.
 */
public final class HeatMap implements Figure {
  /** Colour of the most negative end of the scale. */
  public static final Color NEGATIVE = new Color(0x21, 0x66, 0xAC);
  /** Colour of 0. */
  public static final Color ZERO = Color.WHITE;
  /** Colour of the most positive end of the scale. */
  public static final Color POSITIVE = new Color(0xB2, 0x18, 0x2B);

  private final String title;
  private final double[][] matrix;
  private final List<String> rowLabels;
  private final List<String> columnLabels;
  private final double scale;
  private final boolean showValues;
  private final String valuePattern;
  private final int width;
  private final int height;

  private HeatMap(Builder b) {
    this.title = b.title;
    this.matrix = b.matrix;
    this.rowLabels = b.rowLabels != null ? b.rowLabels : indexLabels(b.matrix.length);
    this.columnLabels = b.columnLabels != null ? b.columnLabels : indexLabels(b.matrix[0].length);
    this.scale = b.scale > 0 ? b.scale : maxAbs(b.matrix);
    this.showValues = b.showValues;
    this.valuePattern = b.valuePattern;
    this.width = b.width;
    this.height = b.height;
  }

  /** Starts a heat map of {@code matrix} (rectangular, finite; copied). */
  public static Builder builder(double[][] matrix) {
    return new Builder(matrix);
  }

  /** Half the width of the colour scale: values in {@code [-scale, scale]} get distinct colours. */
  public double scale() {
    return scale;
  }

  private static List<String> indexLabels(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Integer.toString(i));
    }
    return List.copyOf(out);
  }

  private static double maxAbs(double[][] m) {
    double max = 0;
    for (double[] row : m) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max > 0 ? max : 1; // an all-zero matrix: any symmetric scale shows it white
  }

  @Override
  public HeatMapChart toChart() {
    // The builder, not new HeatMapChart(w, h): that constructor leaves the styler half set up and
    // paints an empty picture.
    HeatMapChart chart = new HeatMapChartBuilder()
        .width(width)
        .height(height)
        .title(title)
        .xAxisTitle("column")
        .yAxisTitle("row")
        .build();
    HeatMapStyler s = chart.getStyler();
    Palette.apply(s);
    s.setAxisTitleFont(Palette.AXIS_TITLE);
    s.setAxisTickLabelsFont(Palette.TICKS);
    s.setLegendPosition(LegendPosition.OutsideE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setRangeColors(new Color[] {NEGATIVE, ZERO, POSITIVE});
    s.setMin(-scale);
    s.setMax(scale);
    s.setPiecewise(false);
    s.setShowValue(showValues);
    // XChart formats cell values with this pattern (in the styler's locale, ROOT); a small
    // negative value prints as -0.0, which DecimalFormat does on purpose: it keeps the sign.
    s.setHeatMapValueDecimalPattern(valuePattern);
    s.setDecimalPattern(valuePattern);
    s.setXAxisMaxLabelCount(matrix[0].length);
    s.setValueFont(Palette.TICKS);
    s.setValueFontColor(Color.BLACK);
    s.setDrawBorder(true);
    s.setPlotGridLinesVisible(false);

    int rows = matrix.length;
    int cols = matrix[0].length;
    List<String> yData = new ArrayList<>(rows);
    for (int i = rows - 1; i >= 0; i--) {
      yData.add(rowLabels.get(i));
    }
    List<Number[]> heat = new ArrayList<>(rows * cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        heat.add(new Number[] {j, rows - 1 - i, matrix[i][j]});
      }
    }
    chart.addSeries(title.isEmpty() ? "matrix" : title, columnLabels, yData, heat);
    return chart;
  }

  /** Collects a {@link HeatMap}'s settings. */
  public static final class Builder {
    private final double[][] matrix;
    private String title = "";
    private List<String> rowLabels;
    private List<String> columnLabels;
    private double scale;
    private boolean showValues;
    private String valuePattern = "0.00";
    private int width = 520;
    private int height = 440;

    private Builder(double[][] matrix) {
      Objects.requireNonNull(matrix, "matrix");
      if (matrix.length == 0 || matrix[0] == null || matrix[0].length == 0) {
        throw new IllegalArgumentException("matrix must have at least one row and one column");
      }
      double[][] copy = new double[matrix.length][];
      for (int i = 0; i < matrix.length; i++) {
        if (matrix[i] == null || matrix[i].length != matrix[0].length) {
          throw new IllegalArgumentException("matrix must be rectangular: row " + i + " differs from row 0");
        }
        for (int j = 0; j < matrix[i].length; j++) {
          if (!Double.isFinite(matrix[i][j])) {
            throw new IllegalArgumentException("matrix must be finite: [" + i + "][" + j + "] is " + matrix[i][j]);
          }
        }
        copy[i] = matrix[i].clone();
      }
      this.matrix = copy;
    }

    /** The chart title (e.g. {@code Q of layer 2}). */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** Labels of the rows, top to bottom (default 0, 1, ...). */
    public Builder rowLabels(List<String> labels) {
      if (labels.size() != matrix.length) {
        throw new IllegalArgumentException("rowLabels has " + labels.size() + " labels, matrix has " + matrix.length + " rows");
      }
      this.rowLabels = List.copyOf(labels);
      return this;
    }

    /** Labels of the columns, left to right (default 0, 1, ...). */
    public Builder columnLabels(List<String> labels) {
      if (labels.size() != matrix[0].length) {
        throw new IllegalArgumentException(
            "columnLabels has " + labels.size() + " labels, matrix has " + matrix[0].length + " columns");
      }
      this.columnLabels = List.copyOf(labels);
      return this;
    }

    /** Fixes the colour scale to {@code [-scale, scale]} ({@code scale > 0}). */
    public Builder scale(double scale) {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
      }
      this.scale = scale;
      return this;
    }

    /** Prints each cell's value with {@code pattern} (a DecimalFormat pattern, e.g. {@code 0.00}). */
    public Builder showValues(String pattern) {
      this.showValues = true;
      this.valuePattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /** The size in points (1/72 inch). */
    public Builder size(int width, int height) {
      if (width < 50 || height < 50) {
        throw new IllegalArgumentException("size must be at least 50x50, got " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /** The heat map. */
    public HeatMap build() {
      return new HeatMap(this);
    }
  }
}
