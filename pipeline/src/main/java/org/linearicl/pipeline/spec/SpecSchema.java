package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a pipeline file may hold: its top-level keys, a stage declaration's fields and kind, the
 * shape of {@code vars} and of each profile. Each check reports to the context and lets the
 * expansion go on with what is well-formed, so one pass finds every problem.
 */
final class SpecSchema {
  static final Set<String> TOP_KEYS =
      Set.of("default_profile", "vars", "profiles", "stages", "slurm");
  static final Set<String> STAGE_KEYS =
      Set.of("kind", "foreach", "params", "needs", "optional_needs", "publish", "description");
  static final Set<String> PROFILE_KEYS = Set.of("description", "vars", "set");

  private SpecSchema() {}

  /** Unknown top-level keys and a default_profile that is not a name or not a profile. */
  static void checkTopLevelKeys(SpecContext cx) {
    YNode root = cx.root;
    for (String k : root.fields().keySet()) {
      if (!TOP_KEYS.contains(k)) {
        cx.problem(root.keyLocation(k), "unknown top-level key '" + k + "'",
            "one of " + new TreeSet<>(TOP_KEYS));
      }
    }
    YNode dp = root.get("default_profile");
    if (dp != null && !dp.isText()) {
      cx.problem(dp.location(), "default_profile is " + dp.describe(), "a profile name");
    } else if (dp != null && !cx.profiles.contains(dp.scalar().asText())) {
      cx.problem(dp.location(), "default_profile '" + dp.scalar().asText()
          + "' is not a profile", "one of " + cx.profiles);
    }
  }

  /**
   * The variables of a {@code vars} mapping ({@code where} names it in messages): each a list of
   * scalars or of flat mappings; a malformed variable is reported and left out.
   */
  static Map<String, List<YNode>> readVars(SpecContext cx, YNode node, String where) {
    Map<String, List<YNode>> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isMapping()) {
      cx.problem(node.location(), "'" + where + "' is " + node.describe(),
          "a mapping of variable names to lists");
      return out;
    }
    for (Map.Entry<String, YNode> e : node.fields().entrySet()) {
      YNode list = e.getValue();
      if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") || e.getKey().equals("profile")) {
        cx.problem(node.keyLocation(e.getKey()), "variable name '" + e.getKey() + "'",
            "letters, digits and '_' (and not 'profile', which is built in)");
        continue;
      }
      if (!list.isSequence()) {
        cx.problem(list.location(), "variable '" + e.getKey() + "' is " + list.describe(),
            "a list of scalars or flat mappings");
        continue;
      }
      boolean ok = true;
      for (YNode item : list.items()) {
        boolean flat = item.isScalar() && !item.isNull();
        if (item.isMapping()) {
          flat = item.fields().values().stream().allMatch(v -> v.isScalar() && !v.isNull());
        }
        if (!flat) {
          cx.problem(item.location(), "element " + item.describe() + " of variable '"
              + e.getKey() + "'", "a scalar or a mapping of scalars");
          ok = false;
        }
      }
      if (ok) {
        out.put(e.getKey(), list.items());
      }
    }
    return out;
  }

  /**
   * Checks every profile's keys (a {@code vars} entry must name a variable of {@code vars}) and
   * that the context's profile is one of them; returns the context's profile's node, or null.
   */
  static YNode checkProfiles(SpecContext cx, Map<String, List<YNode>> vars) {
    YNode root = cx.root;
    YNode ps = root.get("profiles");
    YNode chosen = null;
    if (ps != null && !ps.isNull() && !ps.isMapping()) {
      cx.problem(ps.location(), "'profiles' is " + ps.describe(),
          "a mapping of profile names to profiles");
      ps = null;
    }
    if (ps != null && ps.isMapping()) {
      for (Map.Entry<String, YNode> e : ps.fields().entrySet()) {
        YNode p = e.getValue();
        if (p.isNull()) {
          continue;
        }
        if (!p.isMapping()) {
          cx.problem(p.location(), "profile '" + e.getKey() + "' is " + p.describe(),
              "a mapping with description, vars, set");
          continue;
        }
        for (String k : p.fields().keySet()) {
          if (!PROFILE_KEYS.contains(k)) {
            cx.problem(p.keyLocation(k), "bad profile key '" + k + "' in profile '" + e.getKey()
                + "'", "one of " + new TreeSet<>(PROFILE_KEYS));
          }
        }
        YNode pv = p.get("vars");
        if (pv != null && pv.isMapping()) {
          for (String v : pv.fields().keySet()) {
            if (!vars.containsKey(v) && !cx.isDeclaredVar(v)) {
              cx.problem(pv.keyLocation(v), "bad profile key 'vars." + v + "' in profile '"
                  + e.getKey() + "': no variable '" + v + "'", "one of the variables "
                  + (root.get("vars") != null && root.get("vars").isMapping()
                      ? root.get("vars").fields().keySet() : List.of()));
            }
          }
        }
        YNode set = p.get("set");
        if (set != null && !set.isNull() && !set.isMapping()) {
          cx.problem(set.location(), "'set' of profile '" + e.getKey() + "' is "
              + set.describe(), "a mapping of '<stage glob>.<param>' to values");
        }
        if (e.getKey().equals(cx.profile)) {
          chosen = p;
        }
      }
      if (!ps.fields().containsKey(cx.profile)) {
        unknownProfile(cx, "one of " + ps.fields().keySet());
      }
    } else if (!cx.profile.equals("default")) {
      unknownProfile(cx, "'default' (the file declares no profiles)");
    }
    return chosen;
  }

  /**
   * Reports that the chosen profile is not in the file: at default_profile when that named
   * it (where it is reported already), else at the {@code profiles} key, else nowhere in
   * particular (a file without profiles).
   */
  private static void unknownProfile(SpecContext cx, String expected) {
    YNode root = cx.root;
    YNode dp = root.get("default_profile");
    if (dp != null && dp.isText() && dp.scalar().asText().equals(cx.profile)) {
      return; // checkTopLevelKeys says "default_profile 'X' is not a profile" at its line
    }
    String what = "unknown profile '" + cx.profile + "'";
    cx.add(root.fields().containsKey("profiles")
        ? Problem.at(cx.file, root.keyLocation("profiles"), what, expected)
        : Problem.unplaced(cx.file, what, expected));
  }

  /**
   * Checks a stage declaration's fields and kind; false when it is not a mapping at all (then
   * it declares no stage).
   */
  static boolean checkStage(SpecContext cx, String template, JsonLocation keyLoc, YNode node) {
    if (!node.isMapping()) {
      cx.problem(node.location(), "stage '" + template + "' is " + node.describe(),
          "a mapping with kind, params, needs, ...");
      return false;
    }
    for (String k : node.fields().keySet()) {
      if (!STAGE_KEYS.contains(k)) {
        cx.problem(node.keyLocation(k), "unknown stage field '" + k + "' in stage '" + template
            + "'", "one of " + new TreeSet<>(STAGE_KEYS));
      }
    }
    YNode kind = node.get("kind");
    if (kind == null) {
      cx.problem(keyLoc, "stage '" + template + "' has no kind",
          "kind: one of " + cx.kinds.names());
    } else if (!kind.isText()) {
      cx.problem(kind.location(), "kind " + kind.describe(), "one of " + cx.kinds.names());
    } else if (cx.kinds.find(kind.scalar().asText()).isEmpty()) {
      cx.problem(kind.location(), "unknown kind '" + kind.scalar().asText() + "' in stage '"
          + template + "'", "one of " + cx.kinds.names());
    }
    return true;
  }
}
