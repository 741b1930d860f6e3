package org.linearicl.experiments.stage;

/** A stage cannot run as declared (a missing or malformed input, inconsistent params). */
public class StageException extends RuntimeException {
  public StageException(String message) {
    super(message);
  }

  public StageException(String message, Throwable cause) {
    super(message, cause);
  }
}
