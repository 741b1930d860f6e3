package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.task.Batch;

/**
 * The residuals of a model of one shape on a fixed batch, evaluated by the covariance-form
 * {@link GradientKernel}, with per-sequence weights (null: all 1).
 */
public final class BatchResiduals implements ResidualSample {
  private final ModelShape shape;
  private final Batch batch;
  private final double[] weights;

  public BatchResiduals(ModelShape shape, Batch batch, double[] weights) {
    this.shape = Objects.requireNonNull(shape, "shape");
    this.batch = Objects.requireNonNull(batch, "batch");
    if (weights != null && weights.length != batch.size) {
      throw new IllegalArgumentException("weights has " + weights.length + " entries, expected "
          + batch.size + " (one per sequence)");
    }
    this.weights = weights;
  }

  @Override
  public int size() {
    return batch.size;
  }

  @Override
  public int parameters() {
    return shape.size();
  }

  @Override
  public double weight(int s) {
    return weights == null ? 1.0 : weights[s];
  }

  @Override
  public Workspace workspace() {
    GradientKernel kernel = new GradientKernel(shape, batch.n);
    return new Workspace() {
      @Override
      public void residuals(double[] params, int from, int to, double[] resid) {
        kernel.residuals(params, batch, from, to, resid);
      }

      @Override
      public void jacobian(double[] params, int from, int to, double[] resid, double[] jac) {
        kernel.jacobian(params, batch, from, to, resid, jac);
      }
    };
  }
}
