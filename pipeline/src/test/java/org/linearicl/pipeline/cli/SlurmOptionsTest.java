package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.linearicl.pipeline.run.CliFixture;
import org.linearicl.pipeline.run.RunOptions;
import org.linearicl.pipeline.spec.ParamOverride;
import org.linearicl.pipeline.spec.PipelineSpec;
import org.linearicl.pipeline.spec.SlurmSpec;
import org.linearicl.pipeline.spec.SpecException;
import org.linearicl.pipeline.run.TestKinds;

/** The slurm: block of the pipeline file, the --slurm-* options and a job's command line. */
class SlurmOptionsTest extends CliFixture {
  @Override
  protected String pipeline() {
    return """
        slurm:
          partition: short
          time: "2:00:00"
          kinds:
            slow: {time: "12:00:00", cpus: 4}
        stages:
          a: {kind: source, params: {value: x}}
          b: {kind: slow, needs: [a]}
        """;
  }

  static final Set<String> KINDS = Set.of("source", "slow", "concat");

  @Test
  void theFileGivesDefaultsPerKindAndTheCommandLineOverridesThem() {
    SlurmSpec file = PipelineSpec.parse(pipeline(), "pipeline.yaml", new TestKinds().kinds())
        .expand(null).slurm();
    assertEquals(new SlurmSpec.Resources("2:00:00", "4G", 1), file.of("source"));
    assertEquals(new SlurmSpec.Resources("12:00:00", "4G", 4), file.of("slow"));
    assertEquals("short", file.partition());

    SlurmSpec cli = SlurmOptions.resources(file, null, "proj", List.of("30"),
        List.of("slow=16G"), List.of("2"), KINDS);
    assertEquals(new SlurmSpec.Resources("30", "4G", 2), cli.of("source"));
    // a bare value is every kind's, the file's per-kind ones included
    assertEquals(new SlurmSpec.Resources("30", "16G", 2), cli.of("slow"));
    assertEquals("short", cli.partition());
    assertEquals("proj", cli.account());
  }

  @Test
  void aJobRunsTheOneStageOnTheSameFileProfileOverridesAndCache() {
    List<String> c = SlurmOptions.jobCommand("ci", Path.of("p.yaml"), Path.of("cache"),
        List.of(ParamOverride.parse("train-*.steps=5")));
    assertTrue(c.get(0).endsWith("/bin/java") && c.get(1).equals("--add-modules")
        && c.get(2).equals("jdk.incubator.vector"), c.toString());
    int run = c.indexOf("run");
    assertEquals(List.of("run", RunOptions.Slurm.STAGE, "--stage-job", "--profile", "ci",
        "--file", Path.of("p.yaml").toAbsolutePath().toString(), "--cache-dir",
        Path.of("cache").toAbsolutePath().toString(), "--progress-seconds", "0", "--set",
        "train-*.steps=5"), c.subList(run, c.size()));
    RunOptions.Slurm s = new RunOptions.Slurm(SlurmSpec.none(), c, 2, Map.of());
    assertEquals("b", s.commandFor("b").get(run + 1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--executor slurm --slurm-time 1h | --slurm-time '1h': expected a Slurm time limit",
      "--executor slurm --slurm-mem 4GB | --slurm-mem '4GB': expected a memory size",
      "--executor slurm --slurm-cpus 0 | --slurm-cpus '0': expected a whole number of CPUs",
      "--executor slurm --slurm-cpus nope=2 | --slurm-cpus 'nope=2': unknown stage kind 'nope'",
      "--executor slurm --slurm-partition a;b | --slurm-partition 'a;b': expected a Slurm name",
      "--executor slurm --slurm-poll-seconds 0 | --slurm-poll-seconds 0.0: expected more than 0",
      "--executor pbs | --executor 'pbs': expected local or slurm",
      "--slurm-mem 4G | the --slurm-* options set what Slurm jobs ask for; expected them with"
          + " --executor slurm",
  })
  void badOptionsAreExitTwoWithOneLine(String args, String expected) {
    List<String> a = new java.util.ArrayList<>(List.of("run", "--file", file.toString(),
        "--cache-dir", cache.toString(), "--results-dir", dir.resolve("r").toString()));
    a.addAll(List.of(args.trim().split("\\s+")));
    Result r = execute(a.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().contains(expected.trim()), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "slurm: {time: 1h} | pipeline.yaml:1:15: slurm.time is",
      "slurm: {mem: -1} | slurm.mem is",
      "slurm: {cpus: 1.5} | slurm.cpus is",
      "slurm: {queue: x} | pipeline.yaml:1:9: unknown key 'slurm.queue'",
      "slurm: {kinds: {nope: {cpus: 2}}} | unknown stage kind 'nope' in 'slurm.kinds'",
      "slurm: {kinds: {slow: {gpus: 2}}} | unknown key 'slurm.kinds.slow.gpus'",
      "slurm: [1] | 'slurm' is",
  })
  void aBadSlurmBlockIsReportedAtItsLine(String block, String expected) {
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> PipelineSpec.parse(block + "\nstages:\n  a: {kind: source, params: {value: x}}\n",
            "pipeline.yaml", new TestKinds().kinds()).expand(null));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).toString().contains(expected), e.problems().toString());
  }
}
