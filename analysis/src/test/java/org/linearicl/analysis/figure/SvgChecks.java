package org.linearicl.analysis.figure;

import java.awt.Font;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Measures a written figure's SVG: where its texts lie (in the font's metrics, through every
 * transform) and which stroked curves it draws, so tests can check the rules every figure meets.
 */
public final class SvgChecks {
  private SvgChecks() {}

  /** Room for rounding of the written coordinates, in points. */
  private static final double SLACK = 0.6;

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(e-?\\d+)?");

  /**
   * The texts of {@code svg} that leave the canvas, or the clip of their panel (where the
   * viewer cuts them off): "text 'x' at [box] outside ...", none when every text fits.
   */
  public static List<String> textOutside(byte[] svg) throws Exception {
    Document doc = parse(svg);
    Element root = doc.getDocumentElement();
    String[] view = root.getAttribute("viewBox").split(" ");
    Rectangle2D canvas = new Rectangle2D.Double(0, 0, Double.parseDouble(view[2]),
        Double.parseDouble(view[3]));
    Map<String, Rectangle2D> clips = new HashMap<>();
    NodeList cps = doc.getElementsByTagName("clipPath");
    for (int i = 0; i < cps.getLength(); i++) {
      Element cp = (Element) cps.item(i);
      Element path = (Element) cp.getElementsByTagName("path").item(0);
      clips.put(cp.getAttribute("id"), bounds(path.getAttribute("d")));
    }
    List<String> out = new ArrayList<>();
    NodeList texts = doc.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      String s = t.getTextContent();
      Font f = font(t.getAttribute("style"));
      double x = Double.parseDouble(t.getAttribute("x"));
      double y = Double.parseDouble(t.getAttribute("y"));
      Rectangle2D local = new Rectangle2D.Double(x, y - Palette.ascent(f) * 0.8,
          Palette.width(s, f), Palette.ascent(f) * 0.8);
      String clip = t.getAttribute("clip-path");
      if (!clip.isEmpty()) {
        Rectangle2D c = clips.get(clip.substring(5, clip.length() - 1));
        if (c != null && !inside(local, c)) {
          out.add("text '" + s + "' at " + box(local) + " is cut by its clip " + box(c));
        }
      }
      Rectangle2D global = transform(t).createTransformedShape(local).getBounds2D();
      if (!inside(global, canvas)) {
        out.add("text '" + s + "' at " + box(global) + " leaves the canvas " + box(canvas));
      }
    }
    return out;
  }

  /**
   * The stroked paths (curves; not the dark grey frames and ticks) drawn with the same points,
   * dash and place as an earlier one: a curve hidden under another.
   */
  public static List<String> identicalCurves(byte[] svg) throws Exception {
    Document doc = parse(svg);
    Map<String, String> seen = new HashMap<>();
    List<String> out = new ArrayList<>();
    NodeList paths = doc.getElementsByTagName("path");
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      Element g = p.getParentNode() instanceof Element e ? e : null;
      String style = g == null ? "" : g.getAttribute("style");
      if (g == null || !style.contains("stroke:rgb") || style.contains("stroke:rgb(51,51,51)")
          || p.getAttribute("d").split("L").length < 3) {
        continue; // not a curve of three points or more
      }
      String dash = style.replaceAll(".*stroke-dasharray:([^;]*).*", "$1");
      String key = p.getAttribute("d") + "|" + (style.contains("dasharray") ? dash : "")
          + "|" + g.getAttribute("transform");
      String colour = style.replaceAll(".*stroke:(rgb\\([^)]*\\)).*", "$1");
      String old = seen.putIfAbsent(key, colour);
      if (old != null && !old.equals(colour)) {
        out.add("a " + colour + " curve lies exactly on a " + old + " one");
      }
    }
    return out;
  }

  private static Document parse(byte[] svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
  }

  private static Font font(String style) {
    Matcher m = Pattern.compile("font-size: ?([0-9.]+)px").matcher(style);
    float size = m.find() ? Float.parseFloat(m.group(1)) : 10;
    return new Font(Font.SANS_SERIF, style.contains("bold") ? Font.BOLD : Font.PLAIN, 1)
        .deriveFont(size);
  }

  private static AffineTransform transform(Node n) {
    AffineTransform at = new AffineTransform();
    List<AffineTransform> chain = new ArrayList<>();
    for (Node p = n; p instanceof Element e; p = p.getParentNode()) {
      String t = e.getAttribute("transform");
      if (t.startsWith("matrix(")) {
        String[] v = t.substring(7, t.length() - 1).split(",");
        chain.add(0, new AffineTransform(Double.parseDouble(v[0]), Double.parseDouble(v[1]),
            Double.parseDouble(v[2]), Double.parseDouble(v[3]), Double.parseDouble(v[4]),
            Double.parseDouble(v[5])));
      }
    }
    for (AffineTransform t : chain) {
      at.concatenate(t);
    }
    return at;
  }

  private static Rectangle2D bounds(String d) {
    Matcher m = NUMBER.matcher(d);
    List<Double> v = new ArrayList<>();
    while (m.find()) {
      v.add(Double.parseDouble(m.group()));
    }
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i + 1 < v.size(); i += 2) {
      x0 = Math.min(x0, v.get(i));
      x1 = Math.max(x1, v.get(i));
      y0 = Math.min(y0, v.get(i + 1));
      y1 = Math.max(y1, v.get(i + 1));
    }
    return new Rectangle2D.Double(x0, y0, x1 - x0, y1 - y0);
  }

  private static boolean inside(Rectangle2D r, Rectangle2D c) {
    return r.getMinX() >= c.getMinX() - SLACK && r.getMaxX() <= c.getMaxX() + SLACK
        && r.getMinY() >= c.getMinY() - SLACK && r.getMaxY() <= c.getMaxY() + SLACK;
  }

  private static String box(Rectangle2D r) {
    return String.format(java.util.Locale.ROOT, "[%.1f, %.1f]x[%.1f, %.1f]", r.getMinX(),
        r.getMaxX(), r.getMinY(), r.getMaxY());
  }

  /** The legend's height in points of a sheet. */
  public static double legendHeight(FigureWriter.Sheet sheet) {
    return Legend.height(sheet.legend(), sheet.width());
  }

  /** The height of the shortest panel's data area (a line plot's frame), in points. */
  public static double plotHeight(FigureWriter.Sheet sheet) {
    double h = Double.POSITIVE_INFINITY;
    for (Figure f : sheet.panels()) {
      h = Math.min(h, f instanceof LinePlot p ? p.dataArea().getHeight() : f.height());
    }
    return h;
  }
}
