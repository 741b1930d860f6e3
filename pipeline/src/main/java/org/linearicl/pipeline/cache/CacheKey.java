package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.experiments.stage.Artifact;

/**
 * The ingredients of a stage's cache key: kind, kind version, resolved params and the digests of
 * the input artifacts (not the upstream keys: early cutoff). The key is the SHA-256 of the
 * canonical JSON {@code {"inputs":{..},"kind":K,"kind_version":V,"params":{..},
 * "schema":"linear-icl-cache/1"}}. Changing anything here changes every key: the golden-key test
 * guards it.
 */
public record CacheKey(String kind, int kindVersion, JsonNode params,
    SortedMap<String, String> inputs) {
  public static final String SCHEMA = "linear-icl-cache/1";

  public CacheKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(params, "params");
    inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
  }

  /** The ingredients as JSON (stored beside every record for {@code status --why}). */
  public ObjectNode ingredients() {
    JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
    ObjectNode o = f.objectNode();
    o.put("schema", SCHEMA);
    o.put("kind", kind);
    o.put("kind_version", kindVersion);
    o.set("params", params);
    ObjectNode in = o.putObject("inputs");
    inputs.forEach(in::put);
    return o;
  }

  /** The canonical JSON text hashed into the key. */
  public String canonical() {
    return Canonical.json(ingredients());
  }

  /** The key: 64 lower-case hex digits. */
  public String hash() {
    return Artifact.sha256Hex(canonical().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads ingredients written by {@link #ingredients()}. */
  public static CacheKey fromIngredients(JsonNode o) {
    SortedMap<String, String> in = new TreeMap<>();
    o.path("inputs").fields().forEachRemaining(e -> in.put(e.getKey(), e.getValue().asText()));
    return new CacheKey(o.path("kind").asText(), o.path("kind_version").asInt(),
        o.path("params"), in);
  }
}
