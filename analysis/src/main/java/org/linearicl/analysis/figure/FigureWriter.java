package org.linearicl.analysis.figure;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jfree.pdf.PDFDocument;
import org.jfree.pdf.PDFGraphics2D;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUnits;
import org.jfree.svg.ViewBox;
import org.linearicl.analysis.AtomicFiles;

/**
 * Writes a figure, a grid of panels with one legend, as {@code <base>.png}, {@code <base>.svg} and
 * {@code <base>.pdf}, each atomically (temporary file, then rename).
 *
 * <p>Layout: panels fill a grid row by row, each in a cell the size of the largest panel, under
 * an optional figure title; the legend of the whole figure ({@link Legend}) runs under the grid.
 * The series of all panels get their looks together ({@link Palette#assign}), so one name looks
 * alike in every panel and two names never do. Sizes are in points (1/72 inch).
 *
 * <p>Formats: the PNG is rendered at {@link #DPI} = 144, twice the points in pixels, and carries
 * that resolution in its {@code pHYs} chunk. The SVG (JFreeSVG) and the PDF (JFreePDF) keep text
 * as text (SVG {@code <text>} elements in the generic sans-serif family; the PDF's standard
 * Helvetica), so they stay small and their words can be searched and edited. Text is measured
 * with one fixed context ({@link Palette#FRC}), so all three share one layout.
 *
 * <p>Determinism: no timestamps; rendering one figure twice on one machine gives the same bytes.
 * The PNG's glyphs come from the installed fonts, so it differs between machines: never diff
 * figures in CI.
 */
public final class FigureWriter {
  /** Resolution of the PNG, in pixels per inch. */
  public static final int DPI = 144;

