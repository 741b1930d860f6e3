package org.linearicl.experiments.artifacts;

/** An artifact file (checkpoint, evaluation) is not what its format requires; says where. */
public final class ArtifactFormatException extends IllegalArgumentException {
  public ArtifactFormatException(String message) {
    super(message);
  }

  public ArtifactFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
