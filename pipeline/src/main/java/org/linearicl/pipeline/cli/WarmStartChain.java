package org.linearicl.pipeline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;

/**
 * The models a model contains, as pipeline.yaml's train stages declare them (its {@code simpler}
 * variant and {@code prev} depth): GD++ in DIAG in FULL at the same depth, and the same variant
 * one layer shallower. {@code train} uses it to train a model's warm starts itself, named as the
 * pipeline names them, so that it gives the pipeline stage's bytes (a test checks both against
 * pipeline.yaml).
 */
final class WarmStartChain {
  /** One model of the chain. */
  record Model(Variant variant, int layers) {}

  /** The variants, each after the ones it contains. */
  private static final List<Variant> SIMPLE_FIRST = List.of(Variant.GDPP, Variant.DIAG,
      Variant.FULL);

  private WarmStartChain() {}

  /** The variant one step simpler, or null for GD++. */
  static Variant simpler(Variant v) {
    return switch (v) {
      case FULL -> Variant.DIAG;
      case DIAG -> Variant.GDPP;
      case GDPP -> null;
    };
  }

  /** The models {@code variant} with {@code layers} layers starts from directly. */
  static List<Model> direct(Variant variant, int layers) {
    List<Model> out = new ArrayList<>();
    if (layers > 1) {
      out.add(new Model(variant, layers - 1));
    }
    if (simpler(variant) != null) {
      out.add(new Model(simpler(variant), layers));
    }
    return out;
  }

  /**
   * Every model it contains, directly or through another, each after the ones it contains
   * (shallow first, simple first); the model itself is not in the list.
   */
  static List<Model> contained(Variant variant, int layers) {
    List<Model> out = new ArrayList<>();
    for (int l = 1; l <= layers; l++) {
      for (Variant v : SIMPLE_FIRST) {
        if (l == layers && v == variant) {
          return out;
        }
        if (Embedding.contains(variant, v)) {
          out.add(new Model(v, l));
        }
      }
    }
    return out;
  }

  /**
   * The pipeline's name of a train stage: {@code train-diag-3-c13-s0} (noise key {@code u5} for
   * uniform:5, {@code c13} for categorical:1,3, {@code f1} for fixed:1).
   */
  static String stageName(Model m, NoiseDistribution noise, long seed) {
    String spec = noise.spec();
    int colon = spec.indexOf(':');
    String key = spec.substring(0, 1).toLowerCase(Locale.ROOT)
        + spec.substring(colon + 1).replace(",", "");
    return "train-" + m.variant().cliName() + "-" + m.layers() + "-" + key + "-s" + seed;
  }
}
