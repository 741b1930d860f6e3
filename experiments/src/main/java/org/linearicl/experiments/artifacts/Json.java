package org.linearicl.experiments.artifacts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.linearicl.core.util.Decimal;

/**
 * How the project reads and writes JSON, in one place. Every file is UTF-8 with LF line endings
 * and a final newline. There are two styles of output, each fixed byte for byte because files
 * of both are compared and hashed:
 * <ul>
 *   <li>artifact documents ({@link #write}, {@link #writeDocument}): written field by field in
 *       the codec's order, doubles in canonical text ({@link Decimal#shortest}, the same on every
 *       JDK), two-space indent, arrays on one line, {@code "name": value};
 *   <li>trees ({@link #TREES}, {@link #bytes(JsonNode)}): the cache's records and index entries,
 *       the published list, the timings; fields in insertion order (map entries sorted by key),
 *       decimals exact as given ({@link java.math.BigDecimal}, never through a double), Jackson's
 *       default pretty printer ({@code "name" : value}).
 * </ul>
 * Reading is strict about duplicate fields for artifact documents, and stage parameter literals
 * are read as decimals ({@link #parseLiteral}), so that the cache key hashes the text as written.
 * Typed reads ({@link Reader}) name the source and the field in their errors.
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Artifact documents: numbers as doubles (read back through {@link Reader}). */
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  /**
   * The mapper of JSON trees the runner writes and reads back (records, index entries, the
   * published list, timings): exact decimals, sorted map entries, pretty.
   */
  public static final ObjectMapper TREES = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  /**
   * Stage parameter literals (a declared default): decimals, through the default node factory
   * as they always were, so that defaults keep the text their records and keys hold.
   */
  private static final ObjectMapper LITERALS = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /** A tree in the tree style: pretty JSON, LF-terminated, UTF-8. */
  public static byte[] bytes(JsonNode node) {
    try {
      String s = TREES.writeValueAsString(node).replace("\r\n", "\n") + "\n";
      return s.getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a tree written by {@link #bytes(JsonNode)} (decimals exact). */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return TREES.readTree(bytes);
  }

  /**
   * Parses a JSON literal, numbers as decimals (a stage parameter's default).
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON literal
   */
  public static JsonNode parseLiteral(String json) {
    try {
      return LITERALS.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON literal: " + json, e);
    }
  }

  /** A new empty object node (for a stage's parameters). */
  public static ObjectNode objectNode() {
    return LITERALS.createObjectNode();
  }

  /** Writes a document through {@code body} and returns its text (pretty, LF, final newline). */
  public static String write(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
      g.setPrettyPrinter(pp);
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().replace(" : ", ": ") + "\n";
  }

  /**
   * Writes an artifact document: one object whose first field is {@code format}, then the fields
   * {@code fields} writes.
   */
  public static String writeDocument(String format, Body fields) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("format", format);
      fields.write(g);
      g.writeEndObject();
    });
  }

  /** Writes one line of compact JSON (for a command's last output line). */
  public static String writeLine(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A double in canonical text; NaN and infinities as strings (JSON has no such numbers). */
  public static void number(JsonGenerator g, double x) throws IOException {
    if (Double.isFinite(x)) {
      g.writeNumber(Decimal.shortest(x));
    } else {
      g.writeString(Decimal.shortest(x));
    }
  }

  /** A field holding a double in canonical text. */
  public static void field(JsonGenerator g, String name, double x) throws IOException {
    g.writeFieldName(name);
    number(g, x);
  }

  /** An array of doubles in canonical text. */
  public static void numbers(JsonGenerator g, double[] xs) throws IOException {
    g.writeStartArray();
    for (double x : xs) {
      number(g, x);
    }
    g.writeEndArray();
  }

  /**
   * A mean with its standard error and count, as the object field {@code name}: {@code mean},
   * {@code se}, {@code count} (every artifact's loss summaries and estimates).
   */
  public static void estimate(JsonGenerator g, String name, double mean, double se, long count)
      throws IOException {
    g.writeObjectFieldStart(name);
    field(g, "mean", mean);
    field(g, "se", se);
    g.writeNumberField("count", count);
    g.writeEndObject();
  }

  /**
   * The root object of an artifact document whose field {@code format} must be {@code format}.
   *
   * @throws ArtifactFormatException naming {@code source} when the text is no such document
   */
  public static Reader document(String text, String source, String format) {
    Reader r = new Reader(parse(text, source), source, "");
    String actual = r.string("format");
    if (!format.equals(actual)) {
      throw new ArtifactFormatException(source + ": field 'format' is '" + actual
          + "', expected '" + format + "'");
    }
    return r;
  }

  /** Parses a document, or fails with a message naming {@code source} and the position. */
  public static JsonNode parse(String text, String source) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonNode node = MAPPER.readTree(p);
      if (node == null) {
        throw new ArtifactFormatException(source + ": empty document, expected JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ArtifactFormatException(String.format(java.util.Locale.ROOT,
          "%s: line %d, column %d: not valid JSON (%s)", source,
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reader over one JSON object that names the source and field path in every error. */
  public static final class Reader {
    private final JsonNode node;
    private final String source;
    private final String path;

    public Reader(JsonNode node, String source, String path) {
      this.node = node;
      this.source = source;
      this.path = path;
      if (!node.isObject()) {
        throw fail(path.isEmpty() ? "the document" : path, "an object");
      }
    }

    public Reader object(String field) {
      return new Reader(require(field), source, at(field));
    }

    public String string(String field) {
      JsonNode v = require(field);
      if (!v.isTextual()) {
        throw fail(at(field), "a string");
      }
      return v.asText();
    }

    public long integer(String field) {
      JsonNode v = require(field);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw fail(at(field), "an integer");
      }
      return v.asLong();
    }

    public int int32(String field) {
      long v = integer(field);
      if (v != (int) v) {
        throw fail(at(field), "an integer in 32-bit range");
      }
      return (int) v;
    }

    public boolean bool(String field) {
      JsonNode v = require(field);
      if (!v.isBoolean()) {
        throw fail(at(field), "true or false");
      }
      return v.asBoolean();
    }

    public double number(String field) {
      return toDouble(require(field), at(field));
    }

    public double[] numbers(String field) {
      JsonNode v = require(field);
      if (!v.isArray()) {
        throw fail(at(field), "an array of numbers");
      }
      double[] out = new double[v.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = toDouble(v.get(i), at(field) + "[" + i + "]");
      }
      return out;
    }

    public long[] integers(String field) {
      JsonNode v = require(field);
      if (!v.isArray()) {
        throw fail(at(field), "an array of integers");
      }
      long[] out = new long[v.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode e = v.get(i);
        if (!e.isIntegralNumber() || !e.canConvertToLong()) {
          throw fail(at(field) + "[" + i + "]", "an integer");
        }
        out[i] = e.asLong();
      }
      return out;
    }

    /** Whether the field is present and not null. */
    public boolean has(String field) {
      JsonNode v = node.get(field);
      return v != null && !v.isNull();
    }

    /** An array of objects, each as a reader whose path names its index. */
    public java.util.List<Reader> objects(String field) {
      JsonNode v = require(field);
      if (!v.isArray()) {
        throw fail(at(field), "an array of objects");
      }
      java.util.List<Reader> out = new java.util.ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        out.add(new Reader(v.get(i), source, at(field) + "[" + i + "]"));
      }
      return out;
    }

    /** An array of strings. */
    public java.util.List<String> strings(String field) {
      JsonNode v = require(field);
      if (!v.isArray()) {
        throw fail(at(field), "an array of strings");
      }
      java.util.List<String> out = new java.util.ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isTextual()) {
          throw fail(at(field) + "[" + i + "]", "a string");
        }
        out.add(v.get(i).asText());
      }
      return out;
    }

    /** Wraps a validation failure of a value object (for example a bad noise spec). */
    public ArtifactFormatException invalid(String field, IllegalArgumentException e) {
      return new ArtifactFormatException(source + ": field '" + at(field) + "': "
          + e.getMessage(), e);
    }

    private double toDouble(JsonNode v, String where) {
      if (v.isNumber()) {
        return v.asDouble();
      }
      if (v.isTextual()) {
        switch (v.asText()) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            break;
        }
      }
      throw fail(where, "a number");
    }

    private JsonNode require(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw new ArtifactFormatException(source + ": field '" + at(field) + "' is missing");
      }
      return v;
    }

    private String at(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    private ArtifactFormatException fail(String where, String expected) {
      return new ArtifactFormatException(source + ": field '" + where + "': expected "
          + expected);
    }
  }

  /** Writes a JSON document. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }
}
