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
   * Every (layer zeroed, term, later read-out layer) of a model given by its terms. The layers
   * before the zeroed one are shared with the unablated pass, so each ablation restarts from the
   * stored tokens; sequences run in parallel, each into its own slots, so the result does not
   * depend on the thread count.
   */
  public static List<Effect> run(double[][] omegas, Batch b, ChunkedExecutor executor) {
    int layers = omegas.length;
    Term[] terms = Term.values();
    double[][] base = new double[layers][b.size];
    // ablated[zl * terms + term][rl][s], for rl >= zl
    double[][][] ablated = new double[layers * terms.length][layers][b.size];
    double[][][] zeroed = new double[layers * terms.length][][];
    for (int zl = 0; zl < layers; zl++) {
      for (Term term : terms) {
        zeroed[zl * terms.length + term.ordinal()] = OmegaForward.zeroed(omegas, zl, term);
      }
    }
    int chunks = (b.size + CHUNK - 1) / CHUNK;
    executor.run(chunks, c -> {
      OmegaForward.Tokens[] states = new OmegaForward.Tokens[layers];
      for (int l = 0; l < layers; l++) {
        states[l] = new OmegaForward.Tokens(b.d, b.n);
      }
      OmegaForward.Tokens t = new OmegaForward.Tokens(b.d, b.n);
      for (int s = c * CHUNK; s < Math.min(b.size, (c + 1) * CHUNK); s++) {
        t.load(b, s);
        for (int l = 0; l < layers; l++) {
          states[l].copyFrom(t); // the input of layer l
          t.apply(omegas[l]);
          base[l][s] = t.prediction();
        }
        for (int zl = 0; zl < layers; zl++) {
          for (Term term : terms) {
            int a = zl * terms.length + term.ordinal();
            t.copyFrom(states[zl]);
            for (int rl = zl; rl < layers; rl++) {
              t.apply(zeroed[a][rl]);
              ablated[a][rl][s] = t.prediction();
            }
          }
        }
      }
    });
    double[] baseLoss = new double[layers];
    for (int l = 0; l < layers; l++) {
      baseLoss[l] = LossSummary.of(halfSquaredErrors(base[l], b.yq)).mean();
    }
    List<Effect> out = new ArrayList<>();
    for (int zl = 0; zl < layers; zl++) {
      for (Term term : terms) {
        double[][] abl = ablated[zl * terms.length + term.ordinal()];
        for (int rl = zl; rl < layers; rl++) {
          double[] diff = new double[b.size];
          for (int s = 0; s < b.size; s++) {
            double e = abl[rl][s] - b.yq[s];
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

  /** Sequences per parallel task. */
  private static final int CHUNK = 64;

  private static double[] halfSquaredErrors(double[] predictions, double[] targets) {
    double[] out = new double[predictions.length];
    for (int s = 0; s < out.length; s++) {
      double e = predictions[s] - targets[s];
      out[s] = 0.5 * e * e;
    }
    return out;
  }
}
