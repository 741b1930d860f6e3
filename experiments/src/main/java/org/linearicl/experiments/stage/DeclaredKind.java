package org.linearicl.experiments.stage;

import java.util.List;
import java.util.Objects;

/**
 * A stage kind whose name, version, description and parameters are fixed when it is made: each
 * kind states them once, in its constructor, and this class answers the four accessors of
 * {@link StageKind}.
 */
public abstract class DeclaredKind implements StageKind {
  private final String name;
  private final int version;
  private final String description;
  private final List<ParamSpec> params;

  protected DeclaredKind(String name, int version, String description, List<ParamSpec> params) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = version;
    this.description = Objects.requireNonNull(description, "description");
    this.params = List.copyOf(params);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int version() {
    return version;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<ParamSpec> params() {
    return params;
  }
}
