package org.linearicl.experiments.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved parameters of one stage: every declared parameter, given or defaulted, and
 * nothing else. Typed getters fail with a {@link StageException} naming the parameter. Numbers
 * keep the exact decimal text of pipeline.yaml (they are parsed as {@link java.math.BigDecimal}),
 * so the runner can hash them canonically.
 */
public final class StageParams {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

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
    List<String> problems = problems(specs, given);
    if (!problems.isEmpty()) {
      throw new StageException("stage '" + stage + "': " + String.join("; ", problems));
    }
    Map<String, JsonNode> values = new TreeMap<>();
    for (ParamSpec spec : specs) {
      JsonNode v = given == null ? null : given.get(spec.name());
      values.put(spec.name(), v == null || v.isNull() ? spec.defaultValue() : v);
    }
    return new StageParams(stage, values);
  }

  /**
   * Every problem of {@code given} against {@code specs}, each a message starting with the
   * parameter's name in quotes: unknown, missing, or of the wrong type. Empty when valid.
   */
  public static List<String> problems(List<ParamSpec> specs, JsonNode given) {
    List<String> out = new ArrayList<>();
    Map<String, ParamSpec> byName = new TreeMap<>();
    for (ParamSpec s : specs) {
      byName.put(s.name(), s);
    }
    if (given != null && !given.isNull() && !given.isObject()) {
      out.add("params: expected a mapping of parameter names to values");
      return out;
    }
    if (given != null) {
      for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        ParamSpec spec = byName.get(name);
        if (spec == null) {
          out.add("'" + name + "': unknown parameter, expected one of " + byName.keySet());
        } else if (!given.get(name).isNull() && !spec.type().accepts(given.get(name))) {
          out.add("'" + name + "': expected " + spec.type().expected() + ", got "
              + given.get(name));
        }
      }
    }
    for (ParamSpec s : specs) {
      JsonNode v = given == null ? null : given.get(s.name());
      if (s.isRequired() && (v == null || v.isNull())) {
        out.add("'" + s.name() + "': missing, expected " + s.type().expected() + " (" + s.help()
            + ")");
      }
    }
    return out;
  }

  /** Parses a JSON literal for a default value (numbers as BigDecimal). */
  public static JsonNode parseLiteral(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON literal: " + json, e);
    }
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
    ObjectNode o = MAPPER.createObjectNode();
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
    return new StageException(where(name) + ": " + e.getMessage(), e);
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
}
