package org.linearicl.experiments.stage;

import java.util.List;

/**
 * The root of user mistakes: what the user gave (an argument, a pipeline file, a stage's params,
 * an input file) is not what was expected. The command line prints {@link #lines()}, each as one
 * {@code error: } line, and exits with code 2, never with a stack trace. The named subclasses:
 * {@link StageException} (a stage's params or inputs), {@code SpecException} (the pipeline file,
 * every problem with its line and column) and {@code UserError} (a command-line option).
 *
 * <p>Not user mistakes, so not subclasses: a cache file that no longer matches its digest
 * ({@code CorruptArtifactException}, checked: the cache recovers by recomputing it), a lock held
 * by another runner ({@code StoreLock.BusyException}) and a failed request to a remote cache
 * ({@code RemoteException}), both {@link java.io.IOException}s of the environment (exit 1); a
 * command that can name the option at fault turns one into a user mistake of its own.
 * {@code ArtifactFormatException} stays an {@link IllegalArgumentException}: its readers wrap
 * the value objects' IllegalArgumentExceptions and pass their own through by that type, and the
 * command line reports every IllegalArgumentException as a user mistake as well.
 */
public abstract class UserMistake extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected UserMistake(String message) {
    super(message);
  }

  protected UserMistake(String message, Throwable cause) {
    super(message, cause);
  }

  /** What the command line prints, one {@code error: } line each: here the message as one line. */
  public List<String> lines() {
    return List.of(oneLine(getMessage()));
  }

  /** {@code text} with its line breaks (and the blanks around them) as single spaces. */
  public static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
