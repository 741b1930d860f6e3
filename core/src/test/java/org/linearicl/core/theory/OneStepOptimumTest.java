package org.linearicl.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.ContextStats;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;

class OneStepOptimumTest {

  /** The loss of eta* alpha^T x_t / n on each sequence of a fresh sample, at step size eta. */
  private static double[] losses(Batch b, double eta) {
    double[] out = new double[b.size];
    ContextStats st = new ContextStats(b.d, b.n);
    for (int s = 0; s < b.size; s++) {
      st.of(b, s);
      double p = 0;
      for (int k = 0; k < b.d; k++) {
        p += st.alpha[k] * b.xq[s * b.d + k];
      }
      double e = eta * p / b.n - b.yq[s];
      out[s] = 0.5 * e * e;
    }
    return out;
  }

  /**
   * Simulation against the closed form: the mean over N sequences must lie within 4 of its
   * standard errors of the formula, and moving eta by 10% either way must not lower the loss
   * (paired on the same sequences, beyond 4 standard errors of the paired difference).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fixed:0", "uniform:5", "categorical:1,3", "uniform:1"})
  void closedFormMatchesSimulation(String noise) {
    TaskSpec task = TaskSpec.paper(NoiseDistribution.parse(noise));
    Batch b = new TaskSampler(task).sample(60_000, 5, Streams.Purpose.EVALUATION, 0);
    double eta = OneStepOptimum.stepSize(task);
    double[] best = losses(b, eta);
    LossSummary sim = LossSummary.of(best);
    assertEquals(OneStepOptimum.loss(task), sim.mean(), 4 * sim.standardError(),
        "closed form vs simulation for " + noise);
    for (double factor : new double[] {0.9, 1.1}) {
      double[] other = losses(b, eta * factor);
      double[] diff = new double[b.size];
      for (int s = 0; s < b.size; s++) {
        diff[s] = other[s] - best[s];
      }
      LossSummary d = LossSummary.of(diff);
      assertTrue(d.mean() > -4 * d.standardError(),
          "eta*" + factor + " beats eta* by " + d.mean() + " +- " + d.standardError());
    }
  }

  @org.junit.jupiter.api.Test
  void knownValues() {
    assertEquals(55.0 / 31.0, OneStepOptimum.loss(TaskSpec.paper(new NoiseDistribution.Fixed(0))),
        1e-15);
    assertEquals(5.0 * (11 + 25.0 / 3) / (31 + 25.0 / 3),
        OneStepOptimum.loss(TaskSpec.paper(new NoiseDistribution.Uniform(5))), 1e-15);
  }
}
