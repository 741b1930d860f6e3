package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers where it was in the file: a scalar (a Jackson value node), a
 * mapping (keys in file order, each with the location of the key) or a sequence.
 */
public final class YNode {
  /** What a node is. */
  public enum Type { SCALAR, MAPPING, SEQUENCE }

  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

  private final Type type;
  private final JsonLocation location;
  private final JsonNode scalar;
  private final Map<String, YNode> fields;
  private final Map<String, JsonLocation> keyLocations;
  private final List<YNode> items;

  private YNode(Type type, JsonLocation location, JsonNode scalar, Map<String, YNode> fields,
      Map<String, JsonLocation> keyLocations, List<YNode> items) {
    this.type = type;
    this.location = location;
    this.scalar = scalar;
    this.fields = fields;
    this.keyLocations = keyLocations;
    this.items = items;
  }

  /** A scalar node made up by the runner (a substituted value) at {@code location}. */
  public static YNode scalar(JsonNode value, JsonLocation location) {
    return new YNode(Type.SCALAR, location, value, Map.of(), Map.of(), List.of());
  }

  /** A sequence built by the runner. */
  public static YNode sequence(List<YNode> items, JsonLocation location) {
    return new YNode(Type.SEQUENCE, location, null, Map.of(), Map.of(),
        Collections.unmodifiableList(new ArrayList<>(items)));
  }

  /** A mapping built by the runner. */
  public static YNode mapping(Map<String, YNode> fields, Map<String, JsonLocation> keys,
      JsonLocation location) {
    return new YNode(Type.MAPPING, location, null,
        Collections.unmodifiableMap(new LinkedHashMap<>(fields)),
        Collections.unmodifiableMap(new LinkedHashMap<>(keys)), List.of());
  }

  /** Reads the value starting at the parser's current token (which must be set). */
  static YNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    JsonLocation loc = p.currentTokenLocation();
    switch (t) {
      case START_OBJECT: {
        Map<String, YNode> fields = new LinkedHashMap<>();
        Map<String, JsonLocation> keys = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          keys.put(name, p.currentTokenLocation());
          p.nextToken();
          fields.put(name, read(p));
        }
        return mapping(fields, keys, loc);
      }
      case START_ARRAY: {
        List<YNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p));
        }
        return sequence(items, loc);
      }
      case VALUE_STRING:
        return scalar(F.textNode(p.getText()), loc);
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
          case LONG:
            return scalar(F.numberNode(p.getLongValue()), loc);
          default:
            return scalar(F.numberNode(p.getBigIntegerValue()), loc);
        }
      case VALUE_NUMBER_FLOAT:
        return scalar(F.numberNode(p.getDecimalValue()), loc);
      case VALUE_TRUE:
        return scalar(F.booleanNode(true), loc);
      case VALUE_FALSE:
        return scalar(F.booleanNode(false), loc);
      case VALUE_NULL:
        return scalar(F.nullNode(), loc);
      default:
        throw new IOException("unexpected YAML token " + t + " at line " + loc.getLineNr());
    }
  }

  public Type type() {
    return type;
  }

  public boolean isScalar() {
    return type == Type.SCALAR;
  }

  public boolean isMapping() {
    return type == Type.MAPPING;
  }

  public boolean isSequence() {
    return type == Type.SEQUENCE;
  }

  public boolean isNull() {
    return type == Type.SCALAR && scalar.isNull();
  }

  public boolean isText() {
    return type == Type.SCALAR && scalar.isTextual();
  }

  public JsonLocation location() {
    return location;
  }

  /** The value of a scalar. */
  public JsonNode scalar() {
    return scalar;
  }

  public Map<String, YNode> fields() {
    return fields;
  }

  public YNode get(String name) {
    return fields.get(name);
  }

  /** Where key {@code name} of this mapping is (the mapping's location if absent). */
  public JsonLocation keyLocation(String name) {
    return keyLocations.getOrDefault(name, location);
  }

  public List<YNode> items() {
    return items;
  }

  /** The plain JSON value (locations dropped). */
  public JsonNode toJson() {
    switch (type) {
      case SCALAR:
        return scalar;
      case SEQUENCE: {
        ArrayNode a = F.arrayNode();
        items.forEach(i -> a.add(i.toJson()));
        return a;
      }
      default: {
        ObjectNode o = F.objectNode();
        fields.forEach((k, v) -> o.set(k, v.toJson()));
        return o;
      }
    }
  }

  /** Short text for messages: the scalar's text, or the JSON. */
  public String describe() {
    return isText() ? "'" + scalar.asText() + "'" : toJson().toString();
  }
}
