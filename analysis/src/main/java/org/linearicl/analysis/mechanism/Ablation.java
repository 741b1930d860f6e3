package org.linearicl.analysis.mechanism;

import java.util.ArrayList;
import java.util.List;
import org.linearicl.analysis.mechanism.OmegaForward.Term;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.task.Batch;
import org.linearicl.core.util.ChunkedExecutor;

/**
 * Zeroing one term of one layer of a DIAG model and reading the loss out after every later
 * layer: where a term first reaches the prediction. A layer's x-update (omega_xx, omega_xy)
 * cannot change the query's y-slot in that same layer, so its effect can only appear from the
 * next layer's read-out on; the y-update terms (omega_yx, omega_yy) act at once, except
 * omega_yy in the first layer, which scales the query's y-slot while it is still 0.
 */
public final class Ablation {
  /**
   * The change of the loss read out after layer {@code readLayer} (1-based) when {@code term} of
   * layer {@code zeroedLayer} (1-based) is zeroed: {@code change} is the mean over sequences of
   * {@code 0.5 (yhat_ablated - y)^2 - 0.5 (yhat - y)^2} (paired, so its SE is that of the
   * per-sequence difference), {@code relative} the change over the unablated loss there.
   */
  public record Effect(int zeroedLayer, Term term, int readLayer, double change,
      double standardError, double relative, double loss) {}

  private Ablation() {}

  /**
   * Every (layer zeroed, term, later read-out layer) of a model given by its terms; the ablated
   * forward passes run in parallel, each into its own slot, so the result does not depend on
   * the thread count.
   */
  public static List<Effect> run(double[][] omegas, Batch b, ChunkedExecutor executor) {
    double[][] base = OmegaForward.predictAfterEachLayer(omegas, b);
    double[] baseLoss = new double[omegas.length];
    for (int l = 0; l < omegas.length; l++) {
      baseLoss[l] = LossSummary.of(halfSquaredErrors(base[l], b.yq)).mean();
    }
    Term[] terms = Term.values();
    double[][][] ablations = new double[omegas.length * terms.length][][];
    executor.run(ablations.length, i -> ablations[i] = OmegaForward.predictAfterEachLayer(
        OmegaForward.zeroed(omegas, i / terms.length, terms[i % terms.length]), b));
    List<Effect> out = new ArrayList<>();
    for (int zl = 0; zl < omegas.length; zl++) {
      for (Term term : terms) {
        double[][] ablated = ablations[zl * terms.length + term.ordinal()];
        for (int rl = zl; rl < omegas.length; rl++) {
          double[] diff = new double[b.size];
          for (int s = 0; s < b.size; s++) {
            double e = ablated[rl][s] - b.yq[s];
            double e0 = base[rl][s] - b.yq[s];
            diff[s] = 0.5 * e * e - 0.5 * e0 * e0;
          }
          LossSummary change = LossSummary.of(diff);
          out.add(new Effect(zl + 1, term, rl + 1, change.mean(), change.standardError(),
              change.mean() / baseLoss[rl], baseLoss[rl]));
        }
      }
    }
    return out;
  }

  private static double[] halfSquaredErrors(double[] predictions, double[] targets) {
    double[] out = new double[predictions.length];
    for (int s = 0; s < out.length; s++) {
      double e = predictions[s] - targets[s];
      out[s] = 0.5 * e * e;
    }
    return out;
  }
}
