package org.linearicl.experiments.stage;

/**
 * A stage cannot run as declared (a missing or malformed input, inconsistent params): a user
 * mistake. The runner reports it as the stage's failure; a command that runs a kind itself names
 * its option instead of the parameter.
 */
public class StageException extends UserMistake {
  private final String param;

  public StageException(String message) {
    this(message, null, null);
  }

  public StageException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** A problem with the value of the parameter {@code param} (null: no single parameter). */
  public StageException(String message, String param, Throwable cause) {
    super(message, cause);
    this.param = param;
  }

  /** The parameter whose value is wrong, or null when the problem is not one parameter's. */
  public String param() {
    return param;
  }
}
