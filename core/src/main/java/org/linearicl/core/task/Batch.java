package org.linearicl.core.task;

/**
 * A batch of regression sequences in flat arrays (docs/method.md, the task).
 *
 * <p>Sequence {@code s}, context example {@code i}, feature {@code k}:
 * <ul>
 *   <li>{@code x[(s * n + i) * d + k]}: context inputs x_i</li>
 *   <li>{@code y[s * n + i]}: context targets y_i = &lt;w, x_i&gt; + xi_i</li>
 *   <li>{@code xq[s * d + k]}: the query input x_t</li>
 *   <li>{@code yq[s]}: the noiseless query target &lt;w, x_t&gt;</li>
 *   <li>{@code sigma[s]}: the sequence's noise standard deviation</li>
 *   <li>{@code w[s * d + k]}: the sequence's true regression weights</li>
 * </ul>
 * The arrays are exposed, as EJML exposes {@code DMatrixRMaj.data}, so that hot loops read them
 * without copies; code that receives a batch reads it and never writes it, except the sampler
 * that fills it.
 */
public final class Batch {
  public final int size;
  public final int d;
  public final int n;
  public final double[] x;
  public final double[] y;
  public final double[] xq;
  public final double[] yq;
  public final double[] sigma;
  public final double[] w;

  /** An all-zero batch of {@code size} sequences, to be filled by a {@link TaskSampler}. */
  public Batch(int size, int d, int n) {
    if (size < 0 || d < 1 || n < 1) {
      throw new IllegalArgumentException(
          "batch needs size >= 0, d >= 1, n >= 1; got size=" + size + ", d=" + d + ", n=" + n);
    }
    this.size = size;
    this.d = d;
    this.n = n;
    this.x = new double[Math.multiplyExact(Math.multiplyExact(size, n), d)];
    this.y = new double[Math.multiplyExact(size, n)];
    this.xq = new double[Math.multiplyExact(size, d)];
    this.yq = new double[size];
    this.sigma = new double[size];
    this.w = new double[Math.multiplyExact(size, d)];
  }

  /** The sequences of {@code a} followed by those of {@code b}, as a new batch. */
  public static Batch concat(Batch a, Batch b) {
    if (a.d != b.d || a.n != b.n) {
      throw new IllegalArgumentException("cannot concatenate batches with d, n = " + a.d + ", "
          + a.n + " and " + b.d + ", " + b.n);
    }
    Batch c = new Batch(a.size + b.size, a.d, a.n);
    for (Batch part : new Batch[] {a, b}) {
      int at = part == a ? 0 : a.size;
      System.arraycopy(part.x, 0, c.x, at * a.n * a.d, part.x.length);
      System.arraycopy(part.y, 0, c.y, at * a.n, part.y.length);
      System.arraycopy(part.xq, 0, c.xq, at * a.d, part.xq.length);
      System.arraycopy(part.yq, 0, c.yq, at, part.yq.length);
      System.arraycopy(part.sigma, 0, c.sigma, at, part.sigma.length);
      System.arraycopy(part.w, 0, c.w, at * a.d, part.w.length);
    }
    return c;
  }

  /** A copy of sequences [from, to) as a new batch. */
  public Batch slice(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + size);
    }
    Batch b = new Batch(to - from, d, n);
    System.arraycopy(x, from * n * d, b.x, 0, b.x.length);
    System.arraycopy(y, from * n, b.y, 0, b.y.length);
    System.arraycopy(xq, from * d, b.xq, 0, b.xq.length);
    System.arraycopy(yq, from, b.yq, 0, b.yq.length);
    System.arraycopy(sigma, from, b.sigma, 0, b.sigma.length);
    System.arraycopy(w, from * d, b.w, 0, b.w.length);
    return b;
  }
}
