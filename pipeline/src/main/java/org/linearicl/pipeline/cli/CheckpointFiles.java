package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.experiments.artifacts.ArtifactFormatException;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;

/**
 * Reads and writes the artifact files of the command line (checkpoints, tuned baselines,
 * evaluations), turning every problem into a one-line error that names the option.
 */
final class CheckpointFiles {
  private CheckpointFiles() {}

  /** A train stage's artifact read from files: its checkpoint, parsed, and the artifact. */
  record TrainFiles(Checkpoint checkpoint, Artifact artifact) {}

  static Checkpoint read(String option, Path file) {
    return checkpoint(option, file, text(option, file, "a checkpoint written by 'train --out'"));
  }

  private static Checkpoint checkpoint(String option, Path file, String text) {
    try {
      return CheckpointJson.read(text, file.toString());
    } catch (ArtifactFormatException e) {
      throw new UserError(option + " " + e.getMessage(), e);
    }
  }

  /**
   * The train artifact of a checkpoint file and the {@value OutcomeJson#FILE} beside it, as
   * 'train --out' and the pipeline's cache keep them.
   */
  static TrainFiles train(String option, Path file) {
    String text = text(option, file, "a checkpoint written by 'train --out'");
    Checkpoint checkpoint = checkpoint(option, file, text);
    Path outcomeFile = file.resolveSibling(OutcomeJson.FILE);
    if (!Files.isRegularFile(outcomeFile)) {
      throw new UserError(option + " " + file + ": no " + OutcomeJson.FILE + " beside it"
          + " ('train --out DIR' writes both into DIR)");
    }
    String outcome = text(option, outcomeFile, "the outcome of a training (JSON)");
    try {
      OutcomeJson.read(outcome, outcomeFile.toString());
    } catch (ArtifactFormatException e) {
      throw new UserError(option + " " + e.getMessage(), e);
    }
    return new TrainFiles(checkpoint, Artifact.builder()
        .text(ResultsJson.CHECKPOINT_FILE, text)
        .text(OutcomeJson.FILE, outcome).build());
  }

  /** The tune-baselines artifact in {@code dir}, as 'baselines --out DIR' writes it. */
  static Artifact baselines(String option, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError(option + " " + dir + ": " + (Files.exists(dir) ? "not a directory"
          : "no such directory") + ", expected one written by 'baselines --out'");
    }
    Path file = dir.resolve(ResultsJson.BASELINES_FILE);
    String text = text(option, file, "tuned baselines written by 'baselines --out'");
    try {
      ResultsJson.readBaselines(text, file.toString());
    } catch (ArtifactFormatException e) {
      throw new UserError(option + " " + e.getMessage(), e);
    }
    return Artifact.ofText(ResultsJson.BASELINES_FILE, text);
  }

  /** Writes the files of every artifact into {@code dir} (checked first with OutputPaths.created). */
  static void write(Path dir, Artifact... artifacts) throws IOException {
    for (Artifact a : artifacts) {
      for (String name : a.names()) {
        AtomicFiles.writeString(dir.resolve(name), a.text(name));
      }
    }
  }

  private static String text(String option, Path file, String expected) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError(option + " " + file + ": no such file, expected " + expected);
    } catch (CharacterCodingException e) {
      throw new UserError(option + " " + file + ": not UTF-8 text, expected " + expected);
    } catch (IOException e) {
      throw new UserError(option + " " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }
}
