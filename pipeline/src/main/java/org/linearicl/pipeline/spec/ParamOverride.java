package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter set on the command line, {@code --set 'train-*.steps=200'}: after the profile,
 * every stage the glob {@code stages} matches gets {@code param} = {@code value}, checked as the
 * file's params are ({@link PipelineSpec#expand(String, java.util.List)}).
 *
 * @param argument the argument as given, for messages
 * @param stages a stage name or glob
 * @param param the parameter's name
 * @param value the value, parsed as a YAML value is in pipeline.yaml (numbers keep their exact
 *     decimal text)
 */
public record ParamOverride(String argument, String stages, String param, JsonNode value) {
  /**
   * STAGE_OR_GLOB.PARAM=VALUE, split at the first {@code .param=}: stage names may hold dots and
   * '=', parameter names are lower case; the value may hold anything.
   */
  private static final Pattern FORM =
      Pattern.compile("(.+?)\\.([a-z][a-z0-9_]*)=(.*)", Pattern.DOTALL);

  public ParamOverride {
    Objects.requireNonNull(argument, "argument");
    Objects.requireNonNull(stages, "stages");
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses {@code STAGE_OR_GLOB.PARAM=VALUE}.
   *
   * @throws IllegalArgumentException naming the argument and what was expected
   */
  public static ParamOverride parse(String argument) {
    Matcher m = FORM.matcher(argument);
    if (!m.matches()) {
      throw new IllegalArgumentException("--set '" + argument + "': expected"
          + " STAGE_OR_GLOB.PARAM=VALUE, like 'train-*.steps=200'");
    }
    String text = m.group(3);
    if (text.isBlank()) {
      throw new IllegalArgumentException("--set '" + argument + "': expected a value after"
          + " '=' (a number, a string, true, false, null for the default, or a [list])");
    }
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      if (p.nextToken() == null) {
        throw new IOException("no value");
      }
      JsonNode value = YNode.read(p).toJson();
      if (p.nextToken() != null) {
        throw new IOException("more than one value");
      }
      return new ParamOverride(argument, m.group(1), m.group(2), value);
    } catch (IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("--set '" + argument + "': the value is not a YAML"
          + " value (" + why.replaceAll("\\s*\\R\\s*", " ").trim() + "); expected a number, a"
          + " string, true, false, null or a [list]", e);
    }
  }
}
