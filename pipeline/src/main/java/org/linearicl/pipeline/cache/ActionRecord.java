package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.linearicl.core.util.Require;
import org.linearicl.experiments.artifacts.Json;

/**
 * The commit point of one stage run: the key, the key's ingredients, the stage name, the
 * artifact digest and the provenance. Stored as {@code records/<key>.json}, written last.
 */
public record ActionRecord(String key, String stage, CacheKey ingredients, String artifact,
    JsonNode provenance) {
  public ActionRecord {
    Require.nonNull("key", key, "stage", stage, "ingredients", ingredients, "artifact", artifact,
        "provenance", provenance);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.TREES.createObjectNode();
    o.put("schema", CacheKey.SCHEMA);
    o.put("key", key);
    o.put("stage", stage);
    ingredients.putFields(o);
    o.put("artifact", artifact);
    o.set("provenance", provenance);
    return o;
  }

  /** Parses a record; an IllegalArgumentException if fields are missing or the key is off. */
  public static ActionRecord fromJson(JsonNode o) {
    for (String f : new String[] {"key", "stage", "kind", "kind_version", "params", "inputs",
        "artifact", "provenance"}) {
      if (!o.has(f)) {
        throw new IllegalArgumentException("record has no '" + f + "'");
      }
    }
    CacheKey k = CacheKey.fromIngredients(o);
    ActionRecord r = new ActionRecord(o.get("key").asText(), o.get("stage").asText(), k,
        o.get("artifact").asText(), o.get("provenance"));
    if (!k.hash().equals(r.key())) {
      throw new IllegalArgumentException("record's ingredients do not hash to its key");
    }
    return r;
  }
}
