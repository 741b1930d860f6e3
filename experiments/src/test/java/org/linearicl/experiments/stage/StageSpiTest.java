package org.linearicl.experiments.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.util.Sha256;

class StageSpiTest {
  private static final List<ParamSpec> SPECS = List.of(
      ParamSpec.required("noise", ParamType.STRING, "noise distribution"),
      ParamSpec.optional("steps", ParamType.INTEGER, "100", "training steps"),
      ParamSpec.optional("lr", ParamType.NUMBER, "1e-3", "learning rate"),
      ParamSpec.optional("layers", ParamType.INTEGER_LIST, "[1, 2]", "depths"));

  @Test
  void artifactDigestIsTheSha256OfItsManifest() {
    Artifact a = Artifact.builder().text("b.txt", "beta\n").text("a/x.csv", "1,2\n").build();
    String manifest = Sha256.hex("1,2\n".getBytes(StandardCharsets.UTF_8)) + " 4 a/x.csv\n"
        + Sha256.hex("beta\n".getBytes(StandardCharsets.UTF_8)) + " 5 b.txt\n";
    assertEquals(manifest, a.manifest());
    assertEquals(Sha256.hex(manifest.getBytes(StandardCharsets.UTF_8)), a.digest());
    // the order of adding does not matter, one byte does
    assertEquals(a.digest(), Artifact.builder().text("a/x.csv", "1,2\n").text("b.txt", "beta\n")
        .build().digest());
    assertNotEquals(a.digest(), Artifact.builder().text("a/x.csv", "1,3\n")
        .text("b.txt", "beta\n").build().digest());
    // so does a name
    assertNotEquals(a.digest(), Artifact.builder().text("a/y.csv", "1,2\n")
        .text("b.txt", "beta\n").build().digest());
  }

  @Test
  void artifactRejectsUnsafeNamesAndCrLf() {
    for (String bad : List.of("", "/abs", "a//b", "../up", "a/./b", "a\\b", "dir/")) {
      assertThrows(IllegalArgumentException.class, () -> Artifact.ofText(bad, "x"), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Artifact.ofText("a.md", "x\r\n"));
    StageException e = assertThrows(StageException.class,
        () -> Artifact.ofText("a.md", "x").text("b.md"));
    assertTrue(e.getMessage().contains("'b.md'"), e.getMessage());
  }

  @Test
  void paramsFillDefaultsAndKeepExactDecimals() {
    StageParams p = StageParams.resolve("train-x", SPECS,
        StageParams.parseLiteral("{\"noise\": \"uniform:5\", \"lr\": 0.1}"));
    assertEquals("uniform:5", p.string("noise"));
    assertEquals(100, p.int32("steps"));
    assertEquals(0.1, p.number("lr"));
    assertEquals("0.1", p.values().get("lr").decimalValue().toPlainString());
    assertEquals(List.of("layers", "lr", "noise", "steps"), List.copyOf(p.values().keySet()));
    assertEquals(2, p.integers("layers").length);
  }

  @Test
  void problemsListEveryMistakeByName() {
    List<ParamProblem> problems = StageParams.problems(SPECS,
        StageParams.parseLiteral("{\"stepz\": 3, \"lr\": \"fast\", \"layers\": [1, 2.5]}"));
    assertEquals(List.of(
        new ParamProblem("stepz", ParamProblem.Issue.UNKNOWN, StageParams.parseLiteral("3"),
            "one of [layers, lr, noise, steps]"),
        new ParamProblem("lr", ParamProblem.Issue.WRONG_TYPE,
            StageParams.parseLiteral("\"fast\""), "a number"),
        new ParamProblem("layers", ParamProblem.Issue.WRONG_TYPE,
            StageParams.parseLiteral("[1, 2.5]"), "a list of integers")),
        problems.subList(0, 3));
    assertEquals("noise", problems.get(3).param());
    assertEquals(ParamProblem.Issue.MISSING, problems.get(3).issue());
    assertEquals(4, problems.size(), problems.toString());
    assertEquals("'stepz': unknown parameter, expected one of [layers, lr, noise, steps]",
        problems.get(0).message());
    assertEquals("'lr': expected a number, got \"fast\"", problems.get(1).message());
    assertEquals("is \"fast\"", problems.get(1).what());
    assertTrue(problems.get(3).message().startsWith("'noise': missing, expected a string"));
    assertEquals(StageParams.check(SPECS, "lr", StageParams.parseLiteral("\"fast\"")),
        java.util.Optional.of(problems.get(1)));
    assertTrue(StageParams.check(SPECS, "lr", StageParams.parseLiteral("null")).isEmpty());
    assertEquals("no parameter (the kind declares none)",
        StageParams.check(List.of(), "lr", null).orElseThrow().expected());
    assertEquals("params: expected a mapping of parameter names to values",
        StageParams.problems(SPECS, StageParams.parseLiteral("[1]")).get(0).message());
    StageException e = assertThrows(StageException.class,
        () -> StageParams.resolve("s", SPECS, StageParams.parseLiteral("{}")));
    assertTrue(e.getMessage().contains("stage 's'") && e.getMessage().contains("'noise'"));
  }

  @Test
  void registryRejectsDuplicateAndMalformedNames() {
    StageKind a = new Fake("train");
    assertThrows(IllegalArgumentException.class, () -> StageKinds.of(a, new Fake("train")));
    assertThrows(IllegalArgumentException.class, () -> StageKinds.of(new Fake("Train_X")));
    assertEquals(a, StageKinds.of(a).find("train").orElseThrow());
  }

  private record Fake(String name) implements StageKind {
    @Override
    public int version() {
      return 1;
    }

    @Override
    public String description() {
      return "a fake";
    }

    @Override
    public List<ParamSpec> params() {
      return SPECS;
    }

    @Override
    public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
      return Artifact.ofText("out.txt", params.string("noise"));
    }
  }
}
