package org.linearicl.pipeline.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.linearicl.pipeline.cache.Canonical;
import org.linearicl.pipeline.run.TestKinds;

class PipelineSpecTest {
  static final String GRID = """
      default_profile: full
      vars:
        n: [1, 2]
        noise:
          - {key: u0, spec: "uniform:0"}
          - {key: c13, spec: "categorical:1,3"}
      profiles:
        full: {}
        ci:
          vars: {n: [3]}
          set: {"t-*.x": 0.25, "t-*.list": ["a"]}
      stages:
        "t-{n}-{noise.key}":
          kind: typed
          foreach: [n, noise]
          params: {n: "{n}", name: "{noise.spec}-{profile}", list: ["{noise.key}", "x{n}"]}
        sink:
          kind: typed
          needs: ["t-*-u0"]
          params: {n: 7, x: 1.50}
      """;

  static PipelineSpec parse(String yaml) {
    return PipelineSpec.parse(yaml, "pipeline.yaml", new TestKinds().kinds());
  }

  /**
   * optional_needs: the warm-start edges of a depth grid, where layer 1 has no shallower model;
   * an entry that names no stage adds no edge, one that names a stage does.
   */
  @Test
  void optionalNeedsMayNameNoStage() {
    Pipeline p = parse("""
        vars:
          layers: [{n: 1, prev: 0}, {n: 2, prev: 1}, {n: 3, prev: 2}]
        stages:
          "t-{layers.n}":
            kind: typed
            foreach: [layers]
            optional_needs: ["t-{layers.prev}"]
            params: {n: "{layers.n}"}
        """).expand(null);
    assertEquals(List.of(), p.stage("t-1").needs());
    assertEquals(List.of("t-1"), p.stage("t-2").needs());
    assertEquals(List.of("t-2"), p.stage("t-3").needs());
    SpecException e = assertThrows(SpecException.class, () -> parse("""
        stages:
          a: {kind: typed, params: {n: 1}, optional_needs: ["a"]}
        """).expand(null));
    assertTrue(e.getMessage().contains("matches the stage itself"), e.getMessage());
  }

  @Test
  void foreachExpandsTheCartesianProductAndKeepsTypes() {
    Pipeline p = parse(GRID).expand(null);
    assertEquals("full", p.profile());
    assertEquals(List.of("t-1-u0", "t-1-c13", "t-2-u0", "t-2-c13", "sink"),
        List.copyOf(p.stages().keySet()));
    JsonNode params = p.stage("t-2-c13").params().toJson();
    assertTrue(params.get("n").isIntegralNumber(), params.toString());
    assertEquals(2, params.get("n").asInt());
    assertEquals("categorical:1,3-full", params.get("name").asText());
    assertEquals("[\"c13\",\"x2\"]", Canonical.json(params.get("list")));
    assertEquals("0.5", Canonical.json(params.get("x"))); // the default
    assertEquals(List.of("t-1-u0", "t-2-u0"), p.stage("sink").needs());
    assertEquals("1.5", Canonical.json(p.stage("sink").params().toJson().get("x")));
    assertEquals(List.of("full", "ci"), p.profiles());
  }

  @Test
  void profileReplacesVarListsAndSetsParamsByGlob() {
    Pipeline p = parse(GRID).expand("ci");
    assertEquals(List.of("t-3-u0", "t-3-c13", "sink"), List.copyOf(p.stages().keySet()));
    JsonNode params = p.stage("t-3-u0").params().toJson();
    assertEquals("0.25", Canonical.json(params.get("x")));
    assertEquals("[\"a\"]", Canonical.json(params.get("list")));
    assertEquals("uniform:0-ci", params.get("name").asText());
    assertEquals("1.5", Canonical.json(p.stage("sink").params().toJson().get("x")));
  }

  static final String BAD = """
      bogus: 1
      vars:
        v: [1, 2]
      profiles:
        p:
          vars: {nope: [1]}
          set: {"zzz-*.n": 1, "a-*.nope": 2, "a-*.n": "str"}
          extra: 1
      stages:
        "a-{v}":
          kind: typed
          foreach: [v]
          params: {n: "{v}", mystery: 1, name: "{w}"}
          colour: red
        "b":
          kind: nokind
        "c":
          kind: typed
          params: {x: "str"}
          needs: [ghost]
        "d-{v}":
          kind: typed
          foreach: [v]
          params: {n: 1}
        "d-1":
          kind: typed
          params: {n: 1}
        e: {kind: typed, params: {n: 1}, needs: [f]}
        f: {kind: typed, params: {n: 1}, needs: [e]}
        g: {kind: typed, params: {n: 1}, needs: ["g*"]}
      """;

