package org.linearicl.analysis.figure;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;
import java.util.Objects;

/**
 * An empty cell of a grid of panels, with a short grey note in its middle ("no GD++ model with 3
 * layers"): a grid whose rows and columns mean something (one row per depth, one column per
 * variant) keeps every other panel in its row and column when one is missing.
 */
public final class Blank implements Figure {
  private static final Color NOTE = new Color(0x88, 0x88, 0x88);

  private final String note;
  private final int width;
  private final int height;

  /** A blank cell of {@code width} x {@code height} points showing {@code note} (may be empty). */
  public Blank(String note, int width, int height) {
    this.note = Objects.requireNonNull(note, "note");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size must be at least 1x1, got " + width + "x"
          + height);
    }
    this.width = width;
    this.height = height;
  }

  /** The note. */
  public String note() {
    return note;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public void paint(Graphics2D g, Map<String, Integer> slots) {
    g.setColor(Color.WHITE);
    g.fill(new Rectangle2D.Double(0, 0, width, height));
    if (note.isEmpty()) {
      return;
    }
    g.setColor(NOTE);
    g.setFont(Palette.LABEL);
    // a note wider than the cell is clipped by the grid: callers keep notes short
    double w = Palette.width(note, Palette.LABEL);
    g.drawString(note, (float) Math.max(2, (width - w) / 2),
        (float) ((height + Palette.ascent(Palette.LABEL)) / 2));
  }
}
