package org.linearicl.core.train;

import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.SpectralGdpp;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.Batch;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * The residuals of a GD++ model on a fixed batch in the exact spectral form
 * ({@link SpectralGdpp}): one eigendecomposition per sequence when the sample is made, then
 * O(L d) per sequence for every residual and Jacobian row, some twenty times cheaper than the
 * covariance form. Weights as in {@link BatchResiduals}.
 */
public final class SpectralResiduals extends WeightedSample {
  private static final int FILL_CHUNK = 1024;

  private final int n;
  private final SpectralGdpp.Spectra spectra;

  /** Decomposes every sequence of {@code batch} on {@code executor}'s threads. */
  public SpectralResiduals(ModelShape shape, Batch batch, double[] weights,
      ChunkedExecutor executor) {
    super(shape, batch.size, weights);
    if (shape.variant() != Variant.GDPP) {
      throw new IllegalArgumentException("the spectral form is exact for GD++ only, got "
          + shape.variant().paperName());
    }
    this.n = batch.n;
    this.spectra = new SpectralGdpp.Spectra(batch.size, batch.d, batch.n);
    int chunks = (batch.size + FILL_CHUNK - 1) / FILL_CHUNK;
    executor.run(chunks, c -> spectra.fill(batch, c * FILL_CHUNK,
        Math.min(batch.size, (c + 1) * FILL_CHUNK)));
  }

  @Override
  public Workspace workspace() {
    SpectralGdpp kernel = new SpectralGdpp(shape, n);
    return new Workspace() {
      @Override
      public void residuals(double[] params, int from, int to, double[] resid) {
        kernel.residuals(params, spectra, from, to, resid);
      }

      @Override
      public void jacobian(double[] params, int from, int to, double[] resid, double[] jac) {
        kernel.jacobian(params, spectra, from, to, resid, jac);
      }
    };
  }
}
