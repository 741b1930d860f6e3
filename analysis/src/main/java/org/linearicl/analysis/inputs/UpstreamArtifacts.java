package org.linearicl.analysis.inputs;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;

/**
 * Reads an analysis stage's input artifacts: the selections of its {@code select-*} needs (by
 * the paper's noise key, in the paper's column order) and the checkpoints of its {@code train-*}
 * needs (by stage name). Both maps are sorted, so outputs never depend on hash order.
 */
public final class UpstreamArtifacts {
  private UpstreamArtifacts() {}

  /** Every selection among the inputs, by noise key in paper order; at least one. */
  public static SortedMap<String, Selection> selections(StageInputs inputs, String stage) {
    SortedMap<String, Selection> out = new TreeMap<>(PaperLayout.NOISE_ORDER);
    Map<String, String> from = new TreeMap<>();
    for (Map.Entry<String, Artifact> e : inputs.all().entrySet()) {
      if (!e.getValue().has(ResultsJson.SELECTION_FILE)) {
        continue;
      }
      Selection s = ResultsJson.selection(e.getValue(), e.getKey());
      String key = s.evaluation().noiseKey();
      if (out.containsKey(key)) {
        throw new StageException("stage '" + stage + "': two selections for noise '" + key
            + "': " + from.get(key) + " and " + e.getKey());
      }
      out.put(key, s);
      from.put(key, e.getKey());
    }
    if (out.isEmpty()) {
      throw new StageException("stage '" + stage + "' needs at least one select-* stage (an "
          + "artifact with " + ResultsJson.SELECTION_FILE + "), its needs are "
          + inputs.all().keySet());
    }
    return out;
  }

  /** Every checkpoint among the inputs, by stage name. */
  public static SortedMap<String, TrainedModel> checkpoints(StageInputs inputs) {
    SortedMap<String, TrainedModel> out = new TreeMap<>();
    for (Map.Entry<String, Artifact> e : inputs.all().entrySet()) {
      if (e.getValue().has(ResultsJson.CHECKPOINT_FILE)) {
        out.put(e.getKey(), new TrainedModel(e.getKey(), CheckpointJson.read(
            e.getValue().text(ResultsJson.CHECKPOINT_FILE), e.getKey())));
      }
    }
    return out;
  }
}
