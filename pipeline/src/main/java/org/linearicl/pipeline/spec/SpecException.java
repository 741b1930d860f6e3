package org.linearicl.pipeline.spec;

import java.util.List;
import org.linearicl.experiments.stage.UserMistake;

/** The pipeline file is invalid: every problem found, sorted by position. */
public final class SpecException extends UserMistake {
  private final List<Problem> problems;

  public SpecException(List<Problem> problems) {
    super(problems.size() + " problem(s) in the pipeline file:\n" + String.join("\n",
        problems.stream().map(Problem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  /** A single problem that is not tied to a place in the file (a missing file). */
  public static SpecException of(String file, String what, String expected) {
    return new SpecException(List.of(Problem.unplaced(file, what, expected)));
  }

  public List<Problem> problems() {
    return problems;
  }

  /** One line per problem, {@code pipeline.yaml:LINE:COL: ...}, in the order of the file. */
  @Override
  public List<String> lines() {
    return problems.stream().map(Problem::toString).toList();
  }
}