  @Test
  void validationReportsEveryProblemWithItsLine() {
    SpecException e = assertThrows(SpecException.class, () -> parse(BAD).expand("p"));
    String all = e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
    Object[][] expected = {
        {1, "unknown top-level key 'bogus' — expected one of"},
        {6, "bad profile key 'vars.nope' in profile 'p'"},
        {7, "bad profile key 'zzz-*.n' in profile 'p': 'zzz-*' matches no stage"},
        {7, "bad profile key 'a-*.nope' in profile 'p': kind [typed] has no param 'nope'"},
        {7, "profile 'p' sets 'a-*.n' to 'str' — expected an integer"},
        {8, "bad profile key 'extra' in profile 'p'"},
        {13, "stage 'a-{v}' (kind typed): param 'mystery' is unknown — expected one of [flag,"
            + " list, n, name, x]"},
        {13, "unknown placeholder {w} in param 'name' — expected one of {profile}, {v}"},
        {14, "unknown stage field 'colour' in stage 'a-{v}' — expected one of"},
        {16, "unknown kind 'nokind' in stage 'b' — expected one of [concat, fail, slow, source,"
            + " typed]"},
        {17, "stage 'c' (kind typed): param 'n' is missing — expected an integer"},
        {19, "stage 'c' (kind typed): param 'x' is \"str\" — expected a number"},
        {20, "stage 'c' needs 'ghost', which matches no stage"},
        {25, "duplicate stage name 'd-1' after expansion (also from 'd-{v}' at line 21)"},
        {28, "cycle e -> f -> e — expected needs without cycles"},
        {30, "stage 'g' needs 'g*', which matches the stage itself"},
    };
    for (Object[] x : expected) {
      boolean found = e.problems().stream().anyMatch(pr -> pr.line() == (int) x[0]
          && pr.toString().contains((String) x[1]));
      assertTrue(found, "line " + x[0] + ": " + x[1] + "\nnot in:\n" + all);
    }
    assertEquals(expected.length, e.problems().size(), all);
    assertTrue(all.startsWith("pipeline.yaml:1:1: unknown top-level key 'bogus'"), all);
  }

  @Test
  void unknownProfileAndYamlErrors() {
    SpecException e = assertThrows(SpecException.class, () -> parse(GRID).expand("nope"));
    assertEquals("pipeline.yaml:7:1: unknown profile 'nope' — expected one of [full, ci]",
        e.problems().get(0).toString());
    SpecException dup = assertThrows(SpecException.class,
        () -> parse("stages:\n  a: {kind: typed}\n  a: {kind: typed}\n"));
    assertEquals(3, dup.problems().get(0).line(), dup.getMessage());
    assertTrue(dup.getMessage().contains("Duplicate field 'a'"), dup.getMessage());
    SpecException bad = assertThrows(SpecException.class,
        () -> parse("stages:\n  a: [unclosed\n"));
    assertTrue(bad.getMessage().contains("invalid YAML"), bad.getMessage());
  }

  /**
   * An unknown profile is reported where it comes from: at default_profile when that names it
   * (once), else at the 'profiles' key, else (a file without profiles) with no position.
   */
  @Test
  void unknownProfileIsPlacedAtWhatNamedIt() {
    SpecException fromDefault = assertThrows(SpecException.class,
        () -> parse(GRID.replace("default_profile: full", "default_profile: quik")).expand(null));
    assertEquals(List.of("pipeline.yaml:1:18: default_profile 'quik' is not a profile — expected"
        + " one of [full, ci]"), fromDefault.problems().stream().map(Problem::toString).toList());
    SpecException noProfiles = assertThrows(SpecException.class,
        () -> parse("stages:\n  a: {kind: typed, params: {n: 1}}\n").expand("quik"));
    assertEquals(List.of("pipeline.yaml: unknown profile 'quik' — expected 'default' (the file"
        + " declares no profiles)"), noProfiles.problems().stream().map(Problem::toString)
        .toList());
    SpecException emptyProfiles = assertThrows(SpecException.class,
        () -> parse("profiles:\nstages:\n  a: {kind: typed, params: {n: 1}}\n").expand("quik"));
    assertEquals(1, emptyProfiles.problems().get(0).line(), emptyProfiles.getMessage());
  }

  @Test
  void globsMatchStarAndQuestionMark() {
    assertTrue(Glob.of("train-*-u?-s*").matches("train-diag-3-u5-s0"));
    assertTrue(!Glob.of("train-?").matches("train-10"));
    assertTrue(Glob.of("a.b").matches("a.b") && !Glob.of("a.b").matches("axb"));
  }
}
