package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.spec.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code list}: the stages after expansion, with kind and state. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the stages after expansion: name, kind@version, fresh or stale.")
public final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Mixin ProfileOption profile;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Pipeline p = common.load(spec, profile.name);
    int width = p.stages().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Inspector.State s : Inspector.inspect(p.topological(), common.store(), Set.of())
        .values()) {
      out.println(String.format(java.util.Locale.ROOT, "%-" + width + "s  %-20s  %s",
          s.stage().name(), s.stage().kind().name() + "@" + s.stage().kind().version(),
          s.fresh() ? "fresh" : "stale"));
    }
    out.flush();
    return 0;
  }
}
