package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.remote.RemoteCache;
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
      + " file is out of date (for CI); with no cache, when a published file differs from its"
      + " published.json.")
  boolean exitCode;

  @Mixin ResultsDirOption results;

  @Mixin RemoteOption remote;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Pipeline p = common.load(spec, profile.name);
    Store store = common.store();
    if (store.presence() == Store.Presence.NONE && !remote.given()) {
      return withoutCache(p, store, out);
    }
    Map<String, Inspector.State> states = Inspector.inspect(p.topological(), store, Set.of());
    if (why != null) {
      p.require("--why", why);
      Inspector.State s = states.get(why);
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
    Set<String> onRemote = new HashSet<>();
    if (remote.given()) {
      try (RemoteCache r = remote.open()) {
        onRemote.addAll(RemoteWalk.walk(p.topological(), (s, key) -> {
          Inspector.State st = states.get(s.name());
          return st.fresh() ? Optional.of(st.artifact())
              : r.readRecord(key).map(ActionRecord::artifact);
        }).found());
      }
      onRemote.removeIf(n -> states.get(n).fresh());
    }
    int stale = 0;
    for (Inspector.State s : states.values()) {
      if (s.fresh()) {
        out.println("fresh  " + s.stage().name());
      } else if (onRemote.contains(s.stage().name())) {
        out.println("remote " + s.stage().name() + "  (cached on the remote: `run --remote` or"
            + " `pull` fetches it)");
      } else {
        stale++;
        out.println("stale  " + s.stage().name() + "  (" + s.reason() + ")");
      }
    }
    List<String> published = Inspector.published(p, states, store, results.dir);
    published.forEach(out::println);
    out.println("profile " + p.profile() + ": " + (states.size() - stale - onRemote.size())
        + " fresh, " + (remote.given() ? onRemote.size() + " on the remote, " : "") + stale
        + " stale" + (published.isEmpty() ? "" : ", " + published.size()
            + " published file(s) out of date"));
    out.flush();
    return exitCode && (stale > 0 || !published.isEmpty()) ? 1 : 0;
  }

  /**
   * {@code status} with no cache: no stage's key can be compared with a previous run, so it says
   * so in one line and checks only what it can, the published files against their list.
   */
  private int withoutCache(Pipeline p, Store store, PrintWriter out) throws IOException {
    if (why != null) {
      p.require("--why", why);
    }
    out.println("no cache at " + store.root() + " (" + OutputPaths.cacheOption(common) + "): no"
        + " stage has run with it, so no stage's state is known (`run` fills it)");
    Inspector.PublishedCheck c = Inspector.publishedAgainstList(p, results.dir);
    Path list = results.dir.resolve(p.profile()).resolve("published.json");
    if (c.noList() != null) {
      out.println(c.noList());
    } else if (c.differing().isEmpty()) {
      out.println("published files match " + list + " (" + c.listed() + " files)");
    } else {
      c.differing().forEach(out::println);
      out.println(c.differing().size() + " of " + c.listed() + " published file(s) differ from "
          + list);
    }
    boolean differ = !c.differing().isEmpty() || (c.noList() != null && Files.exists(list));
    out.flush();
    return exitCode && differ ? 1 : 0;
  }
}
