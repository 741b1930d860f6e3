package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON mapper of the cache's own files (records, index): exact decimals, pretty, sorted. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private Json() {}

  /** Pretty JSON, LF-terminated, UTF-8. */
  public static byte[] bytes(JsonNode node) {
    try {
      String s = MAPPER.writeValueAsString(node).replace("\r\n", "\n") + "\n";
      return s.getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] bytes) throws java.io.IOException {
    return MAPPER.readTree(bytes);
  }
}
