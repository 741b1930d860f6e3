package org.linearicl.experiments.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserMistakeTest {
  /** The command line prints a mistake as one line, whatever line breaks its message has. */
  @Test
  void linesAreTheMessageOnOneLine() {
    StageException e = new StageException("stage 'a':\n  param 'steps'\r\nmust be >= 0  \n",
        "steps", null);
    assertEquals(List.of("stage 'a': param 'steps' must be >= 0"), e.lines());
    assertEquals("steps", e.param());
    assertEquals(List.of(""), new StageException(null).lines());
  }
}
