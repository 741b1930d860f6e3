package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linearicl.experiments.stage.ParamProblem;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;
import org.linearicl.pipeline.cache.Canonical;

/**
 * The stages themselves: each declaration's params completed and checked against its kind
 * (declared types, then the kind's own check, the one the stage runs), its publish and
 * description read. A stage with a problem is reported and left out.
 */
final class StageResolver {
  private StageResolver() {}

  /** Where a bad value is reported: the set entry or --set that gave it, else the stage. */
  private record Where(Overrides.Origin origin, JsonLocation stage) {
    Problem problem(String file, String message) {
      if (origin == null) {
        return Problem.at(file, stage, message, null);
      }
      return origin.argument() != null
          ? Problem.unplaced("--set '" + origin.argument() + "'", message, null)
          : Problem.at(file, origin.loc(), origin.what() + ": " + message, null);
    }
  }

  /**
   * The stages: each one's params completed and checked against its kind, publish and
   * description read. A stage with a problem is reported and left out.
   */
  static List<Stage> resolve(SpecContext cx, Map<String, StageDecl> byName,
      Map<String, ObjectNode> givenParams, Map<String, List<String>> needsOf, YNode stagesNode,
      Overrides overrides) {
    List<Stage> stages = new ArrayList<>();
    Map<Where, List<String>> valueFailures = new LinkedHashMap<>();
    for (Map.Entry<String, StageDecl> e : byName.entrySet()) {
      StageDecl d = e.getValue();
      StageKind kind = d.kind(cx.kinds);
      if (kind == null) {
        continue;
      }
      JsonNode given = kind.completeParams(givenParams.get(e.getKey()).deepCopy());
      List<ParamProblem> ps = StageParams.problems(kind.params(), given);
      if (!ps.isEmpty()) {
        YNode params = d.node().get("params");
        for (ParamProblem pp : ps) {
          JsonLocation loc = pp.param() != null && params != null && params.isMapping()
              && params.fields().containsKey(pp.param()) ? params.keyLocation(pp.param())
              : stagesNode.keyLocation(d.template());
          cx.problem(loc, "stage '" + d.template() + "' (kind " + kind.name() + "): "
              + (pp.param() == null ? "params" : "param '" + pp.param() + "'") + " "
              + pp.what(), pp.expected());
        }
        continue;
      }
      YNode publish = d.node().get("publish");
      boolean pub = false;
      if (publish != null && !publish.isNull()) {
        if (publish.isScalar() && publish.scalar().isBoolean()) {
          pub = publish.scalar().asBoolean();
        } else {
          cx.problem(publish.location(), "publish is " + publish.describe(), "true or false");
        }
      }
      YNode desc = d.node().get("description");
      String description = desc != null && desc.isScalar() && !desc.isNull()
          ? Canonical.text(desc.scalar()) : "";
      List<String> needs = new ArrayList<>(needsOf.get(e.getKey()));
      needs.sort(null);
      StageParams params = StageParams.resolve(e.getKey(), kind.params(), given);
      String bad = valueProblem(kind, params);
      if (bad != null) {
        badValue(e.getKey(), d, kind, bad, stagesNode, overrides, valueFailures);
        continue;
      }
      stages.add(new Stage(e.getKey(), kind, params, needs, pub, description,
          stagesNode.keyLocation(d.template())));
    }
    valueFailures.forEach((where, stagesAndMessage) -> {
      String more = stagesAndMessage.size() == 2 ? ""
          : " (and " + (stagesAndMessage.size() - 2) + " more stage(s))";
      Problem p = where.problem(cx.file, stagesAndMessage.get(1) + more);
      if (where.origin() != null && where.origin().argument() == null) {
        cx.setProblem(p);
      } else {
        cx.add(p);
      }
    });
    return stages;
  }

  /**
   * What the kind's own check says of {@code params} ({@link StageKind#check}, the check the
   * stage runs and {@code train} makes), or null when they pass: the parameter it names first
   * (empty: none), a line break, the message.
   */
  static String valueProblem(StageKind kind, StageParams params) {
    try {
      kind.check(params);
      return null;
    } catch (StageException | IllegalArgumentException ex) {
      String param = ex instanceof StageException se ? se.param() : null;
      return (param == null ? "" : param) + "\n" + ex.getMessage();
    }
  }

  /**
   * Records a stage whose values its kind rejects under the set entry or --set that gave the
   * value ({@link Overrides#originOf}), else under the stage; stages rejected alike share one
   * problem.
   */
  private static void badValue(String name, StageDecl d, StageKind kind, String bad,
      YNode stagesNode, Overrides overrides, Map<Where, List<String>> failures) {
    String param = bad.substring(0, bad.indexOf('\n'));
    String message = bad.substring(bad.indexOf('\n') + 1);
    Overrides.Origin origin = overrides.originOf(name, kind, param);
    List<String> l = failures.computeIfAbsent(new Where(origin, origin == null
        ? stagesNode.keyLocation(d.template()) : null), k -> new ArrayList<>());
    if (l.isEmpty()) {
      l.add(name);
      l.add(message);
    } else {
      l.add(name);
    }
  }
}
