package org.linearicl.pipeline.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The exclusive lock of one runner on a cache directory: a {@link FileChannel#lock} on
 * {@code <cache>/lock}, which the OS releases when the process dies (no stale locks). Another
 * runner in the same JVM is excluded too.
 */
public final class StoreLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
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
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    boolean told = false;
    try {
      while (true) {
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null;
        }
        if (l != null) {
          return new StoreLock(ch, l);
        }
        if (!wait) {
          throw new BusyException(busyMessage(lockFile));
        }
        if (!told) {
          notice.accept(busyMessage(lockFile));
          told = true;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while " + busyMessage(lockFile), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
