package org.linearicl.pipeline.cli;

import org.linearicl.experiments.stage.UserMistake;

/**
 * A mistake in what the user asked for (a bad argument, a missing or corrupt input file): the
 * command prints this message as one line and exits with code 2, never a stack trace.
 */
public final class UserError extends UserMistake {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
