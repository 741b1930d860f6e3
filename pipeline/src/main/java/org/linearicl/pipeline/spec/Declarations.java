package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linearicl.pipeline.cache.Canonical;

/**
 * From the file's {@code stages} to named stage declarations: each declaration once per point
 * of its {@code foreach} grid (over {@code vars}, with the profile's {@code vars} in place),
 * named by its substituted name template, with its params substituted.
 */
final class Declarations {
  private Declarations() {}

  /** Replaces the lists of {@code vars} that the chosen profile's {@code vars} gives anew. */
  static void applyProfileVars(SpecContext cx, YNode chosen, Map<String, List<YNode>> vars) {
    if (chosen != null && chosen.get("vars") != null && chosen.get("vars").isMapping()) {
      Map<String, List<YNode>> over = SpecSchema.readVars(cx, chosen.get("vars"), "profiles."
          + cx.profile + ".vars");
      over.forEach((k, v) -> {
        if (vars.containsKey(k)) {
          vars.put(k, v);
        }
      });
    }
  }

  /** Every stage declaration once per point of its foreach grid, in file order. */
  static List<StageDecl> expandForeach(SpecContext cx, YNode stagesNode,
      Map<String, List<YNode>> vars) {
    List<StageDecl> decls = new ArrayList<>();
    if (stagesNode == null) {
      cx.problem(cx.root.location(), "no 'stages'", "a mapping of stage names to stages");
    } else if (!stagesNode.isMapping()) {
      cx.problem(stagesNode.location(), "'stages' is " + stagesNode.describe(),
          "a mapping of stage names to stages");
    } else {
      for (Map.Entry<String, YNode> e : stagesNode.fields().entrySet()) {
        expandDecl(cx, e.getKey(), stagesNode.keyLocation(e.getKey()), e.getValue(), vars,
            decls);
      }
    }
    return decls;
  }

  /** One declaration (checked by the schema) at every point of its foreach grid. */
  private static void expandDecl(SpecContext cx, String template, JsonLocation keyLoc,
      YNode node, Map<String, List<YNode>> vars, List<StageDecl> out) {
    if (!SpecSchema.checkStage(cx, template, keyLoc, node)) {
      return;
    }
    List<String> foreach = new ArrayList<>();
    YNode fe = node.get("foreach");
    if (fe != null && !fe.isNull()) {
      List<YNode> items = fe.isSequence() ? fe.items() : List.of(fe);
      for (YNode item : items) {
        if (!item.isText()) {
          cx.problem(item.location(), "foreach entry " + item.describe(), "a variable name");
        } else if (!vars.containsKey(item.scalar().asText())) {
          if (!cx.isDeclaredVar(item.scalar().asText())) {
            cx.problem(item.location(), "foreach names unknown variable '"
                + item.scalar().asText() + "'", "one of " + vars.keySet());
          }
          return;
        } else if (foreach.contains(item.scalar().asText())) {
          cx.problem(item.location(), "foreach names '" + item.scalar().asText() + "' twice",
              "each variable once");
        } else {
          foreach.add(item.scalar().asText());
        }
      }
    }
    List<Map<String, YNode>> grid = new ArrayList<>();
    grid.add(new LinkedHashMap<>());
    for (String v : foreach) {
      List<Map<String, YNode>> next = new ArrayList<>();
      for (Map<String, YNode> b : grid) {
        for (YNode value : vars.get(v)) {
          Map<String, YNode> nb = new LinkedHashMap<>(b);
          nb.put(v, value);
          next.add(nb);
        }
      }
      grid = next;
    }
    for (Map<String, YNode> b : grid) {
      out.add(new StageDecl(template, node, b));
    }
  }

  /**
   * The declarations by their stage names (the name template with the placeholders
   * substituted); a name that is malformed or taken by an earlier declaration is reported
   * and its declaration dropped.
   */
  static Map<String, StageDecl> nameStages(SpecContext cx, List<StageDecl> decls,
      YNode stagesNode) {
    Map<String, StageDecl> byName = new LinkedHashMap<>();
    for (StageDecl d : decls) {
      JsonLocation keyLoc = stagesNode.keyLocation(d.template());
      JsonNode n = Placeholders.substitute(cx, d.template(), d.binding(), keyLoc, "stage name");
      if (n == null) {
        continue;
      }
      String name = n.isTextual() ? n.asText() : Canonical.text(n);
      if (!name.matches("[A-Za-z0-9_.=+:@-]+") || Glob.isGlob(name)) {
        cx.problem(keyLoc, "stage name '" + name + "' (from '" + d.template() + "')",
            "letters, digits and -_.=+:@ only (no spaces, '*' or '?')");
        continue;
      }
      StageDecl old = byName.putIfAbsent(name, d);
      if (old != null) {
        cx.problem(keyLoc, "duplicate stage name '" + name + "' after expansion (also from '"
            + old.template() + "' at line "
            + stagesNode.keyLocation(old.template()).getLineNr() + ")",
            "unique stage names: add the varying variables to the name template");
      }
    }
    return byName;
  }

  /** Each stage's params as the file gives them, placeholders substituted. */
  static Map<String, ObjectNode> substituteParams(SpecContext cx,
      Map<String, StageDecl> byName) {
    Map<String, ObjectNode> givenParams = new LinkedHashMap<>();
    for (Map.Entry<String, StageDecl> e : byName.entrySet()) {
      StageDecl d = e.getValue();
      YNode params = d.node().get("params");
      if (params != null && !params.isNull() && !params.isMapping()) {
        cx.problem(params.location(), "stage '" + d.template() + "': params is "
            + params.describe(), "a mapping of parameter names to values");
        params = null;
      }
      ObjectNode given = SpecContext.NODES.objectNode();
      if (params != null && params.isMapping()) {
        for (Map.Entry<String, YNode> p : params.fields().entrySet()) {
          JsonNode v = Placeholders.substituteTree(cx, p.getValue(), d.binding(),
              "param '" + p.getKey() + "'");
          if (v != null) {
            given.set(p.getKey(), v);
          }
        }
      }
      givenParams.put(e.getKey(), given);
    }
    return givenParams;
  }
}
