package org.linearicl.pipeline.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.linearicl.pipeline.run.TestKinds;

class PlaceholdersTest {
  private static final YNode EMPTY = YNode.mapping(Map.of(), Map.of(), null);

  private static SpecContext context() {
    return new SpecContext("pipeline.yaml", EMPTY, new TestKinds().kinds(), "ci", List.of("ci"));
  }

  private static final Map<String, YNode> BINDING = Map.of(
      "n", YNode.scalar(SpecContext.NODES.numberNode(2L), null),
      "noise", YNode.mapping(Map.of("key", YNode.scalar(SpecContext.NODES.textNode("u5"), null)),
          Map.of(), null));

  /** A whole-string placeholder keeps its value's type; anything else is spliced as text. */
  @Test
  void aSinglePlaceholderKeepsItsTypeOthersAreSplicedAsText() {
    SpecContext cx = context();
    JsonNode n = Placeholders.substitute(cx, "{n}", BINDING, null, "param 'n'");
    assertTrue(n.isIntegralNumber(), n.toString());
    assertEquals("t-2-u5-ci", Placeholders.substitute(cx, "t-{n}-{noise.key}-{profile}", BINDING,
        null, "stage name").asText());
    // the innermost braces are the placeholder
    assertEquals("{2}x", Placeholders.substitute(cx, "{{n}}x", BINDING, null, "x").asText());
    assertTrue(cx.problems().isEmpty(), cx.problems().toString());
  }

  /** An unknown name, a field of a scalar, or a mapping where a scalar goes: null, reported. */
  @Test
  void unknownPlaceholdersAreReportedWithTheKnownOnes() {
    SpecContext cx = context();
    assertNull(Placeholders.substitute(cx, "{m}", BINDING, null, "param 'm'"));
    assertNull(Placeholders.substitute(cx, "{n.key}", BINDING, null, "param 'm'"));
    assertNull(Placeholders.substitute(cx, "{noise}", BINDING, null, "param 'm'"));
    List<String> what = cx.problems().stream().map(Problem::what).toList();
    assertEquals(List.of("unknown placeholder {m} in param 'm'",
        "unknown placeholder {n.key} in param 'm'",
        "placeholder {noise} in param 'm' names a mapping"), what);
    assertTrue(cx.problems().iterator().next().expected().startsWith("one of {profile}, "),
        cx.problems().toString());
  }
}
