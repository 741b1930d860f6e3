package org.linearicl.analysis.inputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.baselines.PredictorId;
import org.linearicl.core.model.Variant;

/**
 * The layout the analyses read results in, the paper's: its Table 1 (bundled as a resource), the
 * order and headings of its noise columns, the order and labels of its variant rows, its depths,
 * and the noise setting of its one-setting figures.
 */
public final class PaperLayout {
  /** The variants in the paper's row order. */
  public static final List<Variant> VARIANTS = List.of(Variant.GDPP, Variant.DIAG, Variant.FULL);

  /** The noise setting of the paper's one-setting figures (2b, 5, 7) and examples: U(0,5). */
  public static final String EXAMPLE_NOISE = PaperTable1.Column.U5.key();

  /** Rows of the paper's Table 1. */
  public static final int MAX_LAYERS = 7;

  /** Classpath location of the bundled paper table (the paper's Table 1, transcribed). */
  public static final String PAPER_TABLE1 = "/org/linearicl/analysis/paper/table1.csv";

  /** Paper order of the noise keys (u0..u7, c13, c135), then any other key alphabetically. */
  public static final Comparator<String> NOISE_ORDER = Comparator
      .comparingInt(PaperLayout::columnIndex).thenComparing(Comparator.naturalOrder());

  private PaperLayout() {}

  /** The paper's Table 1, bundled as a resource. */
  public static PaperTable1 paperTable1() {
    try (InputStream in = PaperLayout.class.getResourceAsStream(PAPER_TABLE1)) {
      if (in == null) {
        throw new IllegalStateException("resource " + PAPER_TABLE1 + " is missing");
      }
      return PaperTable1.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "classpath:" + PAPER_TABLE1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The paper's column of a noise key, {@link Integer#MAX_VALUE} for a key it has not. */
  public static int columnIndex(String key) {
    for (PaperTable1.Column c : PaperTable1.Column.values()) {
      if (c.key().equals(key)) {
        return c.ordinal();
      }
    }
    return Integer.MAX_VALUE;
  }

  /** A human heading for a noise key: {@code U(0,5)}, {@code {1,3}}, or the key itself. */
  public static String display(String key) {
    int i = columnIndex(key);
    return i == Integer.MAX_VALUE ? key : PaperTable1.Column.values()[i].display();
  }

  /** The paper's label of a variant ({@code GDPP} to {@code GD++}). */
  public static String label(Variant variant) {
    return PredictorId.of(variant).label();
  }

  /** The paper's row of a variant, after every paper row for one it has not. */
  public static int variantIndex(Variant variant) {
    int i = VARIANTS.indexOf(variant);
    return i < 0 ? VARIANTS.size() : i;
  }
}
