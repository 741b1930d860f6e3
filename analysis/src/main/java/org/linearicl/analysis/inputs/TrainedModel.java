package org.linearicl.analysis.inputs;

import org.linearicl.core.model.Variant;
import org.linearicl.core.train.Checkpoint;

/**
 * A trained model among a stage's inputs: its checkpoint and the {@code train-*} stage that
 * made it.
 */
public record TrainedModel(String stage, Checkpoint checkpoint) {
  public Variant variant() {
    return checkpoint.config().variant();
  }

  public int layers() {
    return checkpoint.config().layers();
  }

  public String noiseKey() {
    return checkpoint.config().task().noise().paperKey();
  }
}
