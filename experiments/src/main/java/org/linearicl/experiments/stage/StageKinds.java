package org.linearicl.experiments.stage;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/** A registry of stage kinds by name. */
public final class StageKinds {
  private final SortedMap<String, StageKind> byName;

  private StageKinds(SortedMap<String, StageKind> byName) {
    this.byName = Collections.unmodifiableSortedMap(byName);
  }

  /** Every kind on the class path (ServiceLoader). */
  public static StageKinds installed() {
    return of(ServiceLoader.load(StageKind.class).stream().map(ServiceLoader.Provider::get)
        .toList());
  }

  /** The given kinds; two with one name is an error. */
  public static StageKinds of(Collection<? extends StageKind> kinds) {
    SortedMap<String, StageKind> m = new TreeMap<>();
    for (StageKind k : kinds) {
      if (!k.name().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
        throw new IllegalArgumentException("stage kind name '" + k.name()
            + "': expected lower-case words joined by '-'");
      }
      StageKind old = m.putIfAbsent(k.name(), k);
      if (old != null) {
        throw new IllegalArgumentException("two stage kinds named '" + k.name() + "': "
            + old.getClass().getName() + " and " + k.getClass().getName());
      }
    }
    return new StageKinds(m);
  }

  public static StageKinds of(StageKind... kinds) {
    return of(java.util.List.of(kinds));
  }

  public Optional<StageKind> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every kind, sorted by name. */
  public Collection<StageKind> all() {
    return byName.values();
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }
}
