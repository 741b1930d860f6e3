package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.spec.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code get STAGE --out DIR}: copies the cached artifact of one stage, under its current key,
 * out of the cache by stage name, its files at their names under DIR (a checkpoint, an
 * evaluation, a table). Runs nothing: a stage that is not in the cache is a user mistake.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Copies the cached artifact of STAGE (its current key) into DIR; runs nothing.")
public final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Parameters(paramLabel = "STAGE", description = "The stage name (after expansion).")
  String stage;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Where the artifact's files go (created; existing files of the same names"
          + " are replaced).")
  Path out;

  @Mixin ProfileOption profile;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    Pipeline p = common.load(spec, profile.name);
    p.require("stage", stage);
    Inspector.State s = Inspector.inspect(p.select(List.of(stage)), common.store(), Set.of())
        .get(stage);
    if (!s.fresh()) {
      throw new UserError("stage '" + stage + "' is not in the cache " + common.cacheDir()
          + " (" + s.reason() + "); expected a stage that 'run " + stage + " --profile "
          + p.profile() + "' has computed");
    }
    OutputPaths.created("--out", out, "the stage's files");
    Artifact a;
    try {
      a = common.store().get(s.artifact());
    } catch (CorruptArtifactException e) {
      throw new UserError("stage '" + stage + "': " + e.getMessage() + "; expected an intact"
          + " cache ('verify --repair', then 'run')", e);
    }
    for (String f : a.names()) {
      Path target = out.resolve(f);
      if (Files.isDirectory(target)) {
        throw new UserError("--out " + out + ": " + target + " is a directory, expected room"
            + " for the file '" + f + "'");
      }
      AtomicFiles.write(target, a.bytes(f));
    }
    stdout.println("{\"stage\":\"" + stage + "\",\"key\":\"" + s.key() + "\",\"artifact\":\""
        + a.digest() + "\",\"out\":" + quote(out.toString()) + ",\"files\":" + a.names().size()
        + "}");
    stdout.flush();
    return 0;
  }

  private static String quote(String s) {
    return org.linearicl.experiments.artifacts.Json.TREES.getNodeFactory().textNode(s).toString();
  }
}
