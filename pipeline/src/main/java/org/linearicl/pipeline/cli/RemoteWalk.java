package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.pipeline.cache.CacheKey;
import org.linearicl.pipeline.spec.Stage;

/**
 * The walk of push, pull and status over a remote: the stages in topological order, each with
 * its cache key, which is known once every stage it needs has an artifact (here or on the
 * remote); what to do with a stage of known key is the caller's.
 */
final class RemoteWalk {
  private RemoteWalk() {}

  /** What the caller found for one stage: the artifact digest, or empty when it has none. */
  interface Visit {
    Optional<String> artifact(Stage s, String key) throws IOException;
  }

  /** The outcome: the stages with an artifact, and those without or whose key is unknown. */
  record Outcome(List<String> found, List<String> missing, List<String> unknown) {}

  static Outcome walk(List<Stage> topological, Visit visit) throws IOException {
    Map<String, String> digests = new HashMap<>();
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Stage s : topological) {
      SortedMap<String, String> in = new TreeMap<>();
      boolean known = true;
      for (String u : s.needs()) {
        String d = digests.get(u);
        known &= d != null;
        in.put(u, d);
      }
      if (!known) {
        unknown.add(s.name());
        continue;
      }
      Optional<String> a = visit.artifact(s, CacheKey.of(s.kind(), s.params(), in).hash());
      if (a.isPresent()) {
        digests.put(s.name(), a.get());
        found.add(s.name());
      } else {
        missing.add(s.name());
      }
    }
    return new Outcome(found, missing, unknown);
  }

  /** ", N more whose upstream is missing" or nothing. */
  static String unknown(Outcome o) {
    return o.unknown().isEmpty() ? "" : ", " + o.unknown().size() + " more need one of those";
  }
}
