package org.linearicl.experiments.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One declared parameter of a stage kind: its name, type, whether it must be given, the default
 * that fills it in otherwise (part of the cache key like any given value), and one line of help.
 */
public record ParamSpec(String name, ParamType type, JsonNode defaultValue, String help) {
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("param name '" + name
          + "': expected lower case letters, digits and '_'");
    }
    if (defaultValue != null && !type.accepts(defaultValue)) {
      throw new IllegalArgumentException("param '" + name + "': default " + defaultValue
          + " is not " + type.expected());
    }
  }

  /** A parameter pipeline.yaml must give. */
  public static ParamSpec required(String name, ParamType type, String help) {
    return new ParamSpec(name, type, null, help);
  }

  /** A parameter with a default (a JSON literal: {@code "1"}, {@code "\"cosine\""}, {@code "[1,2]"}). */
  public static ParamSpec optional(String name, ParamType type, String defaultJson, String help) {
    return new ParamSpec(name, type, StageParams.parseLiteral(defaultJson), help);
  }

  public boolean isRequired() {
    return defaultValue == null;
  }
}
