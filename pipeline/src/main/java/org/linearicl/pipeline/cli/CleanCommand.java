package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.run.Runner;
import org.linearicl.pipeline.spec.PipelineSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clean}: deletes cache entries no current stage of the kept profiles uses. */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {"Removes the cache entries that no kept profile uses.",
        "Removes the records, manifests and objects not reachable from the current stages of"
            + " the kept profiles (default: every profile in the file)."})
public final class CleanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Option(names = "--keep-profile", paramLabel = "PROFILE", description = "A profile to keep"
      + " (repeatable).")
  List<String> keep = new ArrayList<>();

  @Option(names = "--no-wait", description = "Fail if another runner holds the lock.")
  boolean noWait;

  @Option(names = {"--dry-run", "-n"}, description = "List what would be removed; remove"
      + " nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws IOException {
    if (dryRun) {
      OutputPaths.readableCache(common); // a dry run creates nothing, not even the lock file
      return clean(new Store(common.cacheDir(), true));
    }
    OutputPaths.writableCache(common);
    Store store = new Store(common.cacheDir());
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !noWait,
        m -> spec.commandLine().getErr().println(m))) {
      return clean(store);
    } catch (StoreLock.BusyException e) {
      return RunCommand.busy(spec, store.lockFile());
    }
  }

  /** Removes (or with --dry-run lists) what no current stage of the kept profiles uses. */
  private int clean(Store store) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PipelineSpec ps = PipelineSpec.load(common.file, Runner.label(common.file),
        PipelineOptions.kinds.get());
    List<String> profiles = keep.isEmpty() ? ps.profiles() : keep;
    Set<String> keys = new HashSet<>();
    Set<String> digests = new HashSet<>();
    for (String profile : profiles) {
      var p = ps.expand(profile);
      for (Inspector.State s : Inspector.inspect(p.topological(), store, Set.of()).values()) {
        if (s.fresh()) {
          keys.add(s.key());
          digests.add(s.artifact());
        }
      }
    }
    String verb = dryRun ? "would remove " : "removed ";
    int records = 0;
    for (String k : store.allRecordKeys()) {
      if (!keys.contains(k)) {
        var r = store.findRecord(k);
        if (dryRun) {
          out.println(verb + "record " + k + r.map(rec -> " (stage " + rec.stage() + ")")
              .orElse(""));
        } else {
          Files.deleteIfExists(store.record(k));
          if (r.isPresent()) {
            ActionRecord rec = r.get();
            if (store.lastKey(rec.stage()).map(k::equals).orElse(false)) {
              Files.deleteIfExists(store.indexFile(rec.stage()));
            }
          }
        }
        records++;
      }
    }
    Set<String> objects = new HashSet<>();
    int manifests = 0;
    for (String d : store.allArtifactDigests()) {
      if (digests.contains(d)) {
        objects.addAll(store.manifestObjects(d).values());
      } else {
        if (dryRun) {
          out.println(verb + "artifact manifest " + d);
        } else {
          Files.deleteIfExists(store.manifest(d));
        }
        manifests++;
      }
    }
    int objs = 0;
    for (String o : store.allObjects()) {
      if (!objects.contains(o)) {
        if (dryRun) {
          out.println(verb + "object " + o);
        } else {
          Files.deleteIfExists(store.object(o));
        }
        objs++;
      }
    }
    out.println("clean" + (dryRun ? " --dry-run" : "") + " (kept profiles " + profiles + "): "
        + verb + records + " record(s), " + manifests + " artifact manifest(s), " + objs
        + " object(s)");
    out.flush();
    return 0;
  }
}
