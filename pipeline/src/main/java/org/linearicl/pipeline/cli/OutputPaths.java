package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the directories a command reads from or writes into, made before any work starts:
 * a path that names a file, lies under one, or cannot be created would otherwise surface as an
 * I/O stack trace, possibly after hours of training.
 */
final class OutputPaths {
  private static final String CACHE = "the cache of stage artifacts";

  private OutputPaths() {}

  /**
   * Requires that {@code dir} (the value of {@code option}; {@code what} says what it holds) is a
   * directory or could be one: no file at it or at any of its parents. For commands that only
   * read; a directory that does not exist is fine (an empty cache).
   *
   * @throws UserError naming the option, the path and what was expected
   */
  static void directory(String option, Path dir, String what) {
    directory(option, dir, dir, what);
  }

  /** As {@link #directory(String, Path, String)} for {@code dir} under the option's value. */
  static void directory(String option, Path given, Path dir, String what) {
    Path existing = dir.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new UserError(option + " " + given + ": "
          + (existing.equals(given.toAbsolutePath().normalize()) ? "" : existing + " ")
          + "is a file, expected a directory (" + what + ")");
    }
  }

  /**
   * As {@link #directory}, then creates {@code dir} and requires that it is writable, so a
   * command that writes there at the end of a long computation fails at its start instead.
   *
   * @throws UserError naming the option, the path and what was expected
   */
  static void created(String option, Path dir, String what) {
    created(option, dir, dir, what);
  }

  /** As {@link #created(String, Path, String)} for {@code dir} under the option's value. */
  static void created(String option, Path given, Path dir, String what) {
    directory(option, given, dir, what);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError(option + " " + given + ": cannot create " + dir + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "), expected a directory this user can write (" + what + ")", e);
    }
    if (!Files.isWritable(dir)) {
      throw new UserError(option + " " + given + ": " + dir + " is not writable, expected a"
          + " directory this user can write (" + what + ")");
    }
  }

  /**
   * The option that chose the cache directory of {@code o}, for messages: {@code --cache-dir},
   * else the environment variable, else the default {@code .cache}.
   */
  static String cacheOption(PipelineOptions o) {
    if (o.cacheDir != null) {
      return "--cache-dir";
    }
    String env = System.getenv(org.linearicl.pipeline.cache.Store.ENV);
    return env != null && !env.isBlank() ? "$" + org.linearicl.pipeline.cache.Store.ENV
        : "the default cache";
  }

  /** Checks the cache directory of a command that only reads it (status, list, show). */
  static void readableCache(PipelineOptions o) {
    directory(cacheOption(o), o.cacheDir(), CACHE);
  }

  /** Checks and creates the cache directory of a command that writes it (run, clean). */
  static void writableCache(PipelineOptions o) {
    created(cacheOption(o), o.cacheDir(), CACHE);
  }
}
