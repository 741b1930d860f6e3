package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.linearicl.pipeline.cache.Durable;

/** Writes files so that a reader sees either the old content or the whole new one, never half. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code text} (UTF-8) to {@code target}, creating its directory ({@link Durable}). */
  static void writeString(Path target, String text) throws IOException {
    Durable.write(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
