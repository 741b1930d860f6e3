package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
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
 *
 * <p>A command that runs two kinds whose parameters share names ({@code samples} of
 * tune-baselines and of evaluate) gives each kind a prefix ({@code --tune-samples},
 * {@code --eval-samples}); the parameters both kinds declare alike (the task: noise, d, n) are
 * one option without prefix.
 */
final class KindOptions {
  private static final Pattern PARAM = Pattern.compile("stage '[^']*', param '([a-z0-9_]+)'");

  private final StageKind kind;
  private final String prefix;
  private final Set<String> unprefixed;
  private final Set<String> skip;
  private final Map<String, String> defaults;

  /**
   * The options of {@code kind}: {@code "--" + prefix + param}, except the parameters in
   * {@code unprefixed} ({@code "--" + param}) and those in {@code skip}, which the command sets
   * itself ({@link #resolve}'s {@code fixed}).
   */
  KindOptions(StageKind kind, String prefix, Set<String> unprefixed, Set<String> skip) {
    this(kind, prefix, unprefixed, skip, Map.of());
  }

  private KindOptions(StageKind kind, String prefix, Set<String> unprefixed, Set<String> skip,
      Map<String, String> defaults) {
    this.kind = kind;
    this.prefix = prefix;
    this.unprefixed = Set.copyOf(unprefixed);
    this.skip = Set.copyOf(skip);
    this.defaults = Map.copyOf(defaults);
  }

  /** The parameters {@code a} and {@code b} declare alike (name, type, default and help). */
  static Set<String> shared(StageKind a, StageKind b) {
    Set<String> out = new TreeSet<>();
    for (ParamSpec p : a.params()) {
      if (b.params().contains(p)) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** The option for a parameter. */
  static String option(String param) {
    return "--" + param.replace('_', '-');
  }

  /** This kind's option for {@code param}. */
  String optionOf(String param) {
    return option(unprefixed.contains(param) ? param : prefix + param);
  }

  /**
   * Adds one option per parameter of {@code params}, except those named in {@code skip}.
   * {@code defaults} gives the command's own default (option text) for a parameter the kind
   * requires, where a value does not matter to the command (bench times any noise level alike).
   */
  static void add(CommandSpec spec, List<ParamSpec> params, Set<String> skip,
      Map<String, String> defaults) {
    add(spec, params, KindOptions::option, skip, defaults);
  }

  /** Adds this kind's options to {@code spec}. */
  void addTo(CommandSpec spec) {
    add(spec, kind.params(), this::optionOf, skip, defaults);
  }

  private static void add(CommandSpec spec, List<ParamSpec> params,
      Function<String, String> option, Set<String> skip, Map<String, String> defaults) {
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
      spec.addOption(OptionSpec.builder(option.apply(p.name())).paramLabel(label)
          .type(String.class).required(required).description(help(p, required, defaults))
          .build());
    }
  }

  /** The help of a parameter's option: the kind's text and its default. */
  private static String help(ParamSpec p, boolean required, Map<String, String> defaults) {
    return p.help() + (required ? " (required)."
        : defaults.containsKey(p.name()) ? " (default: " + defaults.get(p.name()) + ")."
        : p.help().contains("(default") ? "." // the kind states its own default
        : " (default: " + defaultText(p) + ").");
  }

  /** A parameter's default as option text ({@code 100000}, {@code cosine}). */
  static String defaultText(ParamSpec p) {
    return p.defaultValue().isTextual() ? p.defaultValue().asText() : p.defaultValue().toString();
  }

  /**
   * The parameters the user gave, typed as the kind declares them, resolved against the kind
   * (defaults filled in).
   *
   * @throws UserError naming the option and what was expected
   */
  static StageParams resolve(String name, ParseResult parsed, StageKind kind,
      Set<String> skip, Map<String, String> defaults) {
    return new KindOptions(kind, "", Set.of(), skip, defaults).resolve(name, parsed,
        JsonNodeFactory.instance.objectNode());
  }

  /**
   * The parameters of another model of the train kind for stage {@code name}: the options the
   * user gave, with {@code variant} and {@code layers} replaced (the other variant's recipe
   * fills in what was not given).
   */
  static StageParams resolveAs(String name, ParseResult parsed, StageKind kind, String variant,
      int layers) {
    ObjectNode fixed = JsonNodeFactory.instance.objectNode();
    fixed.put("variant", variant);
    fixed.put("layers", layers);
    return new KindOptions(kind, "", Set.of(), Set.of("variant", "layers"), Map.of())
        .resolve(name, parsed, fixed);
  }

  /**
   * This kind's parameters for stage {@code name}: the options the user gave, typed as the kind
   * declares them, and {@code fixed} (the skipped parameters the command sets), resolved against
   * the kind (defaults filled in).
   *
   * @throws UserError naming the option and what was expected
   */
  StageParams resolve(String name, ParseResult parsed, ObjectNode fixed) {
    List<ParamSpec> params = kind.params();
    ObjectNode given = fixed.deepCopy();
    for (ParamSpec p : params) {
      if (skip.contains(p.name())) {
        continue;
      }
      String option = optionOf(p.name());
      String text = parsed.hasMatchedOption(option)
          ? parsed.matchedOption(option).getValue() : defaults.get(p.name());
      if (text != null) {
        given.set(p.name(), typed(p, option, text));
      }
    }
    try {
      return StageParams.resolve(name, params, kind.completeParams(given));
    } catch (StageException e) {
      throw userError(e);
    }
  }

  private static JsonNode typed(ParamSpec p, String option, String text) {
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
      throw new UserError(option + ": expected " + p.type().expected() + ", got '" + text + "'");
    }
  }

  /** A kind's error about a parameter, with the parameter named as its option. */
  static UserError userError(StageException e) {
    return userError(e, KindOptions::option);
  }

  /** This kind's error about a parameter, with the parameter named as this kind's option. */
  UserError error(StageException e) {
    return userError(e, this::optionOf);
  }

  private static UserError userError(StageException e, Function<String, String> option) {
    Matcher m = PARAM.matcher(e.getMessage());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(option.apply(m.group(1))));
    }
    m.appendTail(sb);
    String text = sb.toString().replaceFirst("^stage '[^']*': ", "");
    return new UserError(text, e);
  }
}
