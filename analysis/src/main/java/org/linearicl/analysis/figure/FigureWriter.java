package org.linearicl.analysis.figure;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.knowm.xchart.internal.chartpart.Chart;
import org.linearicl.analysis.AtomicFiles;

/**
 * Writes a chart, or a grid of charts, as {@code <base>.png} and {@code <base>.svg}, each
 * atomically (temporary file, then rename).
 *
 * <p>Sizes: a chart's width and height are in points (1/72 inch). The PNG is rendered at {@link
 * #DPI} = 144, i.e. {@code round(width * 144 / 72)} = twice the points in pixels, and carries that
 * resolution in its {@code pHYs} chunk; the SVG's page is the size in points. Both are drawn by
 * the chart's own {@code paint} into an AWT image or a VectorGraphics2D canvas, so the two files
 * show the same picture.
 *
 * <p>Multi-panel figures (fig. 1 has one panel per sigma_max) are composed into one file by
 * {@link #writeGrid}: panels fill a grid row by row, each in a cell the size of the largest
 * panel, on a white background, in the PNG and the SVG alike. Each panel keeps its own axes: give
 * the panels a common y range ({@link LinePlot.Builder#yRange}) when they should be compared.
 *
 * <p>Determinism: no timestamps are written; rendering the same chart twice on one machine gives
 * the same bytes. Text is drawn with the installed fonts (SVG text is emitted as glyph outlines),
 * so files differ between machines: never diff figures in CI.
 */
public final class FigureWriter {
  /** Resolution of the PNG, in pixels per inch. */
  public static final int DPI = 144;

  private static final double POINTS_PER_INCH = 72.0;

  private FigureWriter() {}

  /** Writes {@code figure} as {@code base.png} and {@code base.svg}. */
  public static void write(Figure figure, Path base) throws IOException {
    write(Objects.requireNonNull(figure, "figure").toChart(), base);
  }

  /** Writes {@code chart} as {@code base.png} and {@code base.svg}. */
  public static void write(Chart<?, ?> chart, Path base) throws IOException {
    writeGrid(List.of(Objects.requireNonNull(chart, "chart")), 1, base);
  }

  /**
   * Writes {@code figures} as one grid of {@code columns} panels per row, as {@code base.png} and
   * {@code base.svg}.
   */
  public static void writeFigures(List<? extends Figure> figures, int columns, Path base) throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Figure f : figures) {
      charts.add(f.toChart());
    }
    writeGrid(charts, columns, base);
  }

  /**
   * Writes {@code panels} as one grid of {@code columns} panels per row, as {@code base.png} and
   * {@code base.svg}. {@code base} is a directory plus a file name without extension, e.g.
   * {@code results/paper/figures/fig1}; missing directories are created.
   */
  public static void writeGrid(List<? extends Chart<?, ?>> panels, int columns, Path base) throws IOException {
    Grid grid = new Grid(panels, columns);
    byte[] png = png(grid);
    byte[] svg = svg(grid);
    AtomicFiles.write(sibling(base, ".png"), out -> out.write(png));
    AtomicFiles.write(sibling(base, ".svg"), out -> out.write(svg));
  }

  /** The PNG bytes of {@code chart}, as {@link #write(Chart, Path)} would write them. */
  public static byte[] png(Chart<?, ?> chart) {
    return png(new Grid(List.of(chart), 1));
  }

  /** The SVG bytes of {@code chart}, as {@link #write(Chart, Path)} would write them. */
  public static byte[] svg(Chart<?, ?> chart) {
    return svg(new Grid(List.of(chart), 1));
  }

  /** The PNG bytes of {@code panels} as one grid of {@code columns} panels per row. */
  public static byte[] png(List<? extends Chart<?, ?>> panels, int columns) {
    return png(new Grid(panels, columns));
  }

  /** The SVG bytes of {@code panels} as one grid of {@code columns} panels per row. */
  public static byte[] svg(List<? extends Chart<?, ?>> panels, int columns) {
    return svg(new Grid(panels, columns));
  }

  /** The PNG's pixel count for a length in points. */
  public static int pixels(int points) {
    return (int) Math.round(points * DPI / POINTS_PER_INCH);
  }

  /** Panels laid out row by row in equal cells. */
  private record Grid(List<Chart<?, ?>> panels, int columns, int cellWidth, int cellHeight) {
    Grid(List<? extends Chart<?, ?>> panels, int columns) {
      this(List.copyOf(panels), columns, maxWidth(panels), maxHeight(panels));
    }

    Grid {
      if (panels.isEmpty()) {
        throw new IllegalArgumentException("panels must not be empty");
      }
      if (columns < 1) {
        throw new IllegalArgumentException("columns must be >= 1, got " + columns);
      }
    }

    int cols() {
      return Math.min(columns, panels.size());
    }

    int rows() {
      return (panels.size() + columns - 1) / columns;
    }

    int width() {
      return cols() * cellWidth;
    }

    int height() {
      return rows() * cellHeight;
    }

    void paint(Graphics2D g) {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width(), height());
      for (int i = 0; i < panels.size(); i++) {
        Chart<?, ?> c = panels.get(i);
        Graphics2D p = (Graphics2D) g.create();
        p.translate((i % columns) * cellWidth, (i / columns) * cellHeight);
        p.clipRect(0, 0, c.getWidth(), c.getHeight());
        c.paint(p, c.getWidth(), c.getHeight());
        p.dispose();
      }
    }

    private static int maxWidth(List<? extends Chart<?, ?>> panels) {
      return panels.stream().mapToInt(Chart::getWidth).max().orElse(0);
    }

    private static int maxHeight(List<? extends Chart<?, ?>> panels) {
      return panels.stream().mapToInt(Chart::getHeight).max().orElse(0);
    }
  }

  private static byte[] png(Grid grid) {
    double scale = DPI / POINTS_PER_INCH;
    BufferedImage image = new BufferedImage(pixels(grid.width()), pixels(grid.height()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.scale(scale, scale);
      grid.paint(g);
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

  /** PNG with a pHYs chunk stating {@link #DPI}; ImageIO writes no time chunk. */
  private static void writePng(BufferedImage image, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
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

  private static byte[] svg(Grid grid) {
    VectorGraphics2D g = new VectorGraphics2D();
    grid.paint(g);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, grid.width(), grid.height())).writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding SVG in memory", e);
    }
    return out.toByteArray();
  }

  static Path sibling(Path base, String extension) {
    Path name = Objects.requireNonNull(base, "base").getFileName();
    if (name == null) {
      throw new IllegalArgumentException("base must name a file, got " + base);
    }
    return base.resolveSibling(name + extension);
  }
}
