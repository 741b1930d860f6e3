package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.analysis.figure.LinePlot.Style;

class FigureWriterTest {

  /** Samples for a person to look at land here (build output, not committed). */
  private static final Path SAMPLES = Path.of("target", "test-figures");

  /** Fig. 1's shape: models as markers, baselines as lines, log y, layers on x. */
  static LinePlot lossVsLayers() {
    double[] layers = {1, 2, 3, 4, 5, 6, 7};
    return LinePlot.builder()
        .title("U(0,5): adjusted loss vs layers")
        .xTitle("layers")
        .yTitle("adjusted loss")
        .logY(true)
        .size(480, 320)
        .series("GD++", layers, new double[] {0.907, 0.366, 0.344, 0.344, 0.344, 0.344, 0.344},
            new double[] {0.01, 0.005, 0.004, 0.004, 0.004, 0.004, 0.004}, Style.MARKERS)
        .series("DIAG", layers, new double[] {0.906, 0.242, 0.118, 0.059, 0.051, 0.048, 0.047},
            new double[] {0.01, 0.004, 0.002, 0.001, 0.001, 0.001, 0.001}, Style.MARKERS)
        // the last error bar reaches below 0: on the log axis it is cut at the bottom
        .series("FULL", layers, new double[] {0.907, 0.245, 0.117, 0.065, 0.048, 0.044, 0.047},
            new double[] {0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.06}, Style.MARKERS)
        .series("TunedRR", new double[] {1, 7}, new double[] {0.049, 0.049}, Style.LINE)
        .build();
  }

  /** Fig. 2's shape: a per-variance profile on a linear axis with the training range shaded. */
  static LinePlot profile() {
    int n = 25;
    double[] sigma = new double[n];
    double[] diag = new double[n];
    double[] ridge = new double[n];
    for (int i = 0; i < n; i++) {
      sigma[i] = 6.0 * i / (n - 1);
      diag[i] = 0.02 + 0.01 * sigma[i] * sigma[i] / (1 + 0.2 * sigma[i]);
      ridge[i] = 0.015 + 0.006 * sigma[i] * sigma[i];
    }
    return LinePlot.builder()
        .title("7 layers, trained on U(0,5)")
        .xTitle("sigma")
        .yTitle("adjusted loss")
        .band(0, 5, "in distribution")
        .series("DIAG", sigma, diag, Style.LINE_AND_MARKERS)
        .series("AdaRR", sigma, ridge, Style.LINE)
        .build();
  }

