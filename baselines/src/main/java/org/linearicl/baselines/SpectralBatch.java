package org.linearicl.baselines;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Each sequence's context in the eigenbasis of {@code Sigma = X^T X = V diag(ev) V^T}:
 * {@code ev} (eigenvalues), {@code beta = V^T alpha} with {@code alpha = X^T y},
 * {@code xt = V^T x_t}, {@code yy = sum_j y_j^2}; plus the true sigma and the query target.
 *
 * <p>Ridge regression {@code w = (Sigma + lambda I)^(-1) alpha} predicts
 * {@code <w, x_t> = sum_i beta_i xt_i / (ev_i + lambda)}; its residual sum of squares is
 * {@code yy - 2 w.alpha + w^T Sigma w}; and
 * {@code log det(Sigma + s^2 I) = sum_i log(ev_i + s^2)}. So every baseline costs O(d) per sequence
 * and per lambda once the decomposition is known.
 */
public final class SpectralBatch {
  public final int size;
  public final int d;
  public final int n;
  public final double[] ev;
  public final double[] beta;
  public final double[] xt;
  public final double[] yy;
  public final double[] sigma;
  public final double[] target;
  /** The OLS noise estimate RSS / (n - d) per sequence (NaN when n <= d). */
  public final double[] olsVar;

  private static final int CHUNK = 256;

  private SpectralBatch(int size, int d, int n) {
    this.size = size;
    this.d = d;
    this.n = n;
    this.ev = new double[size * d];
    this.beta = new double[size * d];
    this.xt = new double[size * d];
    this.yy = new double[size];
    this.sigma = new double[size];
    this.target = new double[size];
    this.olsVar = new double[size];
  }

  /** Decomposes every sequence of {@code batch}; per-sequence work, so any thread count agrees. */
  public static SpectralBatch of(Batch batch, ChunkedExecutor executor) {
    SpectralBatch sb = new SpectralBatch(batch.size, batch.d, batch.n);
    int chunks = (batch.size + CHUNK - 1) / CHUNK;
    executor.run(chunks, c -> sb.fill(batch, c * CHUNK, Math.min(batch.size, (c + 1) * CHUNK)));
    return sb;
  }

  private void fill(Batch batch, int from, int to) {
    ContextStats stats = new ContextStats(d, n);
    SymmetricQRAlgorithmDecomposition_DDRM eig =
        new SymmetricQRAlgorithmDecomposition_DDRM(true);
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    for (int s = from; s < to; s++) {
      stats.of(batch, s);
      System.arraycopy(stats.sigma, 0, m.data, 0, d * d);
      if (!eig.decompose(m)) {
        throw new ArithmeticException("eigendecomposition of X^T X failed for sequence " + s);
      }
      for (int i = 0; i < d; i++) {
        DMatrixRMaj v = eig.getEigenVector(i);
        double b = 0.0;
        double q = 0.0;
        for (int k = 0; k < d; k++) {
          b += v.data[k] * stats.alpha[k];
          q += v.data[k] * batch.xq[s * d + k];
        }
        // X^T X is positive semi-definite: a tiny negative eigenvalue is rounding
        ev[s * d + i] = Math.max(0.0, eig.getEigenvalue(i).real);
        beta[s * d + i] = b;
        xt[s * d + i] = q;
      }
      yy[s] = stats.lambda;
      sigma[s] = batch.sigma[s];
      target[s] = batch.yq[s];
      olsVar[s] = n > d ? computeOlsVariance(s) : Double.NaN;
    }
  }

  /** Ridge prediction for sequence s: {@code sum_i beta_i xt_i / (ev_i + lambda)}. */
  public double ridge(int s, double lambda) {
    double p = 0.0;
    int o = s * d;
    for (int i = 0; i < d; i++) {
      p += beta[o + i] * xt[o + i] / (ev[o + i] + lambda);
    }
    return p;
  }

  /**
   * The OLS noise estimate {@code sigma_est^2 = RSS / (n - d)} with
   * {@code RSS = yy - sum_i beta_i^2 / ev_i} (least squares needs n > d); clamped at 0 against
   * rounding on noiseless data.
   *
   * @throws IllegalStateException if n <= d
   */
  public double olsNoiseVariance(int s) {
    if (n <= d) {
      throw new IllegalStateException("the OLS noise estimate needs n > d, got n=" + n + ", d="
          + d);
    }
    return olsVar[s];
  }

  private double computeOlsVariance(int s) {
    double fit = 0.0;
    int o = s * d;
    for (int i = 0; i < d; i++) {
      fit += beta[o + i] * beta[o + i] / ev[o + i];
    }
    return Math.max(0.0, yy[s] - fit) / (n - d);
  }
}
