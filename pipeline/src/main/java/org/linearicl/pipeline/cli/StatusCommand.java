package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.spec.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: which stages are fresh and why the others are stale. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Lists every stage as fresh or stale (with the reason); runs nothing.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Mixin ProfileOption profile;

  @Option(names = "--why", paramLabel = "STAGE",
      description = "Field-by-field difference between STAGE's current key and its last run.")
  String why;

  @Option(names = "--exit-code", description = "Exit 1 when any stage is stale or a published"
      + " file is out of date (for CI).")
  boolean exitCode;

  @Mixin ResultsDirOption results;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Pipeline p = common.load(spec, profile.name);
    Store store = common.store();
    Map<String, Inspector.State> states = Inspector.inspect(p.topological(), store, Set.of());
    if (why != null) {
      Inspector.State s = states.get(why);
      if (s == null) {
        throw new UserError("--why '" + why + "': no such stage in profile '" + p.profile()
            + "'");
      }
      out.println(why + ": " + (s.fresh() ? "fresh" : "stale (" + s.reason() + ")"));
      out.println("  key: " + (s.key() == null ? "(unknown until its upstream runs)" : s.key()));
      if (s.last() == null) {
        out.println("  no previous run recorded");
      } else {
        out.println("  last run: key " + s.last().key() + ", finished "
            + s.last().provenance().path("finished_at").asText());
        if (s.diff().isEmpty()) {
          out.println("  no differences in kind, params or inputs");
        }
        s.diff().forEach(d -> out.println("  " + d));
      }
      out.flush();
      return exitCode && !s.fresh() ? 1 : 0;
    }
    int stale = 0;
    for (Inspector.State s : states.values()) {
      if (s.fresh()) {
        out.println("fresh  " + s.stage().name());
      } else {
        stale++;
        out.println("stale  " + s.stage().name() + "  (" + s.reason() + ")");
      }
    }
    List<String> published = Inspector.published(p, states, store, results.dir);
    published.forEach(out::println);
    out.println("profile " + p.profile() + ": " + (states.size() - stale) + " fresh, " + stale
        + " stale" + (published.isEmpty() ? "" : ", " + published.size()
            + " published file(s) out of date"));
    out.flush();
    return exitCode && (stale > 0 || !published.isEmpty()) ? 1 : 0;
  }
}
