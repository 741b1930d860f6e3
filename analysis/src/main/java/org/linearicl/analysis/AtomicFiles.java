package org.linearicl.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The project's one way to write a file: a temporary file, fsync, an atomic rename, then fsync of
 * the directory. A reader sees the old complete file or the new complete one, never a partial
 * one, and after a crash the file is whole or absent. The tables and figures, the published
 * results and every file of the cache are written through it.
 */
public final class AtomicFiles {
  /** What a written file gets: createTempFile makes it owner-only, the target is not secret. */
  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code target} through a temporary file beside it; creates missing
   * parent directories. On failure {@code target} is left as it was.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Objects.requireNonNull(target, "target");
    Path abs = target.toAbsolutePath();
    write(abs.getParent(), abs, bytes);
  }

  /** Writes {@code text} as UTF-8 to {@code target} ({@link #write(Path, byte[])}). */
  public static void writeString(Path target, String text) throws IOException {
    Objects.requireNonNull(text, "text");
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code bytes} to {@code target} through a temporary file in {@code tmpDir} (same file
   * system); a reader sees the old content or all of the new one.
   */
  public static void write(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Path tmp = fsyncedTemp(tmpDir, target, bytes);
    try {
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(target.toAbsolutePath().getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code bytes} to {@code target} unless a file is there already, which is then left
   * as it is: the write-once publication of a content-addressed file, for which two writers
   * write the same bytes. The file is complete before it appears (a hard link of the fsynced
   * temporary file, which fails rather than replaces, atomically); returns whether this call
   * created it. The caller verifies a file it did not create.
   */
  public static boolean writeOnce(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Path tmp = fsyncedTemp(tmpDir, target, bytes);
    try {
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        // no hard links: a rename that refuses to replace (not atomic against a racing writer,
        // whose file then holds the same bytes anyway)
        try {
          Files.move(tmp, target);
        } catch (FileAlreadyExistsException e2) {
          return false;
        }
      }
      syncDirectory(target.toAbsolutePath().getParent());
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * {@code bytes} in a new temporary file in {@code tmpDir} (created, with the target's
   * directory), forced to disk and readable by all: what both writers then move or link into
   * place. The caller deletes it.
   */
  private static Path fsyncedTemp(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Files.createDirectories(tmpDir);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(tmpDir, target.getFileName().toString() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Files.setPosixFilePermissions(tmp, READABLE);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported on every platform; the rename itself is still atomic
    }
  }
}
