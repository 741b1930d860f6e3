package org.linearicl.pipeline.run;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.cli.Main;
import org.linearicl.pipeline.cli.PipelineOptions;

/**
 * Commands through {@link Main#execute} on a pipeline file of the test's own in a fresh
 * directory, with the {@link TestKinds} installed for the test only.
 */
public abstract class CliFixture {
  /** What a command printed and returned. */
  public record Result(int code, String out, String err) {}

  @TempDir protected Path dir;
  protected Path file;
  protected Path cache;
  private Supplier<StageKinds> saved;

  /** The text of the test's pipeline.yaml. */
  protected abstract String pipeline();

  @BeforeEach
  void installKindsAndWriteTheFile() throws Exception {
    saved = PipelineOptions.kinds;
    PipelineOptions.kinds = () -> new TestKinds().kinds();
    file = dir.resolve("pipeline.yaml");
    cache = dir.resolve("cache");
    Files.writeString(file, pipeline());
  }

  @AfterEach
  void restoreKinds() {
    PipelineOptions.kinds = saved;
  }

  /** Runs the command line {@code args} exactly as given. */
  protected static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
