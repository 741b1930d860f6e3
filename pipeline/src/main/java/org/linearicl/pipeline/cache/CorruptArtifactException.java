package org.linearicl.pipeline.cache;

import java.nio.file.Path;

/** A stored file does not match its digest (truncated, bit-flipped) or is missing. */
public final class CorruptArtifactException extends Exception {
  private final Path path;

  public CorruptArtifactException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** The offending file. */
  public Path path() {
    return path;
  }
}
