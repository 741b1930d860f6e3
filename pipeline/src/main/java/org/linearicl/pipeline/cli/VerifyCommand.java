package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: re-hashes every object and manifest of the cache. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Re-hashes every object and manifest in the cache and reports corrupt ones;",
        "with --repair moves them to quarantine/ and deletes the records that use them."})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Option(names = "--repair", description = "Quarantine corrupt files, delete records using"
      + " them.")
  boolean repair;

  @Option(names = "--no-wait", description = "Fail if another runner holds the lock.")
  boolean noWait;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Store store = new Store(common.cacheDir(), !repair);
    if (!Files.isDirectory(store.root())) {
      out.println("no cache at " + store.root());
      return 0;
    }
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !noWait,
        m -> spec.commandLine().getErr().println(m))) {
      Set<Path> badFiles = new LinkedHashSet<>();
      Set<String> badObjects = new LinkedHashSet<>();
      for (String o : store.allObjects()) {
        Path p = store.object(o);
        if (!Artifact.sha256Hex(Files.readAllBytes(p)).equals(o)) {
          out.println("corrupt object " + p);
          badFiles.add(p);
          badObjects.add(o);
        }
      }
      Set<String> badArtifacts = new LinkedHashSet<>();
      for (String d : store.allArtifactDigests()) {
        Path m = store.manifest(d);
        if (!Artifact.sha256Hex(Files.readAllBytes(m)).equals(d)) {
          out.println("corrupt manifest " + m);
          badFiles.add(m);
          badArtifacts.add(d);
          continue;
        }
        for (Map.Entry<String, String> e : store.manifestObjects(d).entrySet()) {
          if (badObjects.contains(e.getValue()) || !Files.exists(store.object(e.getValue()))) {
            out.println("artifact " + d + " has a " + (badObjects.contains(e.getValue())
                ? "corrupt" : "missing") + " file '" + e.getKey() + "'");
            badArtifacts.add(d);
          }
        }
      }
      Set<String> badRecords = new LinkedHashSet<>();
      int malformed = 0;
      for (String k : store.allRecordKeys()) {
        var r = store.findRecord(k); // quarantines malformed records when repairing
        if (r.isEmpty()) {
          out.println("malformed record " + store.record(k) + (repair ? " (quarantined)" : ""));
          malformed++;
          continue;
        }
        ActionRecord rec = r.get();
        if (badArtifacts.contains(rec.artifact()) || !store.hasArtifact(rec.artifact())) {
          out.println("record " + store.record(k) + " of stage " + rec.stage()
              + " uses a bad artifact");
          badRecords.add(k);
        }
      }
      int problems = badFiles.size() + badRecords.size() + malformed;
      if (repair) {
        for (Path p : badFiles) {
          store.quarantine(p, "verify --repair");
        }
        for (String k : badRecords) {
          Files.deleteIfExists(store.record(k));
        }
        out.println("verify: " + badFiles.size() + " corrupt file(s) quarantined, "
            + badRecords.size() + " record(s) deleted");
        out.flush();
        return 0;
      }
      out.println("verify: " + (problems == 0 ? "ok" : problems + " problem(s); run 'verify"
          + " --repair' to quarantine them"));
      out.flush();
      return problems == 0 ? 0 : 1;
    } catch (StoreLock.BusyException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
