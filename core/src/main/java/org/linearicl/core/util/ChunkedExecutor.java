package org.linearicl.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks 0..count-1 on a fixed number of threads. Each task writes only its own
 * output slot, and callers combine the slots in task order afterwards, so the result never
 * depends on the thread count or on scheduling (docs/method.md, conventions).
 */
public final class ChunkedExecutor implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  /** An executor with {@code threads} worker threads (1 runs everything on the caller). */
  public ChunkedExecutor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "linear-icl-worker");
      t.setDaemon(true);
      return t;
    });
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task.accept(i)} for i in [0, count); worker w takes i = w, w + T, w + 2T, ...
   * and receives its worker index through {@code worker} so it can use per-worker scratch space.
   */
  public void run(int count, WorkerTask task) {
    if (pool == null || count <= 1) {
      for (int i = 0; i < count; i++) {
        task.run(0, i);
      }
      return;
    }
    int workers = Math.min(threads, count);
    List<Future<?>> futures = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      final int worker = w;
      futures.add(pool.submit(() -> {
        for (int i = worker; i < count; i += workers) {
          task.run(worker, i);
        }
      }));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for workers", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** {@link #run(int, WorkerTask)} for tasks that need no per-worker state. */
  public void run(int count, IntConsumer task) {
    run(count, (worker, i) -> task.accept(i));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One numbered task, told which worker (0..threads-1) runs it. */
  @FunctionalInterface
  public interface WorkerTask {
    void run(int worker, int index);
  }
}
