package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON for cache keys: object keys sorted, no whitespace, integers as plain digits,
 * decimals as {@code BigDecimal.stripTrailingZeros().toPlainString()} (never
 * {@code Double.toString}, whose output changed in JDK 19), {@code -0} as {@code 0}, and an
 * integral decimal ({@code 2.0}) as the integer ({@code 2}).
 */
public final class Canonical {
  private Canonical() {}

  /** The canonical JSON text of {@code node}. */
  public static String json(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(node, sb);
    return sb.toString();
  }

  /** A scalar as plain text (strings unquoted, numbers canonical), for names and messages. */
  public static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isNumber()) {
      return number(node);
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    return json(node);
  }

  /** A number in canonical form. */
  public static String number(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    if (n.isDouble() || n.isFloat()) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("number " + d + ": expected a finite number");
      }
    }
    BigDecimal d = n.decimalValue();
    if (d.signum() == 0) {
      return "0";
    }
    d = d.stripTrailingZeros();
    if (d.scale() <= 0) {
      return d.toBigIntegerExact().toString();
    }
    return d.toPlainString();
  }

  private static void write(JsonNode n, StringBuilder sb) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      sb.append("null");
    } else if (n.isTextual()) {
      string(n.asText(), sb);
    } else if (n.isBoolean()) {
      sb.append(n.asBoolean());
    } else if (n.isNumber()) {
      sb.append(number(n));
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(n.get(i), sb);
      }
      sb.append(']');
    } else if (n.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("cannot canonicalise " + n.getNodeType());
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

}
