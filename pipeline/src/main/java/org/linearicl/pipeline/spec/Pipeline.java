package org.linearicl.pipeline.spec;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Iterables;
import com.google.common.graph.ElementOrder;
import com.google.common.graph.GraphBuilder;
import com.google.common.graph.Graphs;
import com.google.common.graph.ImmutableGraph;
import com.google.common.graph.Traverser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages of a pipeline file under one profile, after expansion and validation: an acyclic
 * graph in declaration order.
 */
public final class Pipeline {
  private final String file;
  private final String profile;
  private final List<String> profiles;
  private final Map<String, Stage> stages;
  /**
   * An edge from each stage to every stage it needs; nodes in declaration order and each node's
   * edges in the order of its needs, so every traversal below is deterministic.
   */
  private final ImmutableGraph<String> needs;
  private final SlurmSpec slurm;

  public Pipeline(String file, String profile, List<String> profiles, List<Stage> stages) {
    this(file, profile, profiles, stages, SlurmSpec.none());
  }

  /** The same with the file's {@code slurm:} block. */
  public Pipeline(String file, String profile, List<String> profiles, List<Stage> stages,
      SlurmSpec slurm) {
    this.file = file;
    this.slurm = slurm;
    this.profile = profile;
    this.profiles = List.copyOf(profiles);
    Map<String, Stage> m = new LinkedHashMap<>();
    stages.forEach(s -> m.put(s.name(), s));
    this.stages = Collections.unmodifiableMap(m);
    ImmutableGraph.Builder<String> g = GraphBuilder.directed().allowsSelfLoops(false)
        .nodeOrder(ElementOrder.insertion()).incidentEdgeOrder(ElementOrder.stable())
        .<String>immutable();
    m.keySet().forEach(g::addNode);
    for (Stage s : m.values()) {
      s.needs().forEach(u -> g.putEdge(s.name(), u));
    }
    this.needs = g.build();
    if (Graphs.hasCycle(needs)) { // PipelineSpec reports cycles with their lines first
      throw new IllegalArgumentException("the stages of profile '" + profile + "' have a cycle");
    }
  }

  /** The file name used in messages. */
  public String file() {
    return file;
  }

  public String profile() {
    return profile;
  }

  /** What each stage's job asks for under {@code run --executor slurm}. */
  public SlurmSpec slurm() {
    return slurm;
  }

  /** Every profile declared in the file. */
  public List<String> profiles() {
    return profiles;
  }

  /** Every stage by name, in declaration (expansion) order. */
  public Map<String, Stage> stages() {
    return stages;
  }

  public Stage stage(String name) {
    return stages.get(name);
  }

  /**
   * The stage named {@code name}, which a command was given as {@code what} (an argument or an
   * option).
   *
   * @throws IllegalArgumentException "{@code what} 'NAME': no such stage in profile 'P'; expected
   *     one of the names printed by 'list --profile P'"
   */
  public Stage require(String what, String name) {
    Stage s = stages.get(name);
    if (s == null) {
      throw new IllegalArgumentException(what + " '" + name + "': no such stage in profile '"
          + profile + "'; expected one of the names printed by 'list --profile " + profile + "'");
    }
    return s;
  }

  /**
   * The stages matching {@code patterns} (names or globs; all stages when empty) plus everything
   * they need, in topological order. A pattern matching nothing is an IllegalArgumentException.
   */
  public List<Stage> select(Collection<String> patterns) {
    Set<String> roots = new LinkedHashSet<>();
    if (patterns.isEmpty()) {
      roots.addAll(stages.keySet());
    }
    for (String p : patterns) {
      List<String> hit = matching(p);
      if (hit.isEmpty()) {
        List<String> close = Nearest.closest(p, stages.keySet());
        throw new IllegalArgumentException("stage '" + p + "' matches no stage of profile '"
            + profile + "': expected a stage name or a glob " + (close.isEmpty()
            ? "(the nearest of its " + stages.size() + " stages: "
                + String.join(", ", Nearest.nearest(p, stages.keySet(), 5)) + ")"
            : "(did you mean " + String.join(" or ", close.stream().map(n -> "'" + n + "'")
                .toList()) + "?)"));
      }
      roots.addAll(hit);
    }
    Set<String> closure = ImmutableSet.copyOf(Traverser.forGraph(needs).breadthFirst(roots));
    List<Stage> out = new ArrayList<>();
    for (Stage s : topological()) {
      if (closure.contains(s.name())) {
        out.add(s);
      }
    }
    return out;
  }

  /** Stage names matching a name or glob, in declaration order. */
  public List<String> matching(String pattern) {
    if (!Glob.isGlob(pattern)) {
      return stages.containsKey(pattern) ? List.of(pattern) : List.of();
    }
    Glob g = Glob.of(pattern);
    return stages.keySet().stream().filter(g::matches).toList();
  }

  /** Every stage, upstream before downstream, otherwise in declaration order. */
  public List<Stage> topological() {
    // a post-order walk along the needs visits what a stage needs before the stage
    return ImmutableList.copyOf(Iterables.transform(
        Traverser.forGraph(needs).depthFirstPostOrder(stages.keySet()), stages::get));
  }

  /** The stages downstream of {@code name} (transitively), not including it. */
  public Set<String> descendants(String name) {
    if (!stages.containsKey(name)) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    Traverser.forGraph(Graphs.transpose(needs)).breadthFirst(name).forEach(out::add);
    out.remove(name);
    return out;
  }

  static String sample(Collection<String> names) {
    List<String> l = new ArrayList<>(names);
    if (l.size() <= 8) {
      return l.toString();
    }
    return l.subList(0, 8).toString().replace("]", ", ... (" + l.size() + " stages)]");
  }
}
