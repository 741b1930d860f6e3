package org.linearicl.core.train;

import org.linearicl.core.util.Checks;

/** Adam's hyper-parameters; the paper uses lr 1e-4 and does not state the betas. */
public record AdamConfig(double lr, double beta1, double beta2, double eps) {
  public AdamConfig {
    Checks.finiteAbove("lr", lr, 0);
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
  }
}
