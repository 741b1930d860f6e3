package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.linearicl.experiments.stage.ParamProblem;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/**
 * The params set over the file's: the chosen profile's {@code set} entries, then the command
 * line's {@code --set}s, each a {@code <stage glob>.<param>} applied to every matching stage when
 * each matching stage's kind accepts the value. Remembers which entry gave each value, so that a
 * value the kind's own check rejects is reported at the entry that gave it.
 */
final class Overrides {
  /**
   * Where an overriding value came from: a profile's set entry ({@code loc} its value, {@code
   * what} "profile 'quick' sets 'train-*.steps' to -5") or a --set ({@code argument}).
   */
  record Origin(JsonLocation loc, String what, String argument) {}

  /** Why an override was not applied; {@code ofValue}: the value is wrong, not the key. */
  private record Rejection(String what, String expected, boolean ofValue) {}

  private final SpecContext cx;
  private final Map<String, StageDecl> byName;
  /** Each stage's params, changed in place by the overrides. */
  private final Map<String, ObjectNode> givenParams;
  /** Per stage and param, the set entry or --set that gave the value (the last one). */
  private final Map<String, Map<String, Origin>> origins = new LinkedHashMap<>();
  /** Per stage and param, the value before the first set entry or --set (null: none). */
  private final Map<String, Map<String, JsonNode>> before = new LinkedHashMap<>();

  Overrides(SpecContext cx, Map<String, StageDecl> byName, Map<String, ObjectNode> givenParams) {
    this.cx = cx;
    this.byName = byName;
    this.givenParams = givenParams;
  }

  /** The chosen profile's {@code set}: each entry is an {@link #override}. */
  void applyProfileSet(YNode profileNode) {
    if (profileNode == null || profileNode.get("set") == null
        || !profileNode.get("set").isMapping()) {
      return;
    }
    YNode set = profileNode.get("set");
    for (Map.Entry<String, YNode> e : set.fields().entrySet()) {
      String key = e.getKey();
      JsonLocation loc = set.keyLocation(key);
      int dot = key.lastIndexOf('.');
      if (dot <= 0 || dot == key.length() - 1) {
        cx.setProblem(loc, "bad profile key '" + key + "' in profile '" + cx.profile + "'",
            "'<stage glob>.<param>', like 'train-*.steps'");
        continue;
      }
      JsonNode value = Placeholders.substituteTree(cx, e.getValue(), Map.of(),
          "profile key '" + key + "'");
      if (value == null) {
        continue;
      }
      String sets = "profile '" + cx.profile + "' sets '" + key + "' to "
          + e.getValue().describe();
      Rejection r = override(key.substring(0, dot), key.substring(dot + 1), value,
          new Origin(e.getValue().location(), sets, null));
      if (r != null && r.ofValue()) {
        cx.setProblem(e.getValue().location(), sets, r.expected());
      } else if (r != null) {
        cx.setProblem(loc, "bad profile key '" + key + "' in profile '" + cx.profile + "': "
            + r.what(), r.expected());
      }
    }
  }

  /** The command line's {@code --set}s, after the profile: each is an {@link #override}. */
  void applyCommandLine(List<ParamOverride> overrides) {
    for (ParamOverride o : overrides) {
      Rejection r = override(o.stages(), o.param(), o.value(),
          new Origin(null, null, o.argument()));
      if (r != null) {
        cx.add(Problem.unplaced("--set '" + o.argument() + "'", r.what(), r.expected()));
      }
    }
  }

  /**
   * Sets {@code param} to {@code value} in every stage the glob {@code stages} matches, when
   * each matching stage's kind accepts it as it would from the file ({@link
   * StageParams#check}); else changes nothing and says why.
   */
  private Rejection override(String stages, String param, JsonNode value, Origin origin) {
    Glob g = Glob.of(stages);
    List<String> hits = byName.keySet().stream().filter(g::matches).toList();
    if (hits.isEmpty()) {
      return new Rejection("'" + g + "' matches no stage",
          "a glob over " + Pipeline.sample(byName.keySet()), false);
    }
    Map<String, ParamProblem> unknownIn = new TreeMap<>();
    Map<String, ParamProblem> wrongIn = new TreeMap<>();
    for (String h : hits) {
      StageKind kind = byName.get(h).kind(cx.kinds);
      if (kind == null) {
        continue;
      }
      StageParams.check(kind.params(), param, value).ifPresent(pp ->
          (pp.issue() == ParamProblem.Issue.UNKNOWN ? unknownIn : wrongIn)
              .put(kind.name(), pp));
    }
    if (!unknownIn.isEmpty()) {
      Set<String> expected = new LinkedHashSet<>();
      unknownIn.values().forEach(pp -> expected.add(pp.expected()));
      return new Rejection("kind " + unknownIn.keySet() + " has no param '" + param + "'",
          expected.size() == 1 ? expected.iterator().next()
              : "a param declared by every matching stage's kind", false);
    }
    if (!wrongIn.isEmpty()) {
      Set<String> expected = new LinkedHashSet<>();
      wrongIn.values().forEach(pp -> expected.add(pp.expected()));
      ParamProblem first = wrongIn.values().iterator().next();
      return new Rejection("param '" + param + "' " + first.what(),
          String.join(" or ", expected), true);
    }
    for (String h : hits) {
      ObjectNode params = givenParams.get(h);
      Map<String, JsonNode> was = before.computeIfAbsent(h, k -> new LinkedHashMap<>());
      if (!was.containsKey(param)) {
        was.put(param, params.get(param));
      }
      origins.computeIfAbsent(h, k -> new LinkedHashMap<>()).put(param, origin);
      params.set(param, value);
    }
    return null;
  }

  /**
   * The set entry or --set that gave stage {@code name} a value its kind's own check rejects:
   * the one that set {@code param} (the parameter the check names), else, when the check names
   * none (empty), the first whose earlier value passes the check; null when no override did.
   */
  Origin originOf(String name, StageKind kind, String param) {
    Map<String, Origin> mine = origins.getOrDefault(name, Map.of());
    Origin origin = mine.get(param);
    if (origin == null && param.isEmpty()) {
      for (Map.Entry<String, Origin> o : mine.entrySet()) {
        ObjectNode earlier = givenParams.get(name).deepCopy();
        JsonNode was = before.get(name).get(o.getKey());
        if (was == null) {
          earlier.remove(o.getKey());
        } else {
          earlier.set(o.getKey(), was);
        }
        JsonNode completed = kind.completeParams(earlier);
        if (StageParams.problems(kind.params(), completed).isEmpty()
            && StageResolver.valueProblem(kind,
                StageParams.resolve(name, kind.params(), completed)) == null) {
          origin = o.getValue();
          break;
        }
      }
    }
    return origin;
  }
}
