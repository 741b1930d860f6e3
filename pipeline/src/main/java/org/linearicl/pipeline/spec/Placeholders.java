package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.linearicl.pipeline.cache.Canonical;

/**
 * The placeholders of stage names, params and needs: {@code {var}} and {@code {var.field}} for
 * the variables of the stage's foreach, {@code {profile}} for the profile being expanded. A
 * string that is exactly one placeholder takes the value with its type; otherwise the values are
 * spliced in as their canonical text.
 */
final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");
  private static final Pattern PLACEHOLDER_NAME =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?");

  private Placeholders() {}

  /** Substitutes placeholders in every string of a value tree; null after a problem. */
  static JsonNode substituteTree(SpecContext cx, YNode node, Map<String, YNode> binding,
      String where) {
    switch (node.type()) {
      case SCALAR:
        return node.isText()
            ? substitute(cx, node.scalar().asText(), binding, node.location(), where)
            : node.scalar();
      case SEQUENCE: {
        ArrayNode a = SpecContext.NODES.arrayNode();
        for (YNode i : node.items()) {
          JsonNode v = substituteTree(cx, i, binding, where);
          if (v == null) {
            return null;
          }
          a.add(v);
        }
        return a;
      }
      default: {
        ObjectNode o = SpecContext.NODES.objectNode();
        for (Map.Entry<String, YNode> e : node.fields().entrySet()) {
          JsonNode v = substituteTree(cx, e.getValue(), binding, where);
          if (v == null) {
            return null;
          }
          o.set(e.getKey(), v);
        }
        return o;
      }
    }
  }

  /**
   * Substitutes the placeholders of {@code text}: a string that is exactly one placeholder
   * takes the value (and its type); otherwise values are spliced in as text. Null after a
   * problem (reported).
   */
  static JsonNode substitute(SpecContext cx, String text, Map<String, YNode> binding,
      JsonLocation loc, String where) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    JsonNode single = null;
    int count = 0;
    int last = 0;
    boolean ok = true;
    while (m.find()) {
      count++;
      JsonNode v = lookup(cx, m.group(1), binding, loc, where);
      if (v == null) {
        ok = false;
        continue;
      }
      single = v;
      sb.append(text, last, m.start()).append(Canonical.text(v));
      last = m.end();
    }
    if (!ok) {
      return null;
    }
    if (count == 1 && text.startsWith("{") && text.endsWith("}")
        && m.reset().find() && m.start() == 0 && m.end() == text.length()) {
      return single;
    }
    sb.append(text.substring(last));
    return SpecContext.NODES.textNode(sb.toString());
  }

  /** The value of one placeholder ({@code inner} is its text between the braces), or null. */
  private static JsonNode lookup(SpecContext cx, String inner, Map<String, YNode> binding,
      JsonLocation loc, String where) {
    Matcher n = PLACEHOLDER_NAME.matcher(inner);
    String known = "one of {profile}" + binding.entrySet().stream().map(e -> e.getValue()
        .isMapping() ? e.getValue().fields().keySet().stream()
            .map(f -> ", {" + e.getKey() + "." + f + "}").reduce("", String::concat)
            : ", {" + e.getKey() + "}").reduce("", String::concat)
        + " (the variables of this stage's foreach)";
    if (!n.matches()) {
      cx.problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
      return null;
    }
    String var = n.group(1);
    String field = n.group(2);
    if (var.equals("profile") && field == null) {
      return SpecContext.NODES.textNode(cx.profile);
    }
    YNode value = binding.get(var);
    if (value == null) {
      cx.problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
      return null;
    }
    if (field == null) {
      if (!value.isScalar()) {
        cx.problem(loc, "placeholder {" + inner + "} in " + where + " names a mapping",
            known);
        return null;
      }
      return value.scalar();
    }
    YNode f = value.isMapping() ? value.get(field) : null;
    if (f == null) {
      cx.problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
      return null;
    }
    return f.scalar();
  }
}
