package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Command-line options made from a stage kind's parameters: {@code --warm-steps} for
 * {@code warm_steps}, with the kind's help text and default. The kind's {@code params()} is the
 * one source of names, defaults and help, so a command that runs a kind outside the pipeline
 * offers exactly what pipeline.yaml offers, and gives the same result for the same values.
 */
final class KindOptions {
  private static final Pattern PARAM = Pattern.compile("stage '[^']*', param '([a-z0-9_]+)'");

  private KindOptions() {}

  /** The option for a parameter. */
  static String option(String param) {
    return "--" + param.replace('_', '-');
  }

  /**
   * Adds one option per parameter of {@code params}, except those named in {@code skip}.
   * {@code defaults} gives the command's own default (option text) for a parameter the kind
   * requires, where a value does not matter to the command (bench times any noise level alike).
   */
  static void add(CommandSpec spec, List<ParamSpec> params, Set<String> skip,
      Map<String, String> defaults) {
    for (ParamSpec p : params) {
      if (skip.contains(p.name())) {
        continue;
      }
      boolean required = p.isRequired() && !defaults.containsKey(p.name());
      String label = switch (p.type()) {
        case INTEGER -> "N";
        case NUMBER -> "X";
        default -> p.name().toUpperCase(java.util.Locale.ROOT);
      };
      String help = p.help() + (required ? " (required)."
          : defaults.containsKey(p.name()) ? " (default: " + defaults.get(p.name()) + ")."
          : p.help().contains("(default") ? "." // the kind states its own default
          : " (default: " + (p.defaultValue().isTextual() ? p.defaultValue().asText()
              : p.defaultValue().toString()) + ").");
      spec.addOption(OptionSpec.builder(option(p.name())).paramLabel(label).type(String.class)
          .required(required).description(help).build());
    }
  }

  /**
   * The parameters the user gave, typed as the kind declares them, resolved against the kind
   * (defaults filled in).
   *
   * @throws UserError naming the option and what was expected
   */
  static StageParams resolve(String name, ParseResult parsed, StageKind kind,
      Set<String> skip, Map<String, String> defaults) {
    List<ParamSpec> params = kind.params();
    ObjectNode given = JsonNodeFactory.instance.objectNode();
    for (ParamSpec p : params) {
      if (skip.contains(p.name())) {
        continue;
      }
      String text = parsed.hasMatchedOption(option(p.name()))
          ? parsed.matchedOption(option(p.name())).getValue() : defaults.get(p.name());
      if (text != null) {
        given.set(p.name(), typed(p, text));
      }
    }
    try {
      return StageParams.resolve(name, params, kind.completeParams(given));
    } catch (StageException e) {
      throw userError(e);
    }
  }

  private static JsonNode typed(ParamSpec p, String text) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    try {
      return switch (p.type()) {
        case INTEGER -> f.numberNode(Long.parseLong(text.trim()));
        case NUMBER -> f.numberNode(new BigDecimal(text.trim()));
        case BOOLEAN -> switch (text.trim()) {
          case "true" -> f.booleanNode(true);
          case "false" -> f.booleanNode(false);
          default -> throw new NumberFormatException();
        };
        case STRING -> f.textNode(text);
        default -> throw new IllegalStateException("no option type for " + p.type());
      };
    } catch (NumberFormatException e) {
      throw new UserError(option(p.name()) + ": expected " + p.type().expected() + ", got '"
          + text + "'");
    }
  }

  /** A kind's error about a parameter, with the parameter named as its option. */
  static UserError userError(StageException e) {
    Matcher m = PARAM.matcher(e.getMessage());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(option(m.group(1))));
    }
    m.appendTail(sb);
    String text = sb.toString().replaceFirst("^stage '[^']*': ", "");
    return new UserError(text, e);
  }
}
