package org.linearicl.experiments.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.linearicl.core.util.Checks;
import org.linearicl.experiments.artifacts.Json;

/**
 * The resolved parameters of one stage: every declared parameter, given or defaulted, and
 * nothing else. Typed getters fail with a {@link StageException} naming the parameter. Numbers
 * keep the exact decimal text of pipeline.yaml (they are parsed as {@link java.math.BigDecimal}),
 * so the runner can hash them canonically.
 */
public final class StageParams {
  private final String stage;
  private final Map<String, JsonNode> values;

  private StageParams(String stage, Map<String, JsonNode> values) {
    this.stage = stage;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Resolves {@code given} against {@code specs}: fills defaults and checks names and types.
   * Throws a {@link StageException} that lists every problem (see {@link #problems}).
   */
  public static StageParams resolve(String stage, List<ParamSpec> specs, JsonNode given) {
    List<ParamProblem> problems = problems(specs, given);
    if (!problems.isEmpty()) {
      throw new StageException("stage '" + stage + "': " + String.join("; ",
          problems.stream().map(ParamProblem::message).toList()));
    }
    Map<String, JsonNode> values = new TreeMap<>();
    for (ParamSpec spec : specs) {
      JsonNode v = given == null ? null : given.get(spec.name());
      values.put(spec.name(), v == null || v.isNull() ? spec.defaultValue() : v);
    }
    return new StageParams(stage, values);
  }

  /**
   * Every problem of {@code given} against {@code specs}: a parameter that is unknown, missing,
   * or of the wrong type ({@link #check}). Empty when valid.
   */
  public static List<ParamProblem> problems(List<ParamSpec> specs, JsonNode given) {
    if (given != null && !given.isNull() && !given.isObject()) {
      return List.of(new ParamProblem(null, ParamProblem.Issue.NOT_A_MAPPING, given,
          "a mapping of parameter names to values"));
    }
    List<ParamProblem> out = new ArrayList<>();
    if (given != null) {
      for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        check(specs, name, given.get(name)).ifPresent(out::add);
      }
    }
    for (ParamSpec s : specs) {
      JsonNode v = given == null ? null : given.get(s.name());
      if (s.isRequired() && (v == null || v.isNull())) {
        out.add(new ParamProblem(s.name(), ParamProblem.Issue.MISSING, null,
            s.type().expected() + " (" + s.help() + ")"));
      }
    }
    return out;
  }

  /**
   * The problem of giving {@code value} to the parameter {@code name} of a kind that declares
   * {@code specs}: unknown, or of the wrong type; empty when it may be given. Null (or a JSON
   * null) stands for the default. Every way of giving parameters (pipeline.yaml, a profile's
   * {@code set}, {@code --set}) is checked by this.
   */
  public static Optional<ParamProblem> check(List<ParamSpec> specs, String name,
      JsonNode value) {
    ParamSpec spec = specs.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    if (spec == null) {
      return Optional.of(new ParamProblem(name, ParamProblem.Issue.UNKNOWN, value,
          specs.isEmpty() ? "no parameter (the kind declares none)"
              : "one of " + new TreeSet<>(specs.stream().map(ParamSpec::name).toList())));
    }
    if (value != null && !value.isNull() && !spec.type().accepts(value)) {
      return Optional.of(new ParamProblem(name, ParamProblem.Issue.WRONG_TYPE, value,
          spec.type().expected()));
    }
    return Optional.empty();
  }

  /** Parses a JSON literal for a default value (numbers as BigDecimal). */
  public static JsonNode parseLiteral(String json) {
    return Json.parseLiteral(json);
  }

  /** The stage these parameters belong to (for messages). */
  public String stage() {
    return stage;
  }

  /** Every parameter, sorted by name. */
  public Map<String, JsonNode> values() {
    return values;
  }

  /** The parameters as one sorted JSON object. */
  public ObjectNode toJson() {
    ObjectNode o = Json.objectNode();
    values.forEach(o::set);
    return o;
  }

  public long integer(String name) {
    return require(name, ParamType.INTEGER).asLong();
  }

  public int int32(String name) {
    long v = integer(name);
    if (v != (int) v) {
      throw new StageException(where(name) + ": expected an integer in 32-bit range, got " + v);
    }
    return (int) v;
  }

  public double number(String name) {
    return require(name, ParamType.NUMBER).asDouble();
  }

  public String string(String name) {
    return require(name, ParamType.STRING).asText();
  }

  public boolean bool(String name) {
    return require(name, ParamType.BOOLEAN).asBoolean();
  }

  public List<String> strings(String name) {
    List<String> out = new ArrayList<>();
    require(name, ParamType.STRING_LIST).forEach(e -> out.add(e.asText()));
    return out;
  }

  public double[] numbers(String name) {
    JsonNode v = require(name, ParamType.NUMBER_LIST);
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).asDouble();
    }
    return out;
  }

  public long[] integers(String name) {
    JsonNode v = require(name, ParamType.INTEGER_LIST);
    long[] out = new long[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).asLong();
    }
    return out;
  }

  /** Wraps a value object's validation failure (a bad noise spec) with the parameter's name. */
  public StageException invalid(String name, IllegalArgumentException e) {
    return new StageException(where(name) + ": " + e.getMessage(), name, e);
  }

  private JsonNode require(String name, ParamType type) {
    JsonNode v = values.get(name);
    if (v == null) {
      throw new StageException(where(name) + ": not a declared parameter of this kind");
    }
    if (!type.accepts(v)) {
      throw new StageException(where(name) + ": expected " + type.expected() + ", got " + v);
    }
    return v;
  }

  private String where(String name) {
    return "stage '" + stage + "', param '" + name + "'";
  }

  @Override
  public String toString() {
    return stage + " " + toJson();
  }

  /** The integer parameter {@code name}, which must be at least {@code min}. */
  public int atLeast(String name, int min) {
    int v = int32(name);
    try {
      Checks.atLeast(v, min);
    } catch (IllegalArgumentException e) {
      throw invalid(name, e);
    }
    return v;
  }
}
