package org.linearicl.analysis.kinds;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;

/**
 * The headline numbers of the {@code theory} stage, which the {@code report} stage quotes, and
 * their codec: the published table {@value #FILE}, a header {@code quantity,value} and one
 * {@code key,value} line per quantity present, in key order. Each number is written at a fixed
 * precision (the read-out errors {@code %.3e}, the cosine and the slopes {@code %.4f}, the step
 * sizes {@code %.6g}), so a summary read back holds exactly the published numbers, and the
 * report quotes those. A missing, unknown, repeated or malformed quantity is a
 * {@link StageException} naming the file and the key.
 *
 * @param readout Theorem 4.1 over the FULL checkpoints, empty when there were none
 * @param quadraticMaxAbsCosine Theorem 4.2: the largest mean |cosine| over the FULL models'
 *     layers, empty when there were none
 * @param gdppSlope Theorem 5.1: the slope of {@code ln(-ln err)} against layers of our GD++ on
 *     U(0,0), empty with fewer than two stable layers below 1
 * @param gdppSlopePaper the same slope of the paper's numbers
 * @param stepSizes sec. 5.3: the effective step of the 2-layer DIAG model, by noise key in paper
 *     order
 */
record TheorySummary(Optional<Readout> readout, OptionalDouble quadraticMaxAbsCosine,
    OptionalDouble gdppSlope, double gdppSlopePaper, SortedMap<String, Double> stepSizes) {

  /** The published file. */
  static final String FILE = "tables/theory_summary.csv";

  private static final String HEADER = "quantity,value";
  private static final String READOUT_MODELS = "readout_models";
  private static final String READOUT_Y = "readout_max_rel_error_y";
  private static final String READOUT_PREDICTION = "readout_max_rel_error_prediction";
  private static final String QUADRATIC = "quadratic_max_abs_cosine";
  private static final String GDPP_SLOPE = "gdpp_u0_loglog_slope";
  private static final String GDPP_SLOPE_PAPER = "gdpp_u0_loglog_slope_paper";
  private static final String STEP_SIZE = "step_size_";

  /**
   * Theorem 4.1: the largest relative errors of the read-out against the forward pass.
   *
   * @param models the FULL checkpoints checked, at least 1
   */
  record Readout(int models, double maxRelErrorY, double maxRelErrorPrediction) {
    Readout {
      if (models < 1) {
        throw new IllegalArgumentException("readout over " + models + " models");
      }
    }
  }

  TheorySummary {
    Objects.requireNonNull(readout, "readout");
    Objects.requireNonNull(quadraticMaxAbsCosine, "quadraticMaxAbsCosine");
    Objects.requireNonNull(gdppSlope, "gdppSlope");
    SortedMap<String, Double> steps = new TreeMap<>(PaperLayout.NOISE_ORDER);
    steps.putAll(stepSizes);
    stepSizes = Collections.unmodifiableSortedMap(steps);
  }

  /** A read-out error as published and quoted: {@code 7.763e-13}. */
  static String errorText(double v) {
    return Prose.f("%.3e", v);
  }

  /** A cosine as published and quoted: {@code 0.1997}. */
  static String cosineText(double v) {
    return Prose.f("%.4f", v);
  }

  private static String slopeText(double v) {
    return Prose.f("%.4f", v);
  }

  private static String stepText(double v) {
    return Prose.f("%.6g", v);
  }

  /** The published table. */
  String toCsv() {
    SortedMap<String, String> lines = new TreeMap<>();
    readout.ifPresent(r -> {
      lines.put(READOUT_MODELS, Integer.toString(r.models()));
      lines.put(READOUT_Y, errorText(r.maxRelErrorY()));
      lines.put(READOUT_PREDICTION, errorText(r.maxRelErrorPrediction()));
    });
    quadraticMaxAbsCosine.ifPresent(v -> lines.put(QUADRATIC, cosineText(v)));
    gdppSlope.ifPresent(v -> lines.put(GDPP_SLOPE, slopeText(v)));
    lines.put(GDPP_SLOPE_PAPER, slopeText(gdppSlopePaper));
    stepSizes.forEach((k, v) -> lines.put(STEP_SIZE + k, stepText(v)));
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    lines.forEach((k, v) -> sb.append(k).append(',').append(v).append('\n'));
    return sb.toString();
  }

  /**
   * Parses {@link #toCsv()}; {@code source} names the file in messages.
   *
   * @throws StageException naming the file and the key of a missing, unknown, repeated or
   *     malformed quantity
   */
  static TheorySummary parse(String text, String source) {
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new StageException(source + ": expected the header '" + HEADER + "', got '"
          + lines[0] + "'");
    }
    Map<String, String> values = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (i == lines.length - 1 && lines[i].isEmpty()) {
        break;
      }
      String[] f = lines[i].split(",", 2);
      if (f.length != 2 || f[0].isEmpty()) {
        throw new StageException(source + ", line " + (i + 1) + ": expected 'key,value', got '"
            + lines[i] + "'");
      }
      if (values.put(f[0], f[1]) != null) {
        throw new StageException(source + ": key '" + f[0] + "' appears twice");
      }
    }
    Fields in = new Fields(values, source);
    Optional<Readout> readout = Optional.empty();
    if (values.containsKey(READOUT_MODELS) || values.containsKey(READOUT_Y)
        || values.containsKey(READOUT_PREDICTION)) {
      int models = in.integer(READOUT_MODELS);
      if (models < 1) {
        throw in.malformed(READOUT_MODELS, "expected at least 1 model");
      }
      readout = Optional.of(new Readout(models, in.number(READOUT_Y),
          in.number(READOUT_PREDICTION)));
    }
    OptionalDouble quadratic = in.optional(QUADRATIC);
    OptionalDouble slope = in.optional(GDPP_SLOPE);
    double paper = in.number(GDPP_SLOPE_PAPER);
    SortedMap<String, Double> steps = new TreeMap<>();
    for (String k : values.keySet()) {
      if (k.startsWith(STEP_SIZE) && k.length() > STEP_SIZE.length()) {
        steps.put(k.substring(STEP_SIZE.length()), in.number(k));
      }
    }
    for (String k : values.keySet()) {
      if (!in.read.contains(k)) {
        throw new StageException(source + ": unknown key '" + k + "'");
      }
    }
    return new TheorySummary(readout, quadratic, slope, paper, steps);
  }

  /**
   * The summary of the theory stage among the inputs, if one is.
   *
   * @throws StageException if two inputs have one, or it is malformed
   */
  static Optional<TheorySummary> of(StageInputs inputs) {
    Optional<TheorySummary> out = Optional.empty();
    String from = null;
    for (Map.Entry<String, Artifact> e : inputs.all().entrySet()) {
      if (e.getValue().has(FILE)) {
        if (from != null) {
          throw new StageException("two inputs have " + FILE + ": " + from + " and "
              + e.getKey());
        }
        from = e.getKey();
        out = Optional.of(parse(e.getValue().text(FILE), e.getKey() + "/" + FILE));
      }
    }
    return out;
  }

  /** The values by key, each read at most once, and which keys were read. */
  private static final class Fields {
    private final Map<String, String> values;
    private final String source;
    private final Set<String> read = new HashSet<>();

    Fields(Map<String, String> values, String source) {
      this.values = values;
      this.source = source;
    }

    private String text(String key) {
      String v = values.get(key);
      if (v == null) {
        throw new StageException(source + ": key '" + key + "' is missing");
      }
      read.add(key);
      return v;
    }

    double number(String key) {
      return parsed(key, Double::parseDouble, "a number");
    }

    int integer(String key) {
      return parsed(key, Integer::parseInt, "an integer");
    }

    private <T> T parsed(String key, Function<String, T> parse, String what) {
      String v = text(key);
      try {
        return parse.apply(v);
      } catch (NumberFormatException e) {
        throw malformed(key, "expected " + what + ", got '" + v + "'");
      }
    }

    OptionalDouble optional(String key) {
      return values.containsKey(key) ? OptionalDouble.of(number(key)) : OptionalDouble.empty();
    }

    StageException malformed(String key, String why) {
      return new StageException(source + ": key '" + key + "': " + why);
    }
  }
}
