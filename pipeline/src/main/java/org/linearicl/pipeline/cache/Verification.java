package org.linearicl.pipeline.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The check of every file of a store that the runner reads back (objects and manifests by their
 * digest, records and index entries by their checksum), with the same checks as the reads
 * themselves, and the repair of what it found.
 */
public final class Verification {
  private final Store store;
  /** Files that fail their own check: quarantined by {@link #repair}. */
  private final Set<Path> badFiles = new LinkedHashSet<>();
  /** Valid records whose artifact is bad or missing: deleted by {@link #repair}. */
  private final Set<String> badRecords = new LinkedHashSet<>();
  /** Stages whose index entry is corrupt or points to no valid record: rebuilt. */
  private final Set<String> badIndex = new LinkedHashSet<>();
  private final Map<String, ActionRecord> legacyRecords = new LinkedHashMap<>();
  private final Map<String, Store.IndexEntry> legacyIndex = new LinkedHashMap<>();

  private Verification(Store store) {
    this.store = store;
  }

  /** What {@link #repair} did. */
  public record Repair(int quarantined, int recordsDeleted, int indexRebuilt, int upgraded) {}

  /**
   * Checks every object, manifest, record and index entry of {@code store}, telling
   * {@code report} one line per problem as it is found; changes nothing.
   */
  public static Verification check(Store store, Consumer<String> report) throws IOException {
    Verification v = new Verification(store);
    v.run(report);
    return v;
  }

  /** The problems found: corrupt files, records using a bad artifact, bad index entries. */
  public int problems() {
    return badFiles.size() + badRecords.size() + badIndex.size();
  }

  /** The files written before checksums were added (read unchecked). */
  public int legacy() {
    return legacyRecords.size() + legacyIndex.size();
  }

  private void run(Consumer<String> report) throws IOException {
    Set<String> badObjects = new LinkedHashSet<>();
    for (String o : store.allObjects()) {
      Path p = store.object(o);
      if (!Store.holds(p, o, -1)) {
        report.accept("corrupt object " + p);
        badFiles.add(p);
        badObjects.add(o);
      }
    }
    Set<String> badArtifacts = new LinkedHashSet<>();
    for (String d : store.allArtifactDigests()) {
      Path m = store.manifest(d);
      if (!Store.holds(m, d, -1)) {
        report.accept("corrupt manifest " + m);
        badFiles.add(m);
        badArtifacts.add(d);
        continue;
      }
      for (Map.Entry<String, String> e : store.manifestObjects(d).entrySet()) {
        if (badObjects.contains(e.getValue()) || !Files.exists(store.object(e.getValue()))) {
          report.accept("artifact " + d + " has a " + (badObjects.contains(e.getValue())
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
        report.accept("corrupt record " + e.getMessage());
        badFiles.add(e.path());
        continue;
      }
      if (l.isEmpty()) {
        continue; // deleted since it was listed
      }
      ActionRecord rec = l.get().value();
      if (l.get().legacy()) {
        legacyRecords.put(k, rec);
      }
      if (badArtifacts.contains(rec.artifact()) || !store.hasArtifact(rec.artifact())) {
        report.accept("record " + store.record(k) + " of stage " + rec.stage()
            + " uses a bad artifact");
        badRecords.add(k);
      } else {
        good.put(k, rec);
      }
    }
    for (String stage : store.allIndexStages()) {
      Optional<Store.Loaded<Store.IndexEntry>> l;
      try {
        l = store.loadIndex(stage);
      } catch (CorruptArtifactException e) {
        report.accept("corrupt index entry " + e.getMessage());
        badFiles.add(e.path());
        badIndex.add(stage);
        continue;
      }
      if (l.isEmpty()) {
        continue;
      }
      Store.IndexEntry e = l.get().value();
      ActionRecord rec = good.get(e.key());
      if (rec == null || !rec.stage().equals(stage) || !rec.artifact().equals(e.artifact())) {
        report.accept("index entry " + store.indexFile(stage) + " points to "
            + (rec == null ? "no valid record" : "a record that disagrees with it"));
        badIndex.add(stage);
      } else if (l.get().legacy()) {
        legacyIndex.put(stage, e);
      }
    }
  }

  /**
   * Moves the corrupt files to quarantine/, deletes the records that use a bad artifact,
   * rebuilds the bad index entries from the records and gives the legacy files a checksum.
   */
  public Repair repair() throws IOException {
    for (Path p : badFiles) {
      store.quarantine(p, "verify --repair");
    }
    for (String k : badRecords) {
      Files.deleteIfExists(store.record(k));
    }
    int upgraded = 0;
    for (Map.Entry<String, ActionRecord> e : legacyRecords.entrySet()) {
      if (!badRecords.contains(e.getKey())) {
        store.writeRecord(e.getValue());
        upgraded++;
      }
    }
    for (String stage : badIndex) {
      store.rebuildIndex(stage);
    }
    for (Store.IndexEntry e : legacyIndex.values()) {
      store.writeIndex(e);
      upgraded++;
    }
    return new Repair(badFiles.size(), badRecords.size(), badIndex.size(), upgraded);
  }
}
