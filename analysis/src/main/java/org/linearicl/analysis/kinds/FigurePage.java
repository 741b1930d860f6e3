package org.linearicl.analysis.kinds;

import java.util.List;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.FigureWriter;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.experiments.stage.Artifact;

/**
 * A figure an analysis kind drew: its panels, columns, title and caption, or the reason it was
 * skipped; written as PNG, SVG and PDF of the same picture.
 */
record FigurePage(List<Figure> panels, int columns, String title, String caption, String skipped) {
  /** The size of one line-plot panel in points, the same in every analysis figure. */
  static final int PANEL_W = 230;
  static final int PANEL_H = 170;

  /** A line-plot panel of the standard size. */
  static LinePlot.Builder plot(String title, String x, String y) {
    return LinePlot.builder().title(title).xTitle(x).yTitle(y).size(PANEL_W, PANEL_H);
  }

  /** {@code from, from + 1, ..., to} as x values (layer counts, depths). */
  static double[] range(int from, int to) {
    double[] x = new double[to - from + 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = from + i;
    }
    return x;
  }

  static FigurePage skip(String why) {
    return new FigurePage(List.of(), 1, "", "", why);
  }

  static FigurePage of(List<? extends Figure> panels, int columns, String caption) {
    return of(panels, columns, "", caption);
  }

  static FigurePage of(List<? extends Figure> panels, int columns, String title, String caption) {
    return panels.isEmpty() ? skip("no data in this profile") : new FigurePage(List.copyOf(panels),
        columns, title, caption + coincident(panels), null);
  }

  /** The caption's note on the curves drawn higher because they coincide with another. */
  static String coincident(List<? extends Figure> panels) {
    java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
    for (Figure f : panels) {
      if (f instanceof LinePlot p) {
        pairs.addAll(p.coincident());
      }
    }
    return pairs.isEmpty() ? "" : "; where two curves coincide the later one is drawn "
        + (int) LinePlot.LIFT + " pt higher (per curve under it): " + String.join(", ", pairs);
  }

  FigureWriter.Sheet sheet() {
    return new FigureWriter.Sheet(panels, columns, title);
  }

  /** Adds {@code base}.png, .svg and .pdf to the artifact (nothing for a skipped figure). */
  void writeTo(Artifact.Builder b, String base) {
    if (skipped != null) {
      return;
    }
    FigureWriter.Sheet sheet = sheet();
    b.bytes(base + ".png", FigureWriter.png(sheet));
    b.bytes(base + ".svg", FigureWriter.svg(sheet));
    b.bytes(base + ".pdf", FigureWriter.pdf(sheet));
  }
}
