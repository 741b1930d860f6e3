package org.linearicl.pipeline.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An exclusive lock on a file of the cache: the runner's on {@code <cache>/lock}, a writer's
 * claim on one stage ({@link Store#claim}). A {@link FileChannel#lock} (a POSIX record lock,
 * which network file systems pass on to their lock manager) that the OS releases when the
 * process dies, so there are no stale locks. Other threads of the same JVM are excluded first by
 * a set of held paths: the OS lock belongs to the process, and closing any channel of the file
 * would drop it.
 */
public final class StoreLock implements AutoCloseable {
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock is held by another runner and the caller asked not to wait. */
  public static final class BusyException extends IOException {
    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
      super(message);
    }
  }

  /** The message printed while waiting (and in the --no-wait failure). */
  public static String busyMessage(Path lockFile) {
    return "waiting for the lock on " + lockFile + " held by another runner";
  }

  /**
   * Takes the lock on {@code lockFile}. When another runner holds it: with {@code wait}, tells
   * {@code notice} once and waits; without, throws {@link BusyException}.
   */
  public static StoreLock acquire(Path lockFile, boolean wait, Consumer<String> notice)
      throws IOException {
    return acquire(lockFile, wait, notice, busyMessage(lockFile));
  }

  /** As {@link #acquire(Path, boolean, Consumer)}, telling {@code busy} when it is held. */
  public static StoreLock acquire(Path lockFile, boolean wait, Consumer<String> notice,
      String busy) throws IOException {
    Path path = lockFile.toAbsolutePath().normalize();
    Files.createDirectories(path.getParent());
    boolean told = false;
    while (true) {
      StoreLock l = tryAcquire(path);
      if (l != null) {
        return l;
      }
      if (!wait) {
        throw new BusyException(busy);
      }
      if (!told) {
        notice.accept(busy);
        told = true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while " + busy, e);
      }
    }
  }

  /** The lock, or null when this JVM or another process holds it. */
  private static StoreLock tryAcquire(Path path) throws IOException {
    if (!HELD.add(path)) {
      return null;
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l != null) {
        return new StoreLock(path, ch, l);
      }
      ch.close(); // nobody in this JVM holds a lock on the file: closing drops none
      HELD.remove(path);
      return null;
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      HELD.remove(path);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(path);
      }
    }
  }
}
