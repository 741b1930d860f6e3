package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown of REPORT.md and the tables as HTML: the subset those files use (ATX headings,
 * paragraphs, "- " lists, pipe tables with alignment, {@code **bold**}, {@code `code`} and
 * links). Not a general Markdown parser; the files it reads are ours.
 */
final class MiniMarkdown {
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]*)\\)");
  private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private MiniMarkdown() {}

  /** {@code text} as HTML; {@code links} rewrites each link target (already HTML-escaped). */
  static String toHtml(String text, UnaryOperator<String> links) {
    StringBuilder out = new StringBuilder();
    List<String> lines = List.of(text.split("\n", -1));
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank()) {
        i++;
      } else if (line.startsWith("#")) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
          level++;
        }
        out.append("<h").append(level).append('>').append(inline(line.substring(level).trim(),
            links)).append("</h").append(level).append(">\n");
        i++;
      } else if (line.startsWith("|")) {
        List<String> rows = new ArrayList<>();
        while (i < lines.size() && lines.get(i).startsWith("|")) {
          rows.add(lines.get(i++));
        }
        table(out, rows, links);
      } else if (line.startsWith("- ")) {
        out.append("<ul>\n");
        while (i < lines.size() && lines.get(i).startsWith("- ")) {
          StringBuilder item = new StringBuilder(lines.get(i++).substring(2));
          while (i < lines.size() && lines.get(i).startsWith("  ") && !lines.get(i).isBlank()) {
            item.append(' ').append(lines.get(i++).trim());
          }
          out.append("<li>").append(inline(item.toString(), links)).append("</li>\n");
        }
        out.append("</ul>\n");
      } else {
        StringBuilder p = new StringBuilder();
        while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("#")
            && !lines.get(i).startsWith("|") && !lines.get(i).startsWith("- ")) {
          p.append(p.length() == 0 ? "" : " ").append(lines.get(i++).trim());
        }
        out.append("<p>").append(inline(p.toString(), links)).append("</p>\n");
      }
    }
    return out.toString();
  }

  private static void table(StringBuilder out, List<String> rows, UnaryOperator<String> links) {
    List<String> header = cells(rows.get(0));
    List<String> align = rows.size() > 1 && rows.get(1).matches("[|:\\-\\s]+")
        ? cells(rows.get(1)) : List.of();
    out.append("<div class=\"scroll\"><table class=\"md\">\n<thead><tr>");
    for (int c = 0; c < header.size(); c++) {
      out.append("<th").append(alignment(align, c)).append('>')
          .append(inline(header.get(c), links)).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (String row : rows.subList(align.isEmpty() ? 1 : 2, rows.size())) {
      out.append("<tr>");
      List<String> cs = cells(row);
      for (int c = 0; c < cs.size(); c++) {
        out.append("<td").append(alignment(align, c)).append('>')
            .append(inline(cs.get(c), links)).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div>\n");
  }

  private static String alignment(List<String> align, int c) {
    return c < align.size() && align.get(c).endsWith(":") ? " class=\"num\"" : "";
  }

  private static List<String> cells(String row) {
    String r = row.trim();
    r = r.substring(1, r.endsWith("|") && r.length() > 1 ? r.length() - 1 : r.length());
    List<String> out = new ArrayList<>();
    for (String c : r.split("\\|", -1)) {
      out.add(c.trim());
    }
    return out;
  }

  /** Escapes, then renders code spans, bold and links. */
  static String inline(String s, UnaryOperator<String> links) {
    String e = escape(s);
    e = CODE.matcher(e).replaceAll(m -> Matcher.quoteReplacement("<code>" + m.group(1)
        + "</code>"));
    e = BOLD.matcher(e).replaceAll(m -> Matcher.quoteReplacement("<strong>" + m.group(1)
        + "</strong>"));
    return LINK.matcher(e).replaceAll(m -> Matcher.quoteReplacement("<a href=\""
        + links.apply(m.group(2)) + "\">" + m.group(1) + "</a>"));
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
