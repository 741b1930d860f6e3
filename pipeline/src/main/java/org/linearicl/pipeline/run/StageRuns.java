package org.linearicl.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Canonical;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.Stage;

/**
 * The provenance a {@link Provenanced} kind stamps on its published files: the cache records of
 * the stage and of every stage upstream of it, under their current keys. Read from the records,
 * not from the run, so a rerun that finds everything cached publishes the same bytes, and
 * {@code status} recomputes them to compare.
 */
final class StageRuns {
  private StageRuns() {}

  /**
   * The runs behind {@code stage} in topological order, each from the record of the key
   * {@code keyOf} gives; empty when a key is unknown or its record is missing.
   */
  static Optional<List<Provenanced.StageRun>> of(Pipeline p, String stage,
      Function<String, String> keyOf, Store store) throws IOException {
    List<Provenanced.StageRun> out = new ArrayList<>();
    for (Stage s : p.select(List.of(stage))) {
      String key = keyOf.apply(s.name());
      Optional<ActionRecord> r = key == null ? Optional.empty() : store.findRecord(key);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      JsonNode pv = r.get().provenance();
      out.add(new Provenanced.StageRun(s.name(), pv.path("kind").asText(), key,
          r.get().artifact(), Canonical.json(r.get().ingredients().params()),
          pv.path("jdk").asText(), pv.path("os").asText(), pv.path("git_commit").asText(),
          pv.path("threads").asInt(), pv.path("wall_seconds").asDouble(),
          pv.path("finished_at").asText()));
    }
    return Optional.of(out);
  }
}
