package org.linearicl.analysis.figure;

import java.awt.Graphics2D;
import java.util.List;
import java.util.Map;

/**
 * One panel of a figure ({@link LinePlot}, {@link HeatMap}), drawn by {@link FigureWriter} into
 * a grid with one legend for the whole figure.
 */
public interface Figure {
  /** Width in points (1/72 inch). */
  int width();

  /** Height in points. */
  int height();

  /**
   * Draws the panel with its top left corner at the origin; {@code slots} are the palette slots
   * of every series name of the figure ({@link Palette#assign}).
   */
  void paint(Graphics2D g, Map<String, Integer> slots);

  /** The panel's series, in drawing order (none for a heat map). */
  default List<LinePlot.Series> series() {
    return List.of();
  }

  /** The panel's entries of the figure legend. */
  default List<Legend.Entry> legend(Map<String, Integer> slots) {
    return List.of();
  }
}
