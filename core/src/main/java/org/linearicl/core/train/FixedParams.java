package org.linearicl.core.train;

import java.util.Objects;

/**
 * A {@link ResidualSample} in which some parameters are held at given values: the optimiser sees
 * only the free ones. Used to fix a gauge (a parameter whose scale the model cannot see).
 */
final class FixedParams implements ResidualSample {
  private final ResidualSample inner;
  private final int[] free;
  private final double[] base;

  /**
   * @param free indices of the free parameters into the inner parameter vector, ascending
   * @param base the full parameter vector; its entries outside {@code free} are held
   */
  FixedParams(ResidualSample inner, int[] free, double[] base) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.free = free.clone();
    this.base = base.clone();
    if (base.length != inner.parameters()) {
      throw new IllegalArgumentException("base has " + base.length + " parameters, expected "
          + inner.parameters());
    }
  }

  /** The free entries of a full vector. */
  double[] restrict(double[] full) {
    double[] out = new double[free.length];
    for (int i = 0; i < free.length; i++) {
      out[i] = full[free[i]];
    }
    return out;
  }

  /** The full vector with the free entries {@code values} and the rest held. */
  double[] expand(double[] values) {
    double[] out = base.clone();
    for (int i = 0; i < free.length; i++) {
      out[free[i]] = values[i];
    }
    return out;
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public int parameters() {
    return free.length;
  }

  @Override
  public double weight(int s) {
    return inner.weight(s);
  }

  @Override
  public Workspace workspace() {
    Workspace w = inner.workspace();
    int p = inner.parameters();
    return new Workspace() {
      private double[] full = new double[0];

      @Override
      public void residuals(double[] params, int from, int to, double[] resid) {
        w.residuals(expand(params), from, to, resid);
      }

      @Override
      public void jacobian(double[] params, int from, int to, double[] resid, double[] jac) {
        int rows = to - from;
        if (full.length < rows * p) {
          full = new double[rows * p];
        }
        w.jacobian(expand(params), from, to, resid, full);
        for (int r = 0; r < rows; r++) {
          for (int i = 0; i < free.length; i++) {
            jac[r * free.length + i] = full[r * p + free[i]];
          }
        }
      }
    };
  }
}
