package org.linearicl.pipeline.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
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

  public Pipeline(String file, String profile, List<String> profiles, List<Stage> stages) {
    this.file = file;
    this.profile = profile;
    this.profiles = List.copyOf(profiles);
    Map<String, Stage> m = new LinkedHashMap<>();
    stages.forEach(s -> m.put(s.name(), s));
    this.stages = Collections.unmodifiableMap(m);
  }

  /** The file name used in messages. */
  public String file() {
    return file;
  }

  public String profile() {
    return profile;
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
        throw new IllegalArgumentException("stage '" + p + "' matches no stage of profile '"
            + profile + "': expected a stage name or a glob over " + sample(stages.keySet()));
      }
      roots.addAll(hit);
    }
    Set<String> closure = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (closure.add(n)) {
        todo.addAll(stages.get(n).needs());
      }
    }
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
    List<Stage> out = new ArrayList<>();
    Set<String> done = new java.util.HashSet<>();
    for (String n : stages.keySet()) {
      visit(n, done, out);
    }
    return out;
  }

  private void visit(String n, Set<String> done, List<Stage> out) {
    if (!done.add(n)) {
      return;
    }
    Stage s = stages.get(n);
    for (String u : s.needs()) {
      visit(u, done, out);
    }
    out.add(s);
  }

  /** The stages downstream of {@code name} (transitively), not including it. */
  public Set<String> descendants(String name) {
    Map<String, List<String>> down = new HashMap<>();
    for (Stage s : stages.values()) {
      for (String u : s.needs()) {
        down.computeIfAbsent(u, k -> new ArrayList<>()).add(s.name());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(down.getOrDefault(name, List.of()));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (out.add(n)) {
        todo.addAll(down.getOrDefault(n, List.of()));
      }
    }
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
