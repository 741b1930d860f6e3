package org.linearicl.pipeline.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CacheKey;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.Stage;

/**
 * Works out, without running anything, which stages are fresh (a valid record and artifact for
 * the current key) and why the others are stale, field by field.
 */
public final class Inspector {
  private Inspector() {}

  /**
   * The state of one stage. {@code key} is null when an upstream is stale (the input digest is
   * not known before it runs); {@code last} is the stage's previous record, if any.
   */
  public record State(Stage stage, boolean fresh, String key, String artifact, String reason,
      List<String> diff, ActionRecord last) {}

  /** The states of {@code stages} (in topological order); forced stages are stale. */
  public static Map<String, State> inspect(Collection<Stage> stages, Store store,
      Set<String> forced) throws IOException {
    Map<String, State> out = new LinkedHashMap<>();
    for (Stage s : stages) {
      SortedMap<String, String> inputs = new TreeMap<>();
      boolean known = true;
      for (String u : s.needs()) {
        State us = out.get(u);
        String d = us != null && us.fresh() ? us.artifact() : null;
        inputs.put(u, d);
        known &= d != null;
      }
      String key = null;
      ActionRecord last = lastRecord(store, s.name());
      if (known) {
        key = CacheKey.of(s.kind(), s.params(), inputs).hash();
        Store.Lookup l = store.lookup(key);
        if (l.hit()) {
          boolean force = forced.contains(s.name());
          out.put(s.name(), new State(s, !force, key, l.record().artifact(),
              force ? "forced" : "cached", List.of(), l.record()));
          continue;
        }
        if (l.corrupt() != null) {
          out.put(s.name(), new State(s, false, key, null, "artifact missing or corrupt: "
              + l.corrupt(), List.of(), l.record()));
          continue;
        }
      }
      List<String> diff = last == null ? List.of()
          : CacheKey.of(s.kind(), s.params(), inputs).changesSince(last.ingredients());
      out.put(s.name(), new State(s, false, key, null, reason(last, diff, inputs), diff, last));
    }
    return out;
  }

  /**
   * What is wrong with {@code <resultsDir>/<profile>/} against {@code states} (all stages of
   * {@code p}): each published file that is missing, modified since it was published, not the
   * current artifact of its stage, or published from another key than the stage's current one,
   * as {@code "<file>: <what>; run `run` to republish"}. Files the runner did not publish are
   * not looked at, nor is the runner's {@link Timings#FILE}.
   */
  public static List<String> published(Pipeline p, Map<String, State> states, Store store,
      Path resultsDir) throws IOException {
    Path dir = resultsDir.resolve(p.profile());
    List<String> out = new ArrayList<>();
    SortedMap<String, Published.Entry> m;
    try {
      m = Published.read(dir);
    } catch (CorruptArtifactException e) {
      out.add(e.getMessage() + "; run `run` to republish");
      m = new TreeMap<>();
    }
    Set<String> covered = new HashSet<>();
    for (State st : states.values()) {
      if (!st.stage().publish()) {
        continue;
      }
      String name = st.stage().name();
      Map<String, String> files = new TreeMap<>();
      if (st.fresh()) {
        files.putAll(store.manifestObjects(st.artifact()));
        stamped(p, st, states, store, files);
      } else {
        m.forEach((f, e) -> {
          if (e.stage().equals(name)) {
            files.put(f, e.digest());
          }
        });
      }
      for (Map.Entry<String, String> f : files.entrySet()) {
        covered.add(f.getKey());
        String what = publishedProblem(dir.resolve(f.getKey()), f.getValue(), m.get(f.getKey()),
            st);
        if (what != null) {
          out.add(dir.resolve(f.getKey()) + ": " + what + "; run `run` to republish");
        }
      }
    }
    m.forEach((f, e) -> {
      // the timing file changes whenever a stage reruns: not a result, never out of date
      if (!covered.contains(f) && !e.stage().equals(Timings.STAGE)) {
        out.add(dir.resolve(f) + ": published by stage " + e.stage() + ", which no longer"
            + " publishes it");
      }
    });
    return out;
  }

  /**
   * The published files of a profile against their list: {@code listed} files in
   * published.json, {@code differing} those missing or not of the listed bytes (as
   * {@code "<file>: <what>"}); {@code noList} says why there is no list to check against (null
   * when there is one).
   */
  public record PublishedCheck(int listed, List<String> differing, String noList) {}

