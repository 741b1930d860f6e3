package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.artifacts.ArtifactFormatException;
import org.linearicl.experiments.artifacts.CheckpointJson;

/** Reads checkpoint files for the command line, turning every problem into a one-line error. */
final class CheckpointFiles {
  private CheckpointFiles() {}

  static Checkpoint read(String option, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError(option + " " + file + ": no such file, expected a checkpoint written by"
          + " 'train --out'");
    } catch (CharacterCodingException e) {
      throw new UserError(option + " " + file + ": not UTF-8 text, expected a checkpoint (JSON)");
    } catch (IOException e) {
      throw new UserError(option + " " + file + ": cannot be read (" + e.getMessage() + ")");
    }
    try {
      return CheckpointJson.read(text, file.toString());
    } catch (ArtifactFormatException e) {
      throw new UserError(option + " " + e.getMessage(), e);
    }
  }
}
