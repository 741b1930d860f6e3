package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.linearicl.pipeline.cache.Canonical;

/**
 * The edges of the stage graph: each stage's {@code needs} and {@code optional_needs} resolved
 * to stage names (globs allowed, placeholders substituted), and the cycles among them.
 */
final class Needs {
  private Needs() {}

  /** Each stage's needs and optional_needs, resolved to stage names. */
  static Map<String, List<String>> resolve(SpecContext cx, Map<String, StageDecl> byName) {
    Map<String, List<String>> needsOf = new LinkedHashMap<>();
    byName.keySet().forEach(name -> needsOf.put(name, new ArrayList<>()));
    for (Map.Entry<String, StageDecl> e : byName.entrySet()) {
      StageDecl d = e.getValue();
      for (String field : List.of("needs", "optional_needs")) {
        YNode needs = d.node().get(field);
        if (needs == null || needs.isNull()) {
          continue;
        }
        boolean optional = field.equals("optional_needs");
        List<YNode> items = needs.isSequence() ? needs.items() : List.of(needs);
        for (YNode item : items) {
          resolveNeed(cx, item, d, e.getKey(), optional, byName, needsOf);
        }
      }
    }
    return needsOf;
  }

  /**
   * Adds the stages a {@code needs} (or {@code optional_needs}) entry names to the needs of
   * {@code stage}; an optional entry may name no stage (a warm start that exists only for
   * some of a foreach's values).
   */
  private static void resolveNeed(SpecContext cx, YNode item, StageDecl d, String stage,
      boolean optional, Map<String, StageDecl> byName, Map<String, List<String>> needsOf) {
    String field = optional ? "optional_needs" : "needs";
    if (!item.isText()) {
      cx.problem(item.location(), "stage '" + d.template() + "': " + field + " entry "
          + item.describe(), "a stage name or glob (a string)");
      return;
    }
    JsonNode g = Placeholders.substitute(cx, item.scalar().asText(), d.binding(),
        item.location(), field + " entry");
    if (g == null) {
      return;
    }
    String glob = Canonical.text(g);
    Glob pattern = Glob.of(glob);
    List<String> hits = byName.keySet().stream()
        .filter(n -> Glob.isGlob(glob) ? pattern.matches(n) : n.equals(glob)).toList();
    if (hits.isEmpty() && !optional) {
      cx.problem(item.location(), "stage '" + stage + "' needs '" + glob
          + "', which matches no stage", "a stage name or glob over "
          + Pipeline.sample(byName.keySet()) + " (or an optional_needs entry)");
    } else if (hits.contains(stage)) {
      cx.problem(item.location(), "stage '" + stage + "' needs '" + glob
          + "', which matches the stage itself", "a glob over other stages only");
    } else {
      for (String h : hits) {
        if (!needsOf.get(stage).contains(h)) {
          needsOf.get(stage).add(h);
        }
      }
    }
  }

  /** Reports each cycle of the needs once, at the declaration of the stage that closes it. */
  static void findCycles(SpecContext cx, Map<String, List<String>> needsOf,
      Map<String, StageDecl> byName, YNode stagesNode) {
    Map<String, Integer> color = new LinkedHashMap<>();
    Set<String> reported = new LinkedHashSet<>();
    for (String s : needsOf.keySet()) {
      dfs(cx, s, needsOf, color, new ArrayList<>(), byName, stagesNode, reported);
    }
  }

  private static void dfs(SpecContext cx, String s, Map<String, List<String>> needsOf,
      Map<String, Integer> color, List<String> path, Map<String, StageDecl> byName,
      YNode stagesNode, Set<String> reported) {
    Integer c = color.get(s);
    if (c != null && c == 2) {
      return;
    }
    if (c != null && c == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
      cycle.add(s);
      String text = String.join(" -> ", cycle);
      if (reported.add(new TreeSet<>(cycle).toString())) {
        cx.problem(stagesNode.keyLocation(byName.get(s).template()), "cycle " + text,
            "needs without cycles");
      }
      return;
    }
    color.put(s, 1);
    path.add(s);
    // a stage needs its upstreams: follow needs edges; print in data-flow order reversed
    for (String u : needsOf.getOrDefault(s, List.of())) {
      dfs(cx, u, needsOf, color, path, byName, stagesNode, reported);
    }
    path.remove(path.size() - 1);
    color.put(s, 2);
  }
}