  private static final double POINTS_PER_INCH = 72.0;
  private static final Font FIGURE_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 11);

  private FigureWriter() {}

  /**
   * A figure: panels in a grid of {@code columns} per row, under {@code title} (empty: none).
   */
  public record Sheet(List<Figure> panels, int columns, String title) {
    /** Validates and copies. */
    public Sheet {
      panels = List.copyOf(panels);
      Objects.requireNonNull(title, "title");
      if (panels.isEmpty()) {
        throw new IllegalArgumentException("panels must not be empty");
      }
      if (columns < 1) {
        throw new IllegalArgumentException("columns must be >= 1, got " + columns);
      }
    }

    /** A sheet without a title. */
    public static Sheet of(List<? extends Figure> panels, int columns) {
      return new Sheet(List.copyOf(panels), columns, "");
    }

    /** The palette slot of every series name ({@link Palette#assign}). */
    public Map<String, Integer> slots() {
      List<LinePlot.Series> all = new ArrayList<>();
      for (Figure f : panels) {
        all.addAll(f.series());
      }
      return Palette.assign(all);
    }

    /** The legend's entries. */
    public List<Legend.Entry> legend() {
      return Legend.collect(panels, slots());
    }

    int cols() {
      return Math.min(columns, panels.size());
    }

    int rows() {
      return (panels.size() + columns - 1) / columns;
    }

    int cellWidth() {
      return panels.stream().mapToInt(Figure::width).max().orElse(0);
    }

    int cellHeight() {
      return panels.stream().mapToInt(Figure::height).max().orElse(0);
    }

    double titleHeight() {
      return title.isEmpty() ? 0 : Palette.height(FIGURE_TITLE) + 6;
    }

    /** Width in points. */
    public int width() {
      double entry = 0;
      for (Legend.Entry e : legend()) {
        entry = Math.max(entry, Legend.entryWidth(e));
      }
      return Math.max(cols() * cellWidth(), (int) Math.ceil(Math.max(Palette.width(title,
          FIGURE_TITLE), entry) + 8));
    }

    /** Height in points. */
    public int height() {
      return (int) Math.ceil(titleHeight() + rows() * cellHeight()
          + Legend.height(legend(), width()));
    }

    void paint(Graphics2D g) {
      Map<String, Integer> slots = slots();
      g.setColor(Color.WHITE);
      g.fill(new Rectangle2D.Double(0, 0, width(), height()));
      if (!title.isEmpty()) {
        g.setColor(Color.BLACK);
        g.setFont(FIGURE_TITLE);
        g.drawString(title, (float) ((width() - Palette.width(title, FIGURE_TITLE)) / 2),
            (float) (4 + Palette.ascent(FIGURE_TITLE)));
      }
      double top = titleHeight();
      for (int i = 0; i < panels.size(); i++) {
        Figure f = panels.get(i);
        try (Saved s = new Saved(g)) {
          g.translate((i % columns) * cellWidth(), top + (i / columns) * cellHeight());
          g.clip(new Rectangle2D.Double(0, 0, f.width(), f.height()));
          f.paint(g, slots);
        }
      }
      Legend.paint(g, Legend.collect(panels, slots), width(), top + rows() * cellHeight());
    }
  }

  /** Writes {@code figure} as {@code base.png}, {@code base.svg} and {@code base.pdf}. */
  public static void write(Figure figure, Path base) throws IOException {
    write(Sheet.of(List.of(Objects.requireNonNull(figure, "figure")), 1), base);
  }

  /** Writes {@code figures} as one grid of {@code columns} panels per row. */
  public static void writeFigures(List<? extends Figure> figures, int columns, Path base)
      throws IOException {
    write(Sheet.of(figures, columns), base);
  }

  /**
   * Writes {@code sheet} as {@code base.png}, {@code base.svg} and {@code base.pdf}. {@code
   * base} is a directory plus a file name without extension, e.g. {@code
   * results/paper/figures/fig1}; missing directories are created.
   */
  public static void write(Sheet sheet, Path base) throws IOException {
    byte[] png = png(sheet);
    byte[] svg = svg(sheet);
    byte[] pdf = pdf(sheet);
    AtomicFiles.write(sibling(base, ".png"), png);
    AtomicFiles.write(sibling(base, ".svg"), svg);
    AtomicFiles.write(sibling(base, ".pdf"), pdf);
  }

  /** The PNG's pixel count for a length in points. */
  public static int pixels(int points) {
    return (int) Math.round(points * DPI / POINTS_PER_INCH);
  }

  /** The PNG bytes of {@code sheet}. */
  public static byte[] png(Sheet sheet) {
    double scale = DPI / POINTS_PER_INCH;
    BufferedImage image = new BufferedImage(pixels(sheet.width()), pixels(sheet.height()),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
          RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.scale(scale, scale);
      sheet.paint(g);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writePng(image, out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding PNG in memory", e);
    }
    return out.toByteArray();
  }

  /** The SVG bytes of {@code sheet}: text as {@code <text>} elements, sizes in points. */
  public static byte[] svg(Sheet sheet) {
    SVGGraphics2D g = new SVGGraphics2D(sheet.width(), sheet.height(), SVGUnits.PT);
    // the default prefix is a clock reading: a fixed one keeps the bytes reproducible
    g.setDefsKeyPrefix("fig");
    // a hundredth of a point is far below what a printer resolves; the default writes 17 digits
    g.setGeomDoubleConverter(v -> decimals(v, 2));
    g.setTransformDoubleConverter(v -> decimals(v, 4));
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    sheet.paint(g);
    // the view box makes one user unit one point (without it a unit is a CSS pixel, 3/4 pt)
    String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement(null, true,
        new ViewBox(0, 0, sheet.width(), sheet.height()), null, null) + "\n";
    return doc.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code v} with at most {@code places} decimals, no trailing zeros: 12.5, 3, -0.25. */
  static String decimals(double v, int places) {
    double scale = Math.pow(10, places);
    long r = Math.round(v * scale);
    if (r == 0) {
      return "0";
    }
    String digits = Long.toString(Math.abs(r));
    while (digits.length() <= places) {
      digits = "0" + digits;
    }
    String whole = digits.substring(0, digits.length() - places);
    String frac = digits.substring(digits.length() - places).replaceAll("0+$", "");
    return (r < 0 ? "-" : "") + whole + (frac.isEmpty() ? "" : "." + frac);
  }

  /** The PDF bytes of {@code sheet}: one page of the figure's size, text as text. */
  public static byte[] pdf(Sheet sheet) {
    PDFDocument doc = new PDFDocument();
    PDFGraphics2D g = doc.createPage(new Rectangle2D.Double(0, 0, sheet.width(),
        sheet.height())).getGraphics2D();
    sheet.paint(g);
    return fixDates(doc.getPDFBytes());
  }

  private static final java.util.regex.Pattern PDF_DATE = java.util.regex.Pattern.compile(
      "/(CreationDate|ModDate) \\(D:\\d{14}");

  /**
   * JFreePDF stamps the clock into the document information; the stamp is overwritten in place
   * with 2000-01-01 00:00:00 (same length, so the cross-reference offsets stay right).
   */
  static byte[] fixDates(byte[] pdf) {
    String s = new String(pdf, StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m = PDF_DATE.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(out, "/" + m.group(1) + " (D:20000101000000");
    }
    m.appendTail(out);
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The three files' bytes of {@code panels} in {@code columns} per row (tests, callers). */
  public static byte[] png(List<? extends Figure> panels, int columns) {
    return png(Sheet.of(panels, columns));
  }

  /** See {@link #png(List, int)}. */
  public static byte[] svg(List<? extends Figure> panels, int columns) {
    return svg(Sheet.of(panels, columns));
  }

  /** PNG with a pHYs chunk stating {@link #DPI}; ImageIO writes no time chunk. */
  private static void writePng(BufferedImage image, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata metadata = writer.getDefaultImageMetadata(
          ImageTypeSpecifier.createFromRenderedImage(image), param);
      String pixelsPerMeter = Long.toString(Math.round(DPI / 0.0254));
      IIOMetadataNode phys = new IIOMetadataNode("pHYs");
      phys.setAttribute("pixelsPerUnitXAxis", pixelsPerMeter);
      phys.setAttribute("pixelsPerUnitYAxis", pixelsPerMeter);
      phys.setAttribute("unitSpecifier", "meter");
      IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
      root.appendChild(phys);
      try {
        metadata.mergeTree("javax_imageio_png_1.0", root);
      } catch (IIOInvalidTreeException e) {
        throw new IOException("setting the PNG resolution", e);
      }
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(image, null, metadata), param);
      }
    } finally {
      writer.dispose();
    }
  }

  static Path sibling(Path base, String extension) {
    Path name = Objects.requireNonNull(base, "base").getFileName();
    if (name == null) {
      throw new IllegalArgumentException("base must name a file, got " + base);
    }
    return base.resolveSibling(name + extension);
  }
}
