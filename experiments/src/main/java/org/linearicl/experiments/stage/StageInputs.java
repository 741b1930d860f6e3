package org.linearicl.experiments.stage;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The artifacts of the stages a stage needs, by upstream stage name (sorted). */
public final class StageInputs {
  private final String stage;
  private final SortedMap<String, Artifact> byStage;

  public StageInputs(String stage, SortedMap<String, Artifact> byStage) {
    this.stage = stage;
    this.byStage = Collections.unmodifiableSortedMap(new TreeMap<>(byStage));
  }

  public static StageInputs none(String stage) {
    return new StageInputs(stage, new TreeMap<>());
  }

  /** Every input, by upstream stage name. */
  public SortedMap<String, Artifact> all() {
    return byStage;
  }

  public boolean isEmpty() {
    return byStage.isEmpty();
  }

  /** The artifact of upstream stage {@code name}; a {@link StageException} if not needed. */
  public Artifact get(String name) {
    Artifact a = byStage.get(name);
    if (a == null) {
      throw new StageException("stage '" + stage + "' needs '" + name + "', but its needs are "
          + byStage.keySet());
    }
    return a;
  }

  /** The single input; a {@link StageException} unless there is exactly one. */
  public Artifact only() {
    if (byStage.size() != 1) {
      throw new StageException("stage '" + stage + "' needs exactly one upstream stage, has "
          + byStage.keySet());
    }
    return byStage.values().iterator().next();
  }
}
