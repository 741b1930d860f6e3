package org.linearicl.pipeline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/** The bytes of an action record: an on-disk format, which a refactoring must not change. */
class RecordFormatTest {
  /** A record as the cache writes it, the machine-dependent provenance fields fixed. */
  static final String GOLDEN = """
      {
        "checksum" : "b0f3b83cf80634feb7b3faf5f9dc80c70cab34ac28c5922b8eb9b8ce5991c9e4",
        "schema" : "linear-icl-cache/1",
        "key" : "413eb98158e936b1114bcd9307938fd3cb21518d49711f78d627920dcb8cfa03",
        "stage" : "s",
        "kind" : "typed",
        "kind_version" : 2,
        "params" : {
          "seed" : 3,
          "x" : 0.1,
          "list" : [ 1, 2.5 ],
          "name" : "u:5"
        },
        "inputs" : {
          "up-a" : "abababababababababababababababababababababababababababababababab",
          "up-b" : "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
        },
        "artifact" : "efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef",
        "provenance" : {
          "stage" : "s",
          "kind" : "typed@2",
          "params" : {
            "seed" : 3,
            "x" : 0.1,
            "list" : [ 1, 2.5 ],
            "name" : "u:5"
          },
          "input_digests" : {
            "up-a" : "abababababababababababababababababababababababababababababababab",
            "up-b" : "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
          },
          "seed" : 3,
          "jdk" : "J",
          "os" : "O",
          "threads" : 4,
          "git_commit" : "G",
          "wall_seconds" : 1.235,
          "phase_seconds" : {
            "a" : 0.250,
            "b" : 0.500
          },
          "finished_at" : "2026-01-02T03:04:05.678Z"
        }
      }
      """;

  @Test
  void aRecordHasTheBytesOfItsFormat() {
    JsonNode params = StageParams.parseLiteral(
        "{\"seed\": 3, \"x\": 0.10, \"list\": [1, 2.50], \"name\": \"u:5\"}");
    TreeMap<String, String> in = new TreeMap<>();
    in.put("up-b", "cd".repeat(32));
    in.put("up-a", "ab".repeat(32));
    CacheKey k = new CacheKey("typed", 2, params, in);
    ObjectNode prov = Provenance.of("s", k, params.get("seed"), 4, 1.23456,
        Map.of("b", 0.5, "a", 0.25), Instant.parse("2026-01-02T03:04:05.678901Z"));
    prov.put("jdk", "J");
    prov.put("os", "O");
    prov.put("git_commit", "G");
    ActionRecord r = new ActionRecord(k.hash(), "s", k, "ef".repeat(32), prov);
    assertEquals(GOLDEN, new String(ChecksummedJson.seal(r.toJson()), StandardCharsets.UTF_8));
  }

  @Test
  void aKindWithoutASeedRecordsANullSeed() {
    CacheKey k = new CacheKey("typed", 1, StageParams.parseLiteral("{\"n\": 1}"),
        new TreeMap<>());
    ObjectNode prov = Provenance.of("s", k, null, 1, 0, Map.of(), Instant.EPOCH);
    assertEquals(List.of("stage", "kind", "params", "input_digests", "seed", "jdk", "os",
        "threads", "git_commit", "wall_seconds", "finished_at"), names(prov));
    assertEquals("null", prov.get("seed").toString());
  }

  @Test
  void theSeedOfAKindIsTheParameterNamedSoUnlessItSaysOtherwise() {
    assertEquals(Optional.of("seed"), kind(List.of(
        ParamSpec.optional("n", ParamType.INTEGER, "1", "a count"),
        ParamSpec.optional("seed", ParamType.INTEGER, "0", "the seed"))).seedParam());
    assertEquals(Optional.empty(), kind(List.of(
        ParamSpec.optional("n", ParamType.INTEGER, "1", "a count"))).seedParam());
  }

  private static List<String> names(ObjectNode o) {
    List<String> out = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static StageKind kind(List<ParamSpec> params) {
    return new StageKind() {
      @Override
      public String name() {
        return "k";
      }

      @Override
      public int version() {
        return 1;
      }

      @Override
      public String description() {
        return "a kind";
      }

      @Override
      public List<ParamSpec> params() {
        return params;
      }

      @Override
      public Artifact run(StageParams p, StageInputs inputs, StageContext context) {
        return Artifact.ofText("a.txt", "a\n");
      }
    };
  }
}
