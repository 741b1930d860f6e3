package org.linearicl.experiments.results;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.linearicl.core.model.Variant;

/** The evaluation of one noise distribution with the best seed chosen per (variant, layers). */
public record Selection(Evaluation evaluation, List<Choice> choices) {
  public Selection {
    Objects.requireNonNull(evaluation, "evaluation");
    choices = List.copyOf(choices);
  }

  /** The choice for (variant, layers), if the grid has it. */
  public Optional<Choice> choice(Variant variant, int layers) {
    return choices.stream().filter(c -> c.variant() == variant && c.layers() == layers)
        .findFirst();
  }

  /** The chosen model of (variant, layers), if the grid has it. */
  public Optional<ModelResult> best(Variant variant, int layers) {
    return choice(variant, layers).flatMap(c -> evaluation.models().stream()
        .filter(m -> m.stage().equals(c.best())).findFirst());
  }
}
