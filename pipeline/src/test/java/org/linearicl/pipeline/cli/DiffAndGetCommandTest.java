package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.run.CliFixture;

/** {@code diff} on copies of results/ci's Table 1, and {@code get} on a small pipeline. */
class DiffAndGetCommandTest extends CliFixture {
  @Override
  protected String pipeline() {
    return PipelineCommandsTest.FILE;
  }

  /** results/ci's Table 1 files copied to {@code dir/name/tables/}. */
  Path results(String name) throws Exception {
    Path t = Files.createDirectories(dir.resolve(name).resolve("tables"));
    for (String f : List.of("table1_comparison.csv", "table1_se.csv")) {
      Files.copy(PublishedModelsTest.RESULTS.resolve("tables").resolve(f), t.resolve(f));
    }
    return t.getParent();
  }

  @Test
  void diffListsEveryCellAndTheCellsThatChangedVerdict() throws Exception {
    Path a = results("a");
    Path b = results("b");
    // in B, DIAG 2 on U(0,5) moves 0.1 up and is flagged: a changed verdict
    Path cmp = b.resolve("tables/table1_comparison.csv");
    String text = Files.readString(cmp);
    String row = text.lines().filter(l -> l.startsWith("DIAG,2,\"U(0,5)\"")).findFirst()
        .orElseThrow();
    String[] f = row.split(",", -1);
    f[4] = Double.toString(Double.parseDouble(f[4]) + 0.1); // field 4 is ours (the setting has a comma)
    f[9] = "*";
    Files.writeString(cmp, text.replace(row, String.join(",", f)));

    Result md = execute("diff", a.toString(), b.toString());
    assertEquals(0, md.code(), md.err());
    assertTrue(md.out().contains("27 cell(s) in both, 0 in one only; 1 changed verdict:"),
        md.out());
    assertTrue(md.out().contains("- DIAG 2, U(0,5): match -> off (0.2523 ± 0.01967 -> 0.3523"
        + " ± 0.01967)"), md.out());

    Result csv = execute("diff", a.toString(), b.toString(), "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals(28, lines.size());
    String changed = lines.stream().filter(l -> l.endsWith(",yes")).findFirst().orElseThrow();
    // 0.1 over sqrt(2) standard errors of 0.01967 each: 3.595
    assertTrue(changed.startsWith("DIAG,2,\"U(0,5)\",0.25234842439115374,0.019667791871954998,"
        + "0.35234842439115377,0.019667791871954998,0.10000000000000003,"), changed);
    assertTrue(changed.contains(",3.595"), changed);

    Result json = execute("diff", a.toString(), b.toString(), "--format", "json");
    JsonNode j = Json.TREES.readTree(json.out());
    assertEquals(1, j.path("changed").asInt());
    assertEquals(27, j.path("cells").size());

    // against the paper: the difference in our standard errors, as table1_comparison.csv has it
    Result paper = execute("diff", a.toString(), "--paper", "--format", "csv");
    assertEquals(0, paper.code(), paper.err());
    assertTrue(paper.out().contains("GD++,2,\"U(0,0)\",0.341,0.0,0.2640552524379752,"
        + "0.008479507598176655,-0.07694474756202485,-9.07419996634831"), paper.out());
  }

  @Test
  void diffMistakesAreOneLineExitTwo() throws Exception {
    Path a = results("a");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path fileArg = Files.writeString(dir.resolve("afile"), "x");
    PipelineCommandsTest.assertUserError(execute("diff", dir.resolve("none").toString(),
        a.toString()), "no such directory; expected a results directory");
    PipelineCommandsTest.assertUserError(execute("diff", a.toString(), fileArg.toString()),
        "RESULTS_B " + fileArg + ": is a file");
    PipelineCommandsTest.assertUserError(execute("diff", empty.toString(), "--paper"),
        "no tables/table1_comparison.csv");
    PipelineCommandsTest.assertUserError(execute("diff", a.toString()),
        "expected two (RESULTS_A RESULTS_B) or --paper");
    PipelineCommandsTest.assertUserError(execute("diff", a.toString(), a.toString(), "--paper"),
        "expected 'diff RESULTS --paper'");
    PipelineCommandsTest.assertUserError(execute("diff", a.toString(), "--paper", "--format",
        "xml"), "--format 'xml': expected md, csv or json");
  }

  @Test
  void getCopiesACachedArtifactByStageName() throws Exception {
    String[] common = {"--file", file.toString(), "--cache-dir", cache.toString()};
    Path out = dir.resolve("out");
    PipelineCommandsTest.assertUserError(execute(PipelineCommandsTest.concat(new String[] {"get",
        "src-a", "--out", out.toString()}, common)), "stage 'src-a' is not in the cache "
        + cache + " (never run); expected a stage that 'run src-a --profile ci' has computed");
    PipelineCommandsTest.assertUserError(execute(PipelineCommandsTest.concat(new String[] {"get",
        "src-z", "--out", out.toString()}, common)), "stage 'src-z': no such stage in profile"
        + " 'ci'");
    // show and status --why name an unknown stage the same way (Pipeline.require)
    PipelineCommandsTest.assertUserError(execute(PipelineCommandsTest.concat(new String[] {"show",
        "src-z"}, common)), "stage 'src-z': no such stage in profile 'ci'; expected one of the"
        + " names printed by 'list --profile ci'");
    PipelineCommandsTest.assertUserError(execute(PipelineCommandsTest.concat(new String[] {
        "status", "--why", "src-z"}, common)), "--why 'src-z': no such stage in profile 'ci';"
        + " expected one of the names printed by 'list --profile ci'");
    assertEquals(0, execute(PipelineCommandsTest.concat(new String[] {"run", "src-a"}, common))
        .code());
    Result r = execute(PipelineCommandsTest.concat(new String[] {"get", "src-a", "--out",
        out.toString()}, common));
    assertEquals(0, r.code(), r.err());
    assertEquals("a", Files.readString(out.resolve("out.txt")));
    assertEquals(1, Json.TREES.readTree(r.out()).path("files").asInt());
    // a file where the directory should be
    Path f = Files.writeString(dir.resolve("afile"), "x");
    PipelineCommandsTest.assertUserError(execute(PipelineCommandsTest.concat(new String[] {"get",
        "src-a", "--out", f.toString()}, common)), "--out " + f + ": is a file");
  }
}
