package org.linearicl.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Provenance;

/**
 * {@code <results-dir>/<profile>/timings.json}: where the profile's time goes, read from the
 * provenance of each stage's current cache record (the run that made the artifact, so a cached
 * stage counts with the time it took when it ran). Per stage kind: the stages, their summed wall
 * seconds and their summed seconds per phase, with {@value #OTHER} the wall time no phase
 * covers; per stage: its kind, wall seconds and phases. The runner publishes it beside the
 * stages' files, but its bytes change whenever a stage reruns, so the byte comparison of the
 * committed results and {@code status} leave it out, as they leave out the figures.
 */
final class Timings {
  /** The file name, reserved: no stage may publish a file of this name. */
  static final String FILE = "timings.json";

  /** The stage named for this file in {@link Published#FILE}: the runner, not a stage. */
  static final String STAGE = "(runner)";

  /** The wall time of a kind's stages that none of their phases covers. */
  static final String OTHER = "other";

  private Timings() {}

  /** The file for {@code profile} from the current record of each stage, in stage order. */
  static byte[] of(String profile, Map<String, ActionRecord> records) {
    Map<String, Kind> kinds = new TreeMap<>();
    ObjectNode stages = Json.TREES.createObjectNode();
    double total = 0;
    for (Map.Entry<String, ActionRecord> e : records.entrySet()) {
      ActionRecord r = e.getValue();
      JsonNode p = r.provenance();
      double wall = p.path(Provenance.WALL).asDouble(0.0);
      total += wall;
      Kind k = kinds.computeIfAbsent(r.ingredients().kind(), x -> new Kind());
      k.stages++;
      k.wall += wall;
      ObjectNode s = stages.putObject(e.getKey());
      s.put("kind", r.ingredients().kind());
      s.put(Provenance.WALL, Provenance.seconds(wall));
      JsonNode phases = p.path(Provenance.PHASES);
      if (phases.isObject() && phases.size() > 0) {
        ObjectNode ph = s.putObject(Provenance.PHASES);
        for (Iterator<Map.Entry<String, JsonNode>> it = phases.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          double sec = f.getValue().asDouble(0.0);
          ph.put(f.getKey(), Provenance.seconds(sec));
          k.phases.merge(f.getKey(), sec, Double::sum);
          k.covered += sec;
        }
      }
    }
    ObjectNode o = Json.TREES.createObjectNode();
    o.put("profile", profile);
    o.put("stages_timed", records.size());
    o.put(Provenance.WALL, Provenance.seconds(total));
    ObjectNode byKind = o.putObject("kinds");
    kinds.forEach((name, k) -> {
      ObjectNode n = byKind.putObject(name);
      n.put("stages", k.stages);
      n.put(Provenance.WALL, Provenance.seconds(k.wall));
      if (!k.phases.isEmpty()) {
        ObjectNode ph = n.putObject(Provenance.PHASES);
        k.phases.forEach((phase, sec) -> ph.put(phase, Provenance.seconds(sec)));
        ph.put(OTHER, Provenance.seconds(Math.max(0.0, k.wall - k.covered)));
        n.put("phase_share", share(k));
      }
    });
    o.set("stages", stages);
    return Json.bytes(o);
  }

  /** The phases' shares of the kind's wall time, in percent to a tenth. */
  private static ObjectNode share(Kind k) {
    ObjectNode n = Json.TREES.createObjectNode();
    Map<String, Double> all = new LinkedHashMap<>(k.phases);
    all.put(OTHER, Math.max(0.0, k.wall - k.covered));
    all.forEach((phase, sec) -> n.put(phase, k.wall > 0
        ? new BigDecimal(String.format(java.util.Locale.ROOT, "%.1f", 100 * sec / k.wall))
        : BigDecimal.ZERO));
    return n;
  }

  /** One kind's sums. */
  private static final class Kind {
    int stages;
    double wall;
    double covered;
    final Map<String, Double> phases = new TreeMap<>();
  }
}
