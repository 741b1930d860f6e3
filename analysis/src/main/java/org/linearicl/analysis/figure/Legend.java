package org.linearicl.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The legend of a whole figure: every distinct entry of its panels, in rows under the grid. */
public final class Legend {
  private Legend() {}

  /** What an entry's sample shows. */
  public enum Sample { MARKER, LINE, LINE_AND_MARKER, FLAG, BAND, OFF_SCALE, HOLLOW, BAR, STRIPES }

  /**
   * One entry.
   *
   * @param label the text
   * @param look colour, marker and dash (null for {@link Sample#BAND} and {@link
   *     Sample#OFF_SCALE})
   * @param sample what the sample shows
   */
  public record Entry(String label, Palette.Look look, Sample sample) {}

  static final double SAMPLE_W = 22;
  static final double ROW_H = 13;
  static final double ENTRY_GAP = 12;

  /** The entries of every panel, each label once (the first wins), in order. */
  static List<Entry> collect(List<? extends Figure> panels, Map<String, Integer> slots) {
    Map<String, Entry> out = new LinkedHashMap<>();
    Entry offScale = null;
    for (Figure f : panels) {
      for (Entry e : f.legend(slots)) {
        if (e.sample() == Sample.OFF_SCALE) {
          offScale = e;
        } else {
          Entry old = out.putIfAbsent(e.label(), e);
          // one name drawn as markers in one panel and as a line through them in another
          if (old != null && old.sample() == Sample.MARKER
              && e.sample() == Sample.LINE_AND_MARKER) {
            out.put(e.label(), e);
          }
        }
      }
    }
    List<Entry> list = new ArrayList<>(out.values());
    if (offScale != null) {
      list.add(offScale);
    }
    return list;
  }

  /** The rows of {@code entries} laid out in {@code width} points. */
  static List<List<Entry>> rows(List<Entry> entries, double width) {
    List<List<Entry>> rows = new ArrayList<>();
    List<Entry> row = new ArrayList<>();
    double used = 0;
    for (Entry e : entries) {
      double w = entryWidth(e);
      if (!row.isEmpty() && used + w > width) {
        rows.add(row);
        row = new ArrayList<>();
        used = 0;
      }
      row.add(e);
      used += w + ENTRY_GAP;
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
    return rows;
  }

  static double entryWidth(Entry e) {
    return SAMPLE_W + 4 + Palette.width(e.label(), Palette.LABEL);
  }

  /** The height the legend takes in {@code width} points (0 without entries). */
  static double height(List<Entry> entries, double width) {
    int n = rows(entries, width).size();
    return n == 0 ? 0 : n * ROW_H + 8;
  }

  /** Draws the legend centred in {@code width}, its top at {@code top}. */
  static void paint(Graphics2D g, List<Entry> entries, double width, double top) {
    List<List<Entry>> rows = rows(entries, width);
    double y = top + 4;
    for (List<Entry> row : rows) {
      double w = -ENTRY_GAP;
      for (Entry e : row) {
        w += entryWidth(e) + ENTRY_GAP;
      }
      double x = Math.max(0, (width - w) / 2);
      double mid = y + ROW_H / 2;
      for (Entry e : row) {
        sample(g, e, x, mid);
        g.setColor(Color.BLACK);
        g.setFont(Palette.LABEL);
        g.drawString(e.label(), (float) (x + SAMPLE_W + 4),
            (float) (mid + Palette.ascent(Palette.LABEL) / 2 - 1));
        x += entryWidth(e) + ENTRY_GAP;
      }
      y += ROW_H;
    }
  }

  private static void sample(Graphics2D g, Entry e, double x, double mid) {
    Palette.Look l = e.look();
    switch (e.sample()) {
      case BAND -> {
        g.setColor(Palette.BAND);
        g.fill(new Rectangle2D.Double(x + 2, mid - 4, SAMPLE_W - 4, 8));
      }
      case OFF_SCALE -> {
        g.setColor(Color.GRAY);
        g.fill(Palette.Marker.TRIANGLE_UP.at(x + SAMPLE_W / 2 - 4, mid, 6));
        g.fill(Palette.Marker.TRIANGLE_DOWN.at(x + SAMPLE_W / 2 + 4, mid, 6));
      }
      case LINE, LINE_AND_MARKER -> {
        g.setColor(l.color());
        g.setStroke(l.stroke(e.sample() == Sample.LINE ? 1.6f : 1.2f));
        g.draw(new Line2D.Double(x, mid, x + SAMPLE_W, mid));
        g.setStroke(new BasicStroke(1f));
        if (e.sample() == Sample.LINE_AND_MARKER) {
          g.fill(l.marker().at(x + SAMPLE_W / 2, mid, LinePlot.MARKER_SIZE));
        }
      }
      case STRIPES -> {
        g.setColor(Palette.BAND);
        g.fill(new Rectangle2D.Double(x + 5, mid - 4, LinePlot.MARK_W, 8));
        g.fill(new Rectangle2D.Double(x + SAMPLE_W - 5 - LinePlot.MARK_W, mid - 4,
            LinePlot.MARK_W, 8));
      }
      case HOLLOW -> {
        g.setColor(l.color());
        g.setStroke(new BasicStroke(1.1f));
        g.draw(l.marker().at(x + SAMPLE_W / 2, mid, LinePlot.MARKER_SIZE + 2));
        g.setStroke(new BasicStroke(1f));
      }
      case BAR -> {
        g.setColor(l.color());
        g.fill(new Rectangle2D.Double(x + SAMPLE_W / 2 - 4, mid - 4, 8, 8));
      }
      case MARKER -> {
        g.setColor(l.color());
        g.fill(l.marker().at(x + SAMPLE_W / 2, mid, LinePlot.MARKER_SIZE));
      }
      case FLAG -> {
        g.setColor(l.color());
        g.fill(Palette.Marker.CROSS.at(x + SAMPLE_W / 2, mid, LinePlot.MARKER_SIZE + 1));
      }
    }
  }
}
