package org.linearicl.core.train;

import java.util.Objects;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.task.Batch;

/**
 * The residuals of a model of one shape on a fixed batch, evaluated by the covariance-form
 * {@link GradientKernel}, with per-sequence weights (null: all 1).
 */
public final class BatchResiduals extends WeightedSample {
  private final Batch batch;

  public BatchResiduals(ModelShape shape, Batch batch, double[] weights) {
    super(shape, Objects.requireNonNull(batch, "batch").size, weights);
    this.batch = batch;
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
