package org.linearicl.core.task;

import java.util.Objects;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.random.Streams;

/**
 * Draws regression sequences (docs/method.md, the task): w ~ N(0, I_d), x_i ~ N(0, I_d), y_i =
 * &lt;w, x_i&gt; + xi_i with xi_i ~ N(0, sigma^2) and sigma ~ p(sigma) drawn once per sequence; the
 * query x_t ~ N(0, I_d) with the noiseless target y_t = &lt;w, x_t&gt;.
 *
 * <p>Sequences come in fixed chunks of {@link #CHUNK} sequences; chunk {@code c} of draw
 * {@code index} uses the stream {@code Streams.of(seed, purpose, index, c)}. Any subset of chunks
 * can therefore be filled on any thread and the batch is the same, and the first sequences of a
 * large draw equal a smaller draw with the same identity.
 */
public final class TaskSampler {
  /** Sequences per independently seeded chunk. */
  public static final int CHUNK = 256;

  private final TaskSpec spec;

  public TaskSampler(TaskSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  public TaskSpec spec() {
    return spec;
  }

  /** Draws {@code size} sequences identified by {@code (seed, purpose, index)}. */
  public Batch sample(int size, long seed, Streams.Purpose purpose, long index) {
    Batch batch = new Batch(size, spec.d(), spec.n());
    fillChunks(batch, seed, purpose, index, 0, chunkCount(size));
    return batch;
  }

  /** The number of chunks in a batch of {@code size} sequences. */
  public static int chunkCount(int size) {
    return (size + CHUNK - 1) / CHUNK;
  }

  /**
   * Fills chunks [chunkFrom, chunkTo) of {@code batch} (whose d and n must match the spec) with
   * the draw identified by {@code (seed, purpose, index)}.
   */
  public void fillChunks(Batch batch, long seed, Streams.Purpose purpose, long index,
      int chunkFrom, int chunkTo) {
    if (batch.d != spec.d() || batch.n != spec.n()) {
      throw new IllegalArgumentException("batch has d=" + batch.d + ", n=" + batch.n
          + " but the task has d=" + spec.d() + ", n=" + spec.n());
    }
    for (int c = chunkFrom; c < chunkTo; c++) {
      Gaussian g = new Gaussian(Streams.of(seed, purpose, index, c));
      int end = Math.min(batch.size, (c + 1) * CHUNK);
      for (int s = c * CHUNK; s < end; s++) {
        drawSequence(batch, s, g);
      }
    }
  }

  /**
   * Fills chunks [chunkFrom, chunkTo) of {@code batch} with the draw identified by
   * {@code (seed, purpose, run, index)}: chunk c uses {@code Streams.of(seed, purpose, run,
   * index, c)}, for purposes with two levels of draws (a training run's steps).
   */
  public void fillChunks(Batch batch, long seed, Streams.Purpose purpose, long run, long index,
      int chunkFrom, int chunkTo) {
    if (batch.d != spec.d() || batch.n != spec.n()) {
      throw new IllegalArgumentException("batch has d=" + batch.d + ", n=" + batch.n
          + " but the task has d=" + spec.d() + ", n=" + spec.n());
    }
    for (int c = chunkFrom; c < chunkTo; c++) {
      Gaussian g = new Gaussian(Streams.of(seed, purpose, run, index, c));
      int end = Math.min(batch.size, (c + 1) * CHUNK);
      for (int s = c * CHUNK; s < end; s++) {
        drawSequence(batch, s, g);
      }
    }
  }

  /** Draws sequence {@code s} with sigma from the task's noise distribution. */
  private void drawSequence(Batch b, int s, Gaussian g) {
    drawSequence(b, s, g, spec.noise().sample(g));
  }

  /**
   * Draws sequence {@code s} with a given sigma (per-variance profiles evaluate at fixed sigma
   * with the same x, w and unit noise as the training distribution's draw would have).
   */
  static void drawSequence(Batch b, int s, Gaussian g, double sigma) {
    int d = b.d;
    int n = b.n;
    b.sigma[s] = sigma;
    int wOff = s * d;
    for (int k = 0; k < d; k++) {
      b.w[wOff + k] = g.next();
    }
    for (int i = 0; i < n; i++) {
      int xOff = (s * n + i) * d;
      double dot = 0.0;
      for (int k = 0; k < d; k++) {
        double v = g.next();
        b.x[xOff + k] = v;
        dot += v * b.w[wOff + k];
      }
      b.y[s * n + i] = dot + sigma * g.next();
    }
    double dot = 0.0;
    for (int k = 0; k < d; k++) {
      double v = g.next();
      b.xq[wOff + k] = v;
      dot += v * b.w[wOff + k];
    }
    b.yq[s] = dot;
  }

  /**
   * Draws {@code size} sequences like {@link #sample} but with every sigma replaced by
   * {@code sigma}: the same w, x and unit noise draws scaled to the new level, for per-variance
   * profiles whose points share their sequences (a paired comparison across sigma).
   */
  public Batch sampleAtSigma(int size, long seed, Streams.Purpose purpose, long index,
      double sigma) {
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
    }
    Batch batch = new Batch(size, spec.d(), spec.n());
    for (int c = 0; c < chunkCount(size); c++) {
      Gaussian g = new Gaussian(Streams.of(seed, purpose, index, c));
      int end = Math.min(size, (c + 1) * CHUNK);
      for (int s = c * CHUNK; s < end; s++) {
        spec.noise().sample(g); // consume the draw, so x and w match the mixture's sequences
        drawSequence(batch, s, g, sigma);
      }
    }
    return batch;
  }
}
