package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

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

  /**
   * The key of a stage of kind {@code kind} with the resolved {@code params}, given the digests
   * of its input artifacts by the name of the stage that made each.
   */
  public static CacheKey of(StageKind kind, StageParams params,
      SortedMap<String, String> inputs) {
    return new CacheKey(kind.name(), kind.version(), params.toJson(), inputs);
  }

  /** The ingredients as JSON (stored beside every record for {@code status --why}). */
  public ObjectNode ingredients() {
    ObjectNode o = JsonNodeFactory.withExactBigDecimals(true).objectNode();
    o.put("schema", SCHEMA);
    putFields(o);
    return o;
  }

  /**
   * Puts {@code kind}, {@code kind_version}, {@code params} and {@code inputs} on {@code o}, in
   * this order: the fields the key hashes and its record holds.
   */
  void putFields(ObjectNode o) {
    o.put("kind", kind);
    o.put("kind_version", kindVersion);
    o.set("params", params);
    o.set("inputs", inputsJson());
  }

  /** The input digests as one object, by upstream stage name. */
  public ObjectNode inputsJson() {
    ObjectNode in = JsonNodeFactory.withExactBigDecimals(true).objectNode();
    inputs.forEach(in::put);
    return in;
  }

  /** {@code kind@version}, as messages and the provenance name it. */
  public String kindAtVersion() {
    return kind + "@" + kindVersion;
  }

  /** The canonical JSON text hashed into the key. */
  public String canonical() {
    return Canonical.json(ingredients());
  }

  /** The key: 64 lower-case hex digits. */
  public String hash() {
    return Sha256.hex(canonical().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The field-by-field changes from {@code last} to this key, for {@code status --why}: kind,
   * kind version, each parameter, each input digest (shortened). An input digest of null in this
   * key means "an upstream stage is stale and will rerun".
   */
  public List<String> changesSince(CacheKey last) {
    List<String> out = new ArrayList<>();
    if (!last.kind.equals(kind)) {
      out.add("kind " + last.kind + " -> " + kind);
    }
    if (last.kindVersion != kindVersion) {
      out.add("kind_version: " + last.kindVersion + " -> " + kindVersion);
    }
    Set<String> names = new TreeSet<>();
    last.params.fieldNames().forEachRemaining(names::add);
    params.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      JsonNode a = last.params.get(n);
      JsonNode b = params.get(n);
      String sa = a == null ? "(absent)" : Canonical.json(a);
      String sb = b == null ? "(absent)" : Canonical.json(b);
      if (!sa.equals(sb)) {
        out.add("param " + n + ": " + sa + " -> " + sb);
      }
    }
    Set<String> ups = new TreeSet<>(last.inputs.keySet());
    ups.addAll(inputs.keySet());
    for (String u : ups) {
      String a = last.inputs.get(u);
      boolean present = inputs.containsKey(u);
      String b = inputs.get(u);
      if (a == null) {
        out.add("input " + u + ": (absent) -> " + (b == null ? "(not yet built)" : shortD(b)));
      } else if (!present) {
        out.add("input " + u + ": " + shortD(a) + " -> (absent)");
      } else if (b == null) {
        out.add("input " + u + ": " + shortD(a) + " -> (upstream stale, will rerun)");
      } else if (!a.equals(b)) {
        out.add("input " + u + ": " + shortD(a) + " -> " + shortD(b));
      }
    }
    return out;
  }

  private static String shortD(String d) {
    return d.length() > 12 ? d.substring(0, 12) : d;
  }

  /** Reads ingredients written by {@link #ingredients()}. */
  public static CacheKey fromIngredients(JsonNode o) {
    SortedMap<String, String> in = new TreeMap<>();
    o.path("inputs").fields().forEachRemaining(e -> in.put(e.getKey(), e.getValue().asText()));
    return new CacheKey(o.path("kind").asText(), o.path("kind_version").asInt(),
        o.path("params"), in);
  }
}