  /**
   * Without a cache (nothing to compare keys with), what {@code status} can still check in
   * {@code <resultsDir>/<profile>/}: each file of its published.json is there with the bytes
   * listed.
   */
  public static PublishedCheck publishedAgainstList(Pipeline p, Path resultsDir)
      throws IOException {
    Path dir = resultsDir.resolve(p.profile());
    SortedMap<String, Published.Entry> m;
    try {
      m = Published.read(dir);
    } catch (CorruptArtifactException e) {
      return new PublishedCheck(0, List.of(), e.getMessage());
    }
    if (m.isEmpty()) {
      return new PublishedCheck(0, List.of(), "no published files listed: "
          + dir.resolve(Published.FILE) + " does not exist");
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Published.Entry> e : m.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (e.getValue().stage().equals(Timings.STAGE)) {
        continue; // the runner's wall times: listed without a digest, never compared
      }
      if (!Files.exists(file)) {
        out.add(file + ": missing");
      } else if (!Sha256.hex(Files.readAllBytes(file)).equals(e.getValue().digest())) {
        out.add(file + ": differs from " + Published.FILE + " (modified since stage "
            + e.getValue().stage() + " published it)");
      }
    }
    return new PublishedCheck(m.size(), out, null);
  }

  /**
   * For a {@link Provenanced} kind, replaces each file's expected digest by that of the bytes the
   * runner publishes: the artifact's, stamped with the provenance of the current records.
   */
  private static void stamped(Pipeline p, State st, Map<String, State> states, Store store,
      Map<String, String> files) throws IOException {
    if (!(st.stage().kind() instanceof Provenanced k)) {
      return;
    }
    Optional<List<Provenanced.StageRun>> runs = StageRuns.of(p, st.stage().name(),
        n -> states.containsKey(n) ? states.get(n).key() : null, store);
    if (runs.isEmpty()) {
      return;
    }
    Artifact a;
    try {
      a = store.get(st.artifact());
    } catch (CorruptArtifactException e) {
      return; // the file check reports the difference; verify names the corrupt object
    }
    for (String f : files.keySet()) {
      files.put(f, Sha256.hex(k.stamp(f, a.bytes(f), p.profile(), runs.get())));
    }
  }

  /**
   * What is wrong with one published file, or null: {@code expected} is its digest in the
   * stage's current artifact (fresh) or in the published list (stale), {@code e} its entry.
   */
  private static String publishedProblem(Path file, String expected, Published.Entry e,
      State st) throws IOException {
    if (!Files.exists(file)) {
      return "missing";
    }
    String actual = Sha256.hex(Files.readAllBytes(file));
    if (e != null && !actual.equals(e.digest())) {
      return "modified since it was published";
    }
    if (st.fresh()) {
      if (e != null && !e.key().equals(st.key())) {
        return "published from an older key";
      }
      return actual.equals(expected) ? null : "not the current artifact of stage "
          + st.stage().name();
    }
    // stale: fine only if it came from the current key (the cache lost that key's record)
    return st.key() != null && st.key().equals(e.key()) ? null : "published from an older key";
  }

  private static ActionRecord lastRecord(Store store, String stage) throws IOException {
    Optional<String> k = store.lastKey(stage);
    if (k.isEmpty()) {
      return null;
    }
    return store.findRecord(k.get()).orElse(null);
  }

  private static String reason(ActionRecord last, List<String> diff,
      SortedMap<String, String> inputs) {
    if (last == null) {
      return "never run";
    }
    List<String> parts = new ArrayList<>();
    Set<String> params = new TreeSet<>();
    Set<String> ins = new TreeSet<>();
    for (String d : diff) {
      if (d.startsWith("kind_version")) {
        parts.add("kind version changed");
      } else if (d.startsWith("param ")) {
        params.add(d.substring(6, d.indexOf(':')));
      } else if (d.startsWith("input ")) {
        ins.add(d.substring(6, d.indexOf(':')));
      } else if (d.startsWith("kind ")) {
        parts.add("kind changed");
      }
    }
    if (!params.isEmpty()) {
      parts.add("params changed " + params);
    }
    if (!ins.isEmpty()) {
      parts.add("input changed " + ins);
    }
    if (parts.isEmpty()) {
      return inputs.containsValue(null) ? "input changed" : "artifact missing or corrupt";
    }
    return String.join(", ", parts);
  }
}
