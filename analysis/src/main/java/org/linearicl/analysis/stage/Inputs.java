package org.linearicl.analysis.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.analysis.table.PaperTable1;
import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * Reads the upstream artifacts the analysis kinds share: the {@code select-*} selections (by the
 * paper's column key, in the paper's column order) and the {@code train-*} checkpoints. Every
 * collection it returns has a fixed, sorted order, so outputs never depend on hash order.
 */
final class Inputs {
  /** The variants in the paper's row order. */
  static final List<Variant> VARIANTS = List.of(Variant.GDPP, Variant.DIAG, Variant.FULL);

  /** The noise setting of the paper's one-setting figures (2b, 5, 7) and examples: U(0,5). */
  static final String EXAMPLE_NOISE = PaperTable1.Column.U5.key();

  /** Rows of the paper's Table 1. */
  static final int MAX_LAYERS = 7;

  /** Classpath location of the bundled paper table (the paper's Table 1, transcribed). */
  static final String PAPER_TABLE1 = "/org/linearicl/analysis/paper/table1.csv";

  private Inputs() {}

  /** The {@code seed} parameter of the kinds that draw fresh sequences from stream PROFILE. */
  static ParamSpec freshSeed(String value) {
    return ParamSpec.optional("seed", ParamType.INTEGER, value,
        "seed of the fresh sequences (stream PROFILE)");
  }

  /** The integer parameter {@code name}, which must be at least {@code min}. */
  static int atLeast(StageParams params, String name, int min) {
    int v = params.int32(name);
    if (v < min) {
      throw new StageException("stage '" + params.stage() + "', param '" + name + "': expected >= "
          + min + ", got " + v);
    }
    return v;
  }

