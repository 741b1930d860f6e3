package org.linearicl.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A row of matrices drawn as heat maps with square cells and one shared colour bar: the P (or
 * Q) matrices of every layer in the paper's fig. 4. The colour scale is diverging and symmetric
 * around 0 (blue negative, white 0, red positive; {@link Palette#diverging}), from {@code -m} to
 * {@code m} with {@code m} the largest absolute entry of the row unless {@link
 * Builder#scale(double)} fixes it. Each matrix is shown as printed: row 0 at the top, column 0 at
 * the left; the row labels stand left of the first matrix, the column labels under each. The
 * colour bar's ticks ({@code -m, -m/2, 0, m/2, m}) carry 3 significant digits.
 */
public final class HeatMap implements Figure {
  private static final double PAD = 4;
  private static final double MIN_GAP = 10;
  private final double gap;
  private static final double BAR_W = 8;

  private final List<String> titles;
  private final List<double[][]> matrices;
  private final List<String> rowLabels;
  private final List<String> columnLabels;
  private final double scale;
  private final double cell;
  private final String xTitle;
  private final String barTitle;
  private final String missing;

  /** The colour of a cell without a value (NaN): not applicable, unlike white's 0. */
  static final Color MISSING = new Color(0xBD, 0xBD, 0xBD);

  private HeatMap(Builder b) {
    this.titles = List.copyOf(b.titles);
    this.matrices = List.copyOf(b.matrices);
    double[][] first = matrices.get(0);
    this.xTitle = b.xTitle;
    this.barTitle = b.barTitle;
    this.missing = b.missing;
    this.rowLabels = b.rowLabels != null ? b.rowLabels : indexLabels(first.length);
    this.columnLabels = b.columnLabels != null ? b.columnLabels : indexLabels(first[0].length);
    double s = b.scale;
    if (!(s > 0)) {
      for (double[][] m : matrices) {
        for (double[] r : m) {
          for (double v : r) {
            if (!Double.isNaN(v)) {
              s = Math.max(s, Math.abs(v));
            }
          }
        }
      }
    }
    this.scale = s > 0 ? s : 1; // an all-zero row: any symmetric scale shows it white
    double widest = 0;
    for (String l : columnLabels) {
      widest = Math.max(widest, Palette.width(l, Palette.SMALL));
    }
    // the colour bar's title runs along the bar, which is as tall as the maps
    double along = b.barTitle.isEmpty() ? 0 : Palette.width(b.barTitle, Palette.LABEL) + 4;
    this.cell = Math.max(Math.max(12, Math.ceil(widest + 3)), Math.ceil(along / rows()));
    this.gap = Math.max(MIN_GAP, Math.ceil(overhang()) + 6);
  }

  /** Starts a row of heat maps. */
  public static Builder builder() {
    return new Builder();
  }

  /** Half the width of the colour scale: values in {@code [-scale, scale]} get distinct colours. */
  public double scale() {
    return scale;
  }

  /** The side of a cell in points (every cell is square). */
  public double cell() {
    return cell;
  }

  /** The colour of value {@code v}. */
  public Color color(double v) {
    return Palette.diverging(v / scale);
  }

  /** The colour bar's tick labels, bottom to top. */
  public List<String> barLabels() {
    List<String> out = new ArrayList<>();
    for (double f : new double[] {-1, -0.5, 0, 0.5, 1}) {
      out.add(Axis.significant(f * scale, 3));
    }
    return out;
  }

  private static List<String> indexLabels(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Integer.toString(i));
    }
    return List.copyOf(out);
  }

  private int rows() {
    return matrices.get(0).length;
  }

  private int cols() {
    return matrices.get(0)[0].length;
  }

  private double rowLabelWidth() {
    double w = 0;
    for (String l : rowLabels) {
      w = Math.max(w, Palette.width(l, Palette.SMALL));
    }
    return w + 3;
  }

  private double top() {
    return PAD + Palette.height(Palette.TITLE) + 3;
  }

  private double barLabelWidth() {
    double w = 0;
    for (String l : barLabels()) {
      w = Math.max(w, Palette.width(l, Palette.TICKS));
    }
    return w;
  }

  private double mapsWidth() {
    return matrices.size() * cols() * cell + (matrices.size() - 1) * gap;
  }

  @Override
  public int width() {
    double titles = overhang();
    return (int) Math.ceil(PAD + Math.max(rowLabelWidth(), titles / 2) + mapsWidth() + gap
        + BAR_W + 3 + barLabelWidth() + (barTitle.isEmpty() ? 0
        : 3 + Palette.height(Palette.LABEL)) + Math.max(PAD, titles / 2));
  }

  /** How much wider than a map its widest title is (0 if none is). */
  private double overhang() {
    double o = 0;
    for (String t : titles) {
      o = Math.max(o, Palette.width(t, Palette.TITLE) - cols() * cell);
    }
    return o;
  }

  @Override
  public int height() {
    return (int) Math.ceil(top() + rows() * cell + 2 + Palette.height(Palette.SMALL)
        + (xTitle.isEmpty() ? 0 : 2 + Palette.height(Palette.LABEL)) + PAD);
  }

  @Override
  public List<Legend.Entry> legend(Map<String, Integer> slots) {
    boolean any = matrices.stream().flatMap(java.util.Arrays::stream)
        .flatMapToDouble(java.util.Arrays::stream).anyMatch(Double::isNaN);
    return any && !missing.isEmpty() ? List.of(new Legend.Entry(missing,
        new Palette.Look(MISSING, Palette.Marker.SQUARE, 0), Legend.Sample.BAR)) : List.of();
  }

  @Override
  public void paint(Graphics2D g, Map<String, Integer> slots) {
    Saved saved = new Saved(g);
    g.setColor(Color.WHITE);
    g.fill(new Rectangle2D.Double(0, 0, width(), height()));
    double top = top();
    double x0 = PAD + Math.max(rowLabelWidth(), overhang() / 2);
    double side = cols() * cell;
    double bottom = top + rows() * cell;
    g.setFont(Palette.SMALL);
    g.setColor(Color.BLACK);
    for (int i = 0; i < rows(); i++) {
      String l = rowLabels.get(i);
      g.drawString(l, (float) (x0 - 3 - Palette.width(l, Palette.SMALL)),
          (float) (top + (i + 0.5) * cell + Palette.ascent(Palette.SMALL) / 2 - 0.5));
    }
    for (int k = 0; k < matrices.size(); k++) {
      double left = x0 + k * (side + gap);
      double[][] m = matrices.get(k);
      for (int i = 0; i < m.length; i++) {
        for (int j = 0; j < m[i].length; j++) {
          Color c = Double.isNaN(m[i][j]) ? MISSING : color(m[i][j]);
          if (c.equals(Color.WHITE)) {
            continue; // the background already is: fewer SVG elements
          }
          g.setColor(c);
          // a hair wider than the cell, so anti-aliasing leaves no seams between cells
          g.fill(new Rectangle2D.Double(left + j * cell, top + i * cell, cell + 0.3, cell + 0.3));
        }
      }
      g.setColor(Palette.AXIS);
      g.setStroke(new BasicStroke(0.6f));
      g.draw(new Rectangle2D.Double(left, top, side, rows() * cell));
      g.setColor(Color.BLACK);
      g.setFont(Palette.SMALL);
      for (int j = 0; j < cols(); j++) {
        String l = columnLabels.get(j);
        g.drawString(l, (float) (left + (j + 0.5) * cell - Palette.width(l, Palette.SMALL) / 2),
            (float) (bottom + 2 + Palette.ascent(Palette.SMALL)));
      }
      g.setFont(Palette.TITLE);
      String t = titles.get(k);
      g.drawString(t, (float) (left + side / 2 - Palette.width(t, Palette.TITLE) / 2),
          (float) (PAD + Palette.ascent(Palette.TITLE)));
    }
    if (!xTitle.isEmpty()) {
      g.setColor(Color.BLACK);
      g.setFont(Palette.LABEL);
      g.drawString(xTitle, (float) (x0 + mapsWidth() / 2 - Palette.width(xTitle, Palette.LABEL)
          / 2), (float) (bottom + 2 + Palette.height(Palette.SMALL) + 2
          + Palette.ascent(Palette.LABEL)));
    }
    double bx = x0 + matrices.size() * (side + gap);
    double h = rows() * cell;
    int steps = 64;
    for (int s = 0; s < steps; s++) {
      double v0 = 1 - 2.0 * s / steps;
      g.setColor(Palette.diverging(v0 - 1.0 / steps));
      g.fill(new Rectangle2D.Double(bx, top + s * h / steps, BAR_W, h / steps + 0.3));
    }
    g.setColor(Palette.AXIS);
    g.draw(new Rectangle2D.Double(bx, top, BAR_W, h));
    g.setFont(Palette.TICKS);
    List<String> labels = barLabels();
    for (int i = 0; i < labels.size(); i++) {
      double y = bottom - i * h / (labels.size() - 1);
      g.draw(new Line2D.Double(bx + BAR_W, y, bx + BAR_W + 2, y));
      g.drawString(labels.get(i), (float) (bx + BAR_W + 3),
          (float) (y + Palette.ascent(Palette.TICKS) / 2 - 0.5));
    }
    if (!barTitle.isEmpty()) {
      try (Saved s = new Saved(g)) {
        g.setColor(Color.BLACK);
        g.setFont(Palette.LABEL);
        double w = Palette.width(barTitle, Palette.LABEL);
        g.translate(bx + BAR_W + 3 + barLabelWidth() + 3 + Palette.ascent(Palette.LABEL),
            top + h / 2 - w / 2);
        g.transform(java.awt.geom.AffineTransform.getRotateInstance(Math.PI / 2));
        g.drawString(barTitle, 0f, 0f);
      }
    }
    saved.close();
  }

  /** Collects a {@link HeatMap}'s matrices and settings. */
  public static final class Builder {
    private final List<String> titles = new ArrayList<>();
    private final List<double[][]> matrices = new ArrayList<>();
    private List<String> rowLabels;
    private List<String> columnLabels;
    private double scale;
    private String xTitle = "";
    private String barTitle = "";
    private String missing = "";
    private boolean allowMissing;

    private Builder() {}

    /** A title under the column labels, centred under the maps. */
    public Builder xTitle(String xTitle) {
      this.xTitle = Objects.requireNonNull(xTitle, "xTitle");
      return this;
    }

    /** A title beside the colour bar (what the colour measures). */
    public Builder barTitle(String barTitle) {
      this.barTitle = Objects.requireNonNull(barTitle, "barTitle");
      return this;
    }

    /**
     * Lets cells be NaN: not applicable, drawn grey and named {@code label} in the legend
     * (white stays 0).
     */
    public Builder missing(String label) {
      this.missing = Objects.requireNonNull(label, "label");
      this.allowMissing = true;
      return this;
    }

    /** Adds a matrix (rectangular, finite, the shape of the first; copied) under a title. */
    public Builder matrix(String title, double[][] matrix) {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(matrix, "matrix");
      if (matrix.length == 0 || matrix[0] == null || matrix[0].length == 0) {
        throw new IllegalArgumentException("matrix must have at least one row and one column");
      }
      double[][] copy = new double[matrix.length][];
      for (int i = 0; i < matrix.length; i++) {
        if (matrix[i] == null || matrix[i].length != matrix[0].length) {
          throw new IllegalArgumentException("matrix must be rectangular: row " + i
              + " differs from row 0");
        }
        for (int j = 0; j < matrix[i].length; j++) {
          if (!Double.isFinite(matrix[i][j]) && !(allowMissing && Double.isNaN(matrix[i][j]))) {
            throw new IllegalArgumentException("matrix must be finite: [" + i + "][" + j
                + "] is " + matrix[i][j]);
          }
        }
        copy[i] = matrix[i].clone();
      }
      if (!matrices.isEmpty() && (copy.length != matrices.get(0).length
          || copy[0].length != matrices.get(0)[0].length)) {
        throw new IllegalArgumentException("every matrix of a row must have one shape");
      }
      titles.add(title);
      matrices.add(copy);
      return this;
    }

    /** Labels of the rows, top to bottom (default 0, 1, ...). */
    public Builder rowLabels(List<String> labels) {
      this.rowLabels = List.copyOf(labels);
      return this;
    }

    /** Labels of the columns, left to right (default 0, 1, ...). */
    public Builder columnLabels(List<String> labels) {
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

    /** The row of heat maps; needs a matrix, and labels that match its shape. */
    public HeatMap build() {
      if (matrices.isEmpty()) {
        throw new IllegalArgumentException("a heat map needs at least one matrix");
      }
      if (rowLabels != null && rowLabels.size() != matrices.get(0).length) {
        throw new IllegalArgumentException("rowLabels has " + rowLabels.size()
            + " labels, the matrices have " + matrices.get(0).length + " rows");
      }
      if (columnLabels != null && columnLabels.size() != matrices.get(0)[0].length) {
        throw new IllegalArgumentException("columnLabels has " + columnLabels.size()
            + " labels, the matrices have " + matrices.get(0)[0].length + " columns");
      }
      return new HeatMap(this);
    }
  }
}
