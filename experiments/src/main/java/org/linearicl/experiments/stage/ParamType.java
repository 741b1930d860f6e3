package org.linearicl.experiments.stage;

import com.fasterxml.jackson.databind.JsonNode;

/** The type of a stage parameter, as pipeline.yaml must spell it. */
public enum ParamType {
  INTEGER("an integer"),
  NUMBER("a number"),
  STRING("a string"),
  BOOLEAN("true or false"),
  INTEGER_LIST("a list of integers"),
  NUMBER_LIST("a list of numbers"),
  STRING_LIST("a list of strings");

  private final String expected;

  ParamType(String expected) {
    this.expected = expected;
  }

  /** What a value of this type looks like, for error messages ("a list of integers"). */
  public String expected() {
    return expected;
  }

  /** Whether {@code value} is of this type. */
  public boolean accepts(JsonNode value) {
    switch (this) {
      case INTEGER:
        return isInteger(value);
      case NUMBER:
        return value.isNumber();
      case STRING:
        return value.isTextual();
      case BOOLEAN:
        return value.isBoolean();
      case INTEGER_LIST:
        return allElements(value, ParamType::isInteger);
      case NUMBER_LIST:
        return allElements(value, JsonNode::isNumber);
      case STRING_LIST:
        return allElements(value, JsonNode::isTextual);
      default:
        throw new AssertionError(this);
    }
  }

  private static boolean isInteger(JsonNode v) {
    return v.isIntegralNumber() && v.canConvertToLong();
  }

  private static boolean allElements(JsonNode v, java.util.function.Predicate<JsonNode> p) {
    if (!v.isArray()) {
      return false;
    }
    for (JsonNode e : v) {
      if (!p.test(e)) {
        return false;
      }
    }
    return true;
  }
}
