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
        {16, "unknown kind 'nokind' in stage 'b' — expected one of [concat, fail, nospace, slow,"
            + " source, stamped, typed]"},
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

  static ParamOverride set(String argument) {
    return ParamOverride.parse(argument);
  }

  /** --set: a glob sets the param of exactly the stages it matches, after the profile's set. */
  @Test
  void overridesSetTheMatchingStagesAfterTheProfile() {
    Pipeline plain = parse(GRID).expand("ci");
    Pipeline p = parse(GRID).expand("ci", List.of(set("t-*-u0.x=0.125"), set("t-3-c13.x=2"),
        set("sink.list=[p, q]"), set("t-*.name=null")));
    assertEquals(plain.stages().keySet(), p.stages().keySet());
    assertEquals("0.125", Canonical.json(p.stage("t-3-u0").params().toJson().get("x")));
    assertEquals("2", Canonical.json(p.stage("t-3-c13").params().toJson().get("x")));
    assertEquals("[\"p\",\"q\"]", Canonical.json(p.stage("sink").params().toJson().get("list")));
    assertEquals("", p.stage("t-3-u0").params().string("name")); // null: the default
    for (String untouched : List.of("flag", "n", "list")) {
      assertEquals(plain.stage("t-3-u0").params().toJson().get(untouched),
          p.stage("t-3-u0").params().toJson().get(untouched), untouched);
    }
    assertEquals(plain.stage("sink").params().toJson().get("x"),
        p.stage("sink").params().toJson().get("x"));
    assertEquals("0.25", Canonical.json(plain.stage("t-3-u0").params().toJson().get("x")));
    // stage names may hold dots and '=', values '=': the split is at the first '.param='
    ParamOverride dotted = set("s=1.5.steps_2=cosine:warmup=10");
    assertEquals(List.of("s=1.5", "steps_2", "\"cosine:warmup=10\""), List.of(dotted.stages(),
        dotted.param(), dotted.value().toString()));
  }

  /** Each mistake in a --set is one problem naming the argument and what was expected. */
  @Test
  void overrideMistakesNameTheArgument() {
    String[][] cases = {
        {"zzz-*.n=1", "--set 'zzz-*.n=1': 'zzz-*' matches no stage — expected a glob over"},
        {"t-*.nope=1", "--set 't-*.nope=1': kind [typed] has no param 'nope' — expected one of"
            + " [flag, list, n, name, x]"},
        {"t-*.n=str", "--set 't-*.n=str': param 'n' is \"str\" — expected an integer"},
        {"sink.flag=1", "--set 'sink.flag=1': param 'flag' is 1 — expected true or false"},
        {"t-*.n=99999999999999999999", "param 'n' is 99999999999999999999 — expected an"
            + " integer"},
    };
    for (String[] c : cases) {
      SpecException e = assertThrows(SpecException.class,
          () -> parse(GRID).expand(null, List.of(set(c[0]))), c[0]);
      assertEquals(1, e.problems().size(), e.getMessage());
      assertTrue(e.problems().get(0).toString().contains(c[1]),
          e.problems().get(0) + "\nlacks\n" + c[1]);
      assertEquals(0, e.problems().get(0).line());
    }
    for (String bad : List.of("t-1.n", "n=1", ".n=1", "t-1.N=1", "t-1.n=", "t-1.n=[1,")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> set(bad), bad);
      assertTrue(e.getMessage().startsWith("--set '" + bad + "': "), e.getMessage());
      assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
  }

  /** A profile's set and --set give the same verdict for the same key and value. */
  @Test
  void overridesAndProfileSetsAreCheckedAlike() {
    String[][] cases = {{"t-*.x", "\"str\"", "str"}, {"t-*.nope", "1", "1"},
        {"zzz.x", "1", "1"}, {"t-*.x", "0.75", "0.75"}, {"t-*.list", "[1]", "[1]"}};
    for (String[] c : cases) {
      String yaml = GRID.replace("set: {\"t-*.x\": 0.25, \"t-*.list\": [\"a\"]}",
          "set: {\"" + c[0] + "\": " + c[1] + "}");
      String viaFile = verdict(() -> parse(yaml).expand("ci"));
      String viaSet = verdict(() -> parse(GRID.replace("set: {\"t-*.x\": 0.25, \"t-*.list\":"
          + " [\"a\"]}", "set: {}")).expand("ci", List.of(set(c[0] + "=" + c[2]))));
      assertEquals(viaFile, viaSet, c[0] + "=" + c[1]);
    }
  }

  /** The expected part of the one problem, or the resolved params of t-3-u0. */
  private static String verdict(java.util.function.Supplier<Pipeline> expand) {
    try {
      return expand.get().stage("t-3-u0").params().toString();
    } catch (SpecException e) {
      assertEquals(1, e.problems().size(), e.getMessage());
      return "rejected: " + e.problems().get(0).expected();
    }
  }

  @Test
  void globsMatchStarAndQuestionMark() {
    assertTrue(Glob.of("train-*-u?-s*").matches("train-diag-3-u5-s0"));
    assertTrue(!Glob.of("train-?").matches("train-10"));
    assertTrue(Glob.of("a.b").matches("a.b") && !Glob.of("a.b").matches("axb"));
  }
}
