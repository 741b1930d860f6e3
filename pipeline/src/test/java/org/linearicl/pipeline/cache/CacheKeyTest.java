package org.linearicl.pipeline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.StageParams;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.PipelineSpec;
import org.linearicl.pipeline.run.TestKinds;

class CacheKeyTest {
  /**
   * The key of a fixed stage. If this test fails, a refactoring changed every cache key: that
   * silently invalidates every user's cache, so only change GOLDEN together with a new SCHEMA.
   */
  static final String CANONICAL = "{\"inputs\":{\"train-a\":\"" + "ab".repeat(32) + "\"},"
      + "\"kind\":\"typed\",\"kind_version\":1,\"params\":{\"flag\":false,\"list\":[\"x\",\"y\"],"
      + "\"n\":3000,\"name\":\"uniform:5\",\"x\":0.1},\"schema\":\"linear-icl-cache/1\"}";
  static final String GOLDEN =
      "72fdfd43fbb66b5a54f5f47601eabfdc4adf1378e3be4f8978404a4b6de51dfd";

  @Test
  void keyOfAFixedStageIsStable() {
    Pipeline p = PipelineSpec.parse("""
        stages:
          train-a: {kind: typed, params: {n: 1}}
          s:
            kind: typed
            needs: [train-a]
            params: {n: 3000, x: 0.10, name: "uniform:5", list: [x, y]}
        """, "pipeline.yaml", new TestKinds().kinds()).expand(null);
    TreeMap<String, String> in = new TreeMap<>();
    in.put("train-a", "ab".repeat(32));
    CacheKey k = CacheKey.of(p.stage("s").kind(), p.stage("s").params(), in);
    assertEquals(CANONICAL, k.canonical());
    assertEquals(GOLDEN, k.hash());
  }

  @Test
  void numbersAreCanonical() {
    assertEquals("[1,0.1,100,0,0,1.5,-2.25,12345678901234567890,0.000001]", Canonical.json(
        StageParams.parseLiteral("[1, 0.10, 1E+2, -0.0, 0, 1.50, -2.250,"
            + " 12345678901234567890, 1e-6]")));
    assertEquals("{\"a\":{\"b\":1,\"c\":2},\"z\":\"q\\\"\\n\"}",
        Canonical.json(StageParams.parseLiteral("{\"z\": \"q\\\"\\n\", \"a\": {\"c\": 2, \"b\": 1}}")));
  }

  @Test
  void keyChangesWithEachIngredient() {
    JsonNode params = StageParams.parseLiteral("{\"n\":1}");
    TreeMap<String, String> in = new TreeMap<>();
    in.put("u", "00");
    String base = new CacheKey("k", 1, params, in).hash();
    assertNotEquals(base, new CacheKey("k", 2, params, in).hash());
    assertNotEquals(base, new CacheKey("j", 1, params, in).hash());
    assertNotEquals(base, new CacheKey("k", 1, StageParams.parseLiteral("{\"n\":2}"), in).hash());
    in.put("u", "01");
    assertNotEquals(base, new CacheKey("k", 1, params, in).hash());
    in.put("u", "00");
    assertEquals(base, new CacheKey("k", 1, StageParams.parseLiteral("{\"n\":1.0}"), in).hash());
  }
}
