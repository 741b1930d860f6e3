package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.linearicl.experiments.stage.StageKinds;

/**
 * The state of one expansion of a pipeline file under one profile, which every job of the
 * expansion (schema, placeholders, foreach, needs, overrides, the kinds' checks) reads and adds
 * its problems to: the file's name and tree, the stage kinds, the profile, and the problems.
 */
final class SpecContext {
  /** Numbers keep their exact decimal text, as in the file. */
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  final String file;
  final YNode root;
  final StageKinds kinds;
  /** The profile being expanded. */
  final String profile;
  /** Every profile of the file, in order. */
  final List<String> profiles;
  private final Set<Problem> problems = new LinkedHashSet<>();
  /** The problems of the profile's set, a subset of {@link #problems}. */
  private final Set<Problem> setProblems = new LinkedHashSet<>();

  SpecContext(String file, YNode root, StageKinds kinds, String profile, List<String> profiles) {
    this.file = file;
    this.root = root;
    this.kinds = kinds;
    this.profile = profile;
    this.profiles = profiles;
  }

  /** A problem at {@code loc} of the file. */
  void problem(JsonLocation loc, String what, String expected) {
    problems.add(Problem.at(file, loc, what, expected));
  }

  /** A problem of the profile's set at {@code loc}. */
  void setProblem(JsonLocation loc, String what, String expected) {
    setProblem(Problem.at(file, loc, what, expected));
  }

  /** A problem made elsewhere (unplaced, or of a {@code --set}). */
  void add(Problem p) {
    problems.add(p);
  }

  /** A problem of the profile's set, made elsewhere. */
  void setProblem(Problem p) {
    problems.add(p);
    setProblems.add(p);
  }

  Set<Problem> problems() {
    return problems;
  }

  Set<Problem> setProblems() {
    return setProblems;
  }

  /** Whether the file's top-level {@code vars} declares {@code v} (well-formed or not). */
  boolean isDeclaredVar(String v) {
    YNode vs = root.get("vars");
    return vs != null && vs.isMapping() && vs.fields().containsKey(v);
  }
}
