package org.linearicl.analysis.mechanism;

import java.util.List;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.table.Table;

/**
 * Where a mechanism analysis puts what it found: its section of {@code tables/mechanism.md}, its
 * tables and its figure. The stage kind behind it writes them: the sections in the order given,
 * each table as CSV, each figure as PNG, SVG and PDF in the style of every analysis figure.
 */
public interface Findings {
  /** Appends a section (Markdown, ending in a blank line) to {@code tables/mechanism.md}. */
  void text(String markdown);

  /** Publishes {@code table} as CSV under {@code file}. */
  void table(String file, Table table);

  /** A line-plot panel of the size every analysis figure uses. */
  LinePlot.Builder panel(String title, String xTitle, String yTitle);

  /** Publishes the figure {@code name} (no panels: skipped, for want of data). */
  void figure(String name, List<? extends Figure> panels, int columns, String title,
      String caption);

  /** Records that the figure {@code name} is not drawn, and why. */
  void skipFigure(String name, String why);
}
