package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.ModelShape;

/**
 * What every fixed residual sample shares: the model shape, the number of sequences and their
 * weights (null: all 1); subclasses say how a residual and a Jacobian row are computed.
 */
abstract class WeightedSample implements ResidualSample {
  final ModelShape shape;
  private final int size;
  private final double[] weights;

  WeightedSample(ModelShape shape, int size, double[] weights) {
    this.shape = Objects.requireNonNull(shape, "shape");
    if (weights != null && weights.length != size) {
      throw new IllegalArgumentException("weights has " + weights.length + " entries, expected "
          + size + " (one per sequence)");
    }
    this.size = size;
    this.weights = weights;
  }

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final int parameters() {
    return shape.size();
  }

  @Override
  public final double weight(int s) {
    return weights == null ? 1.0 : weights[s];
  }
}