  static HeatMap heatMap() {
    int d = 11;
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        m[i][j] = i == j ? 1.0 - 0.1 * i : (i == d - 1 ? -0.5 + 0.05 * j : 0.02 * (i - j));
      }
    }
    return HeatMap.builder().matrix("Q, layer 1", m).matrix("Q, layer 2", m).build();
  }

  @Test
  void writesPngSvgAndPdfOfTheRequestedSize(@TempDir Path dir) throws IOException {
    Path base = dir.resolve("figures").resolve("fig1");
    FigureWriter.write(lossVsLayers(), base);
    Path png = dir.resolve("figures/fig1.png");
    Path svg = dir.resolve("figures/fig1.svg");
    Path pdf = dir.resolve("figures/fig1.pdf");
    FigureWriter.Sheet sheet = FigureWriter.Sheet.of(List.of(lossVsLayers()), 1);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(FigureWriter.pixels(sheet.width()), image.getWidth());
    assertEquals(FigureWriter.pixels(sheet.height()), image.getHeight());
    assertEquals(480, sheet.width(), "the panel's width");
    assertTrue(sheet.height() > 320, "the panel and its legend under it");
    assertEquals(144, dpi(Files.readAllBytes(png)));
    String text = Files.readString(svg, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("<?xml"), text.substring(0, 40));
    assertTrue(text.contains("width='480pt'") && text.contains("viewBox='0 0 480 "),
        "SVG page is the size in points, one user unit a point: " + text.substring(0, 300));
    assertTrue(new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1)
        .startsWith("%PDF-"));
    try (var files = Files.list(dir.resolve("figures"))) {
      assertEquals(3, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void svgAndPdfKeepTextAsTextAndStaySmall() {
    List<LinePlot> panels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      panels.add(lossVsLayers());
    }
    String svg = new String(FigureWriter.svg(panels, 4), StandardCharsets.UTF_8);
    assertTrue(svg.contains(">U(0,5): adjusted loss vs layers</text>"), "titles are <text>");
    assertTrue(svg.contains(">TunedRR</text>"), "legend entries are <text>");
    assertTrue(svg.contains(">layers</text>"), "axis titles are <text>");
    assertTrue(svg.length() < 300_000, "an 8-panel figure is " + svg.length() / 1024 + " KB");
    byte[] pdf = FigureWriter.pdf(FigureWriter.Sheet.of(panels, 4));
    assertTrue(pdfContent(pdf).contains("(TunedRR) Tj"), "PDF text is shown text, not outlines");
    assertTrue(pdf.length < 100_000, pdf.length / 1024 + " KB");
    assertTrue(new String(pdf, StandardCharsets.ISO_8859_1).contains(
        "/CreationDate (D:20000101000000"), "no clock in the PDF");
  }

  @Test
  void svgNumbersAreShort() {
    assertEquals("12.5", FigureWriter.decimals(12.499999, 2));
    assertEquals("3", FigureWriter.decimals(3.0000001, 2));
    assertEquals("-0.25", FigureWriter.decimals(-0.25, 2));
    assertEquals("0.05", FigureWriter.decimals(0.049999, 2));
    assertEquals("0", FigureWriter.decimals(-0.001, 2));
    assertEquals("0", FigureWriter.decimals(6.123e-17, 4));
  }

  @Test
  void renderingTwiceGivesIdenticalBytes(@TempDir Path dir) throws IOException {
    for (Figure f : List.of(lossVsLayers(), profile(), heatMap())) {
      FigureWriter.Sheet s = FigureWriter.Sheet.of(List.of(f), 1);
      assertArrayEquals(FigureWriter.png(s), FigureWriter.png(s));
      assertArrayEquals(FigureWriter.svg(s), FigureWriter.svg(s));
      assertArrayEquals(FigureWriter.pdf(s), FigureWriter.pdf(s));
    }
    FigureWriter.write(profile(), dir.resolve("a"));
    FigureWriter.write(profile(), dir.resolve("b"));
    for (String ext : List.of(".png", ".svg", ".pdf")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a" + ext)),
          Files.readAllBytes(dir.resolve("b" + ext)), ext);
    }
  }

  @Test
  void gridComposesPanelsRowByRowWithOneLegend(@TempDir Path dir) throws IOException {
    List<LinePlot> panels = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      panels.add(lossVsLayers());
    }
    FigureWriter.Sheet sheet = FigureWriter.Sheet.of(panels, 3);
    assertEquals(3 * 480, sheet.width());
    // every panel has the same four series: the legend lists each once
    assertEquals(List.of("GD++", "DIAG", "FULL", "TunedRR"), sheet.legend().stream()
        .map(Legend.Entry::label).toList());
    FigureWriter.writeFigures(panels, 3, dir.resolve("grid"));
    BufferedImage image = ImageIO.read(dir.resolve("grid.png").toFile());
    // the sixth cell is empty: white
    assertEquals(0xFFFFFF, image.getRGB(image.getWidth() - 10,
        FigureWriter.pixels(2 * 320) - 10) & 0xFFFFFF);
    assertThrows(IllegalArgumentException.class, () -> FigureWriter.writeFigures(List.of(), 2,
        dir.resolve("none")));
    assertFalse(Files.exists(dir.resolve("none.png")));
  }

  @Test
  void samplesForAPersonToLookAt() throws IOException {
    FigureWriter.write(lossVsLayers(), SAMPLES.resolve("loss-vs-layers"));
    FigureWriter.write(profile(), SAMPLES.resolve("profile"));
    FigureWriter.write(heatMap(), SAMPLES.resolve("heatmap"));
    FigureWriter.writeFigures(List.of(lossVsLayers(), profile(), lossVsLayers()), 2,
        SAMPLES.resolve("grid"));
    for (String name : List.of("loss-vs-layers", "profile", "heatmap", "grid")) {
      assertTrue(ImageIO.read(SAMPLES.resolve(name + ".png").toFile()).getWidth() > 0, name);
    }
  }

  /** The page's content stream of a PDF, inflated. */
  private static String pdfContent(byte[] pdf) {
    String s = new String(pdf, StandardCharsets.ISO_8859_1);
    int from = s.indexOf("stream\n") + "stream\n".length();
    int to = s.indexOf("endstream", from);
    Inflater in = new Inflater();
    in.setInput(java.util.Arrays.copyOfRange(pdf, from, to));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (!in.finished()) {
        int n = in.inflate(buf);
        if (n == 0 && in.needsInput()) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new AssertionError(e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** The pHYs resolution of a PNG, in dots per inch. */
  private static int dpi(byte[] png) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
        IIOMetadataNode phys = (IIOMetadataNode) root.getElementsByTagName("pHYs").item(0);
        assertEquals("meter", phys.getAttribute("unitSpecifier"));
        return (int) Math.round(Integer.parseInt(phys.getAttribute("pixelsPerUnitXAxis")) * 0.0254);
      } finally {
        reader.dispose();
      }
    }
  }
}