  /** The paper's Table 1, bundled as a resource. */
  static PaperTable1 paperTable1() {
    try (InputStream in = Inputs.class.getResourceAsStream(PAPER_TABLE1)) {
      if (in == null) {
        throw new IllegalStateException("resource " + PAPER_TABLE1 + " is missing");
      }
      return PaperTable1.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "classpath:" + PAPER_TABLE1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paper order of the noise keys (u0..u7, c13, c135), then any other key alphabetically. */
  static final Comparator<String> NOISE_ORDER = Comparator
      .comparingInt(Inputs::columnIndex).thenComparing(Comparator.naturalOrder());

  static int columnIndex(String key) {
    for (PaperTable1.Column c : PaperTable1.Column.values()) {
      if (c.key().equals(key)) {
        return c.ordinal();
      }
    }
    return Integer.MAX_VALUE;
  }

  /** A human heading for a noise key: {@code U(0,5)}, {@code {1,3}}, or the key itself. */
  static String display(String key) {
    int i = columnIndex(key);
    return i == Integer.MAX_VALUE ? key : PaperTable1.Column.values()[i].display();
  }

  /** The paper's label of a variant ({@code GDPP} to {@code GD++}). */
  static String label(Variant variant) {
    return variant.paperName();
  }

  /** Every selection among the inputs, by noise key in paper order; at least one. */
  static SortedMap<String, Selection> selections(StageInputs inputs, String stage) {
    SortedMap<String, Selection> out = new TreeMap<>(NOISE_ORDER);
    Map<String, String> from = new TreeMap<>();
    for (Map.Entry<String, Artifact> e : inputs.all().entrySet()) {
      if (!e.getValue().has(ResultsJson.SELECTION_FILE)) {
        continue;
      }
      Selection s = ResultsJson.selection(e.getValue(), e.getKey());
      String key = s.evaluation().noiseKey();
      if (out.containsKey(key)) {
        throw new StageException("stage '" + stage + "': two selections for noise '" + key
            + "': " + from.get(key) + " and " + e.getKey());
      }
      out.put(key, s);
      from.put(key, e.getKey());
    }
    if (out.isEmpty()) {
      throw new StageException("stage '" + stage + "' needs at least one select-* stage (an "
          + "artifact with " + ResultsJson.SELECTION_FILE + "), its needs are "
          + inputs.all().keySet());
    }
    return out;
  }

  /** A trained model's checkpoint with the stage that made it. */
  record Trained(String stage, Checkpoint checkpoint) {
    Variant variant() {
      return checkpoint.config().variant();
    }

    int layers() {
      return checkpoint.config().layers();
    }

    String noiseKey() {
      return checkpoint.config().task().noise().paperKey();
    }
  }

  /** Every checkpoint among the inputs, by stage name. */
  static SortedMap<String, Trained> checkpoints(StageInputs inputs) {
    SortedMap<String, Trained> out = new TreeMap<>();
    for (Map.Entry<String, Artifact> e : inputs.all().entrySet()) {
      if (e.getValue().has(ResultsJson.CHECKPOINT_FILE)) {
        out.put(e.getKey(), new Trained(e.getKey(), CheckpointJson.read(
            e.getValue().text(ResultsJson.CHECKPOINT_FILE), e.getKey())));
      }
    }
    return out;
  }

  /** The checkpoint of the chosen seed of (variant, layers) on a noise, if it is an input. */
  static Optional<Trained> chosen(Selection s, Variant variant, int layers,
      SortedMap<String, Trained> checkpoints) {
    return s.choice(variant, layers).map(c -> c.best()).map(checkpoints::get);
  }

  /** Every model of every selection in (noise, variant, layers, seed, stage) order. */
  static List<Map.Entry<String, ModelResult>> allModels(SortedMap<String, Selection> sel) {
    List<Map.Entry<String, ModelResult>> out = new ArrayList<>();
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      List<ModelResult> ms = new ArrayList<>(e.getValue().evaluation().models());
      ms.sort(Comparator.comparingInt((ModelResult m) -> variantIndex(m.variant()))
          .thenComparingInt(ModelResult::layers).thenComparingLong(ModelResult::seed)
          .thenComparing(ModelResult::stage));
      for (ModelResult m : ms) {
        out.add(Map.entry(e.getKey(), m));
      }
    }
    return out;
  }

  static int variantIndex(Variant variant) {
    int i = VARIANTS.indexOf(variant);
    return i < 0 ? VARIANTS.size() : i;
  }

  /** An ordered map helper. */
  static <K, V> LinkedHashMap<K, V> linked() {
    return new LinkedHashMap<>();
  }

  /** {@code String.format} in {@link java.util.Locale#ROOT}. */
  static String f(String pattern, Object... args) {
    return String.format(java.util.Locale.ROOT, pattern, args);
  }

  /** The depth of the paper's fig. 4 model (FULL on {1,3}, whose P and Q it draws). */
  static final int HEAT_MAP_LAYERS = 4;

  /**
   * The FULL model on {1,3} whose P and Q fig. 4 draws: the 4-layer one as in the paper, else
   * the deepest this profile has. One choice, so the figure and the report's caption agree.
   */
  static Optional<ModelResult> heatMapModel(SortedMap<String, Selection> sel) {
    Selection s = sel.get(PaperTable1.Column.C13.key());
    if (s == null) {
      return Optional.empty();
    }
    Optional<ModelResult> m = s.best(Variant.FULL, HEAT_MAP_LAYERS);
    return m.isPresent() ? m : deepestModel(s, Variant.FULL);
  }

  /** More layers than any profile trains: the search bound of the deepest-model helpers. */
  private static final int ANY_DEPTH = 64;

  /** The chosen model of {@code variant} with the most layers, stable or not. */
  static Optional<ModelResult> deepestModel(Selection s, Variant variant) {
    return deepestModel(s, variant, ANY_DEPTH);
  }

  /** The chosen model of {@code variant} with the most layers up to {@code maxLayers}. */
  static Optional<ModelResult> deepestModel(Selection s, Variant variant, int maxLayers) {
    return deepest(s, variant, maxLayers, r -> true);
  }

  /** The chosen model of {@code variant} with the most layers whose number is stable. */
  static Optional<ModelResult> deepestStable(Selection s, Variant variant) {
    return deepestStable(s, variant, ANY_DEPTH);
  }

  /** As {@link #deepestStable(Selection, Variant)}, up to {@code maxLayers} layers. */
  static Optional<ModelResult> deepestStable(Selection s, Variant variant, int maxLayers) {
    return deepest(s, variant, maxLayers, r -> !Stability.unstable(r));
  }

  private static Optional<ModelResult> deepest(Selection s, Variant variant, int maxLayers,
      java.util.function.Predicate<ModelResult> keep) {
    for (int l = maxLayers; l >= 1; l--) {
      Optional<ModelResult> m = s.best(variant, l).filter(keep);
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }
}
