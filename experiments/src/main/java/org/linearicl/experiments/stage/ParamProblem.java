package org.linearicl.experiments.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One mistake in the parameters given to a stage kind, as {@link StageParams#problems} finds it;
 * callers word it for where the parameters came from (a pipeline file, a command line).
 *
 * @param param the parameter's name; null when the parameters are not a mapping at all
 * @param issue what is wrong
 * @param given the value given (null when it is missing)
 * @param expected what would be valid: "an integer", "one of [lr, steps]"
 */
public record ParamProblem(String param, Issue issue, JsonNode given, String expected) {
  /** What is wrong with a parameter. */
  public enum Issue {
    /** The parameters are not a mapping of names to values. */
    NOT_A_MAPPING,
    /** The kind declares no parameter of this name. */
    UNKNOWN,
    /** A required parameter has no value. */
    MISSING,
    /** The value is not of the parameter's type. */
    WRONG_TYPE
  }

  public ParamProblem {
    Objects.requireNonNull(issue, "issue");
    Objects.requireNonNull(expected, "expected");
    if ((param == null) != (issue == Issue.NOT_A_MAPPING)) {
      throw new IllegalArgumentException("a " + issue + " problem " + (param == null
          ? "needs" : "has no") + " parameter name");
    }
  }

  /** What is wrong, to follow "param 'x' ": "is unknown", "is missing", "is \"fast\"". */
  public String what() {
    return switch (issue) {
      case UNKNOWN -> "is unknown";
      case MISSING -> "is missing";
      case NOT_A_MAPPING, WRONG_TYPE -> "is " + given;
    };
  }

  /** The problem as one phrase, as a {@link StageException} words it: "'lr': expected ...". */
  public String message() {
    String name = param == null ? "params" : "'" + param + "'";
    return switch (issue) {
      case NOT_A_MAPPING -> name + ": expected " + expected;
      case UNKNOWN -> name + ": unknown parameter, expected " + expected;
      case MISSING -> name + ": missing, expected " + expected;
      case WRONG_TYPE -> name + ": expected " + expected + ", got " + given;
    };
  }
}
