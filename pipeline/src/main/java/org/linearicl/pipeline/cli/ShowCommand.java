package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.cache.Canonical;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.spec.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show STAGE}: kind, params, needs, key, artifact and provenance of one stage. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Shows one stage: kind@version, resolved params, needs, key, artifact files"
        + " and provenance.")
public final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Parameters(paramLabel = "STAGE", description = "The stage name (after expansion).")
  String stage;

  @Mixin ProfileOption profile;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Pipeline p = common.load(spec, profile.name);
    p.require("stage", stage);
    Inspector.State s = Inspector.inspect(p.select(java.util.List.of(stage)), common.store(),
        Set.of()).get(stage);
    out.println("stage:    " + stage);
    out.println("kind:     " + s.stage().kind().name() + "@" + s.stage().kind().version());
    out.println("params:   " + Canonical.json(s.stage().params().toJson()));
    out.println("needs:    " + s.stage().needs());
    out.println("publish:  " + s.stage().publish());
    out.println("key:      " + (s.key() == null ? "(unknown until its upstream runs)" : s.key()));
    out.println("state:    " + (s.fresh() ? "fresh" : "stale (" + s.reason() + ")"));
    if (s.fresh()) {
      out.println("artifact: " + s.artifact());
      common.store().manifestObjects(s.artifact()).forEach((f, sha) ->
          out.println("  " + f + "  " + sha));
    }
    if (s.fresh() || s.last() != null) {
      var rec = s.last();
      out.println("provenance" + (s.fresh() ? "" : " (of the last run)") + ":");
      out.print(new String(Json.bytes(rec.provenance()), java.nio.charset.StandardCharsets.UTF_8));
    }
    out.flush();
    return 0;
  }
}
