package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: checks every file of the cache that the runner reads back (objects and
 * manifests by their digest, records and index entries by their checksum).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Checks every file of the cache that is read back.",
        "Every object, manifest, record and index entry; reports the corrupt ones. With"
            + " --repair moves them to quarantine/, deletes the records that use them, rebuilds"
            + " the index from the records and adds checksums to files written before checksums"
            + " were added."})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Option(names = "--repair", description = "Quarantine corrupt files, delete records using"
      + " them, rebuild the index, add missing checksums.")
  boolean repair;

  @Option(names = "--no-wait", description = "Fail if another runner holds the lock.")
  boolean noWait;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Store store = new Store(common.cacheDir(), !repair);
    switch (store.presence()) {
      case NONE -> {
        out.println("no cache at " + store.root());
        out.flush();
        return 0;
      }
      case OTHER -> throw new UserError("--cache-dir " + store.root() + ": not a cache ("
          + (Files.isDirectory(store.root()) ? "a directory without objects/, artifacts/,"
              + " records/ or index/" : "not a directory") + ")");
      default -> { }
    }
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !noWait,
        m -> spec.commandLine().getErr().println(m))) {
      Findings f = check(store, out);
      if (repair) {
        repair(store, f, out);
        out.flush();
        return 0;
      }
      int problems = f.badFiles.size() + f.badRecords.size() + f.badIndex.size();
      if (!f.legacyRecords.isEmpty() || !f.legacyIndex.isEmpty()) {
        out.println("verify: " + (f.legacyRecords.size() + f.legacyIndex.size())
            + " file(s) written before checksums were added, read unchecked; 'verify --repair'"
            + " adds their checksums");
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

  /** What {@link #check} found. */
  private static final class Findings {
    /** Files that fail their own check: quarantined by --repair. */
    final Set<Path> badFiles = new LinkedHashSet<>();
    /** Valid records whose artifact is bad or missing: deleted by --repair. */
    final Set<String> badRecords = new LinkedHashSet<>();
    /** Stages whose index entry is corrupt or points to no valid record: rebuilt by --repair. */
    final Set<String> badIndex = new LinkedHashSet<>();
    final Map<String, ActionRecord> legacyRecords = new LinkedHashMap<>();
    final Map<String, Store.IndexEntry> legacyIndex = new LinkedHashMap<>();
  }

  /** Checks every file the runner reads back: objects, manifests, records, index entries. */
  private static Findings check(Store store, PrintWriter out) throws IOException {
    Findings f = new Findings();
    Set<String> badObjects = new LinkedHashSet<>();
    for (String o : store.allObjects()) {
      Path p = store.object(o);
      if (!Artifact.sha256Hex(Files.readAllBytes(p)).equals(o)) {
        out.println("corrupt object " + p);
        f.badFiles.add(p);
        badObjects.add(o);
      }
    }
    Set<String> badArtifacts = new LinkedHashSet<>();
    for (String d : store.allArtifactDigests()) {
      Path m = store.manifest(d);
      if (!Artifact.sha256Hex(Files.readAllBytes(m)).equals(d)) {
        out.println("corrupt manifest " + m);
        f.badFiles.add(m);
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
    Map<String, ActionRecord> good = new LinkedHashMap<>();
    for (String k : store.allRecordKeys()) {
      Optional<Store.Loaded<ActionRecord>> l;
      try {
        l = store.loadRecord(k);
      } catch (CorruptArtifactException e) {
        out.println("corrupt record " + e.getMessage());
        f.badFiles.add(e.path());
        continue;
      }
      if (l.isEmpty()) {
        continue; // deleted since it was listed
      }
      ActionRecord rec = l.get().value();
      if (l.get().legacy()) {
        f.legacyRecords.put(k, rec);
      }
      if (badArtifacts.contains(rec.artifact()) || !store.hasArtifact(rec.artifact())) {
        out.println("record " + store.record(k) + " of stage " + rec.stage()
            + " uses a bad artifact");
        f.badRecords.add(k);
      } else {
        good.put(k, rec);
      }
    }
    for (String stage : store.allIndexStages()) {
      Optional<Store.Loaded<Store.IndexEntry>> l;
      try {
        l = store.loadIndex(stage);
      } catch (CorruptArtifactException e) {
        out.println("corrupt index entry " + e.getMessage());
        f.badFiles.add(e.path());
        f.badIndex.add(stage);
        continue;
      }
      if (l.isEmpty()) {
        continue;
      }
      Store.IndexEntry e = l.get().value();
      ActionRecord rec = good.get(e.key());
      if (rec == null || !rec.stage().equals(stage) || !rec.artifact().equals(e.artifact())) {
        out.println("index entry " + store.indexFile(stage) + " points to "
            + (rec == null ? "no valid record" : "a record that disagrees with it"));
        f.badIndex.add(stage);
      } else if (l.get().legacy()) {
        f.legacyIndex.put(stage, e);
      }
    }
    return f;
  }

  private static void repair(Store store, Findings f, PrintWriter out) throws IOException {
    for (Path p : f.badFiles) {
      store.quarantine(p, "verify --repair");
    }
    for (String k : f.badRecords) {
      Files.deleteIfExists(store.record(k));
    }
    int upgraded = 0;
    for (Map.Entry<String, ActionRecord> e : f.legacyRecords.entrySet()) {
      if (!f.badRecords.contains(e.getKey())) {
        store.writeRecord(e.getValue());
        upgraded++;
      }
    }
    for (String stage : f.badIndex) {
      store.rebuildIndex(stage);
    }
    for (Store.IndexEntry e : f.legacyIndex.values()) {
      store.writeIndex(e);
      upgraded++;
    }
    out.println("verify: " + f.badFiles.size() + " corrupt file(s) quarantined, "
        + f.badRecords.size() + " record(s) deleted, " + f.badIndex.size()
        + " index entr" + (f.badIndex.size() == 1 ? "y" : "ies") + " rebuilt, " + upgraded
        + " legacy file(s) given a checksum");
  }
}
