package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamTest {

  /** The first step of bias-corrected Adam moves every parameter by lr * sign(g) (to eps). */
  @Test
  void firstStepIsLrTimesSign() {
    Adam adam = new Adam(new AdamConfig(0.01, 0.9, 0.999, 1e-12), 3);
    double[] p = {1.0, 2.0, 3.0};
    adam.step(p, new double[] {0.5, -4.0, 1e-3}, 0.01);
    assertEquals(0.99, p[0], 1e-12);
    assertEquals(2.01, p[1], 1e-12);
    assertEquals(2.99, p[2], 1e-9);
  }

  /** Two steps against the textbook recursion written out by hand. */
  @Test
  void secondStepMatchesTheRecursion() {
    double b1 = 0.8;
    double b2 = 0.95;
    double eps = 1e-8;
    Adam adam = new Adam(new AdamConfig(0.1, b1, b2, eps), 1);
    double[] p = {0.0};
    double g1 = 2.0;
    double g2 = -1.0;
    adam.step(p, new double[] {g1}, 0.1);
    adam.step(p, new double[] {g2}, 0.05);
    double m1 = (1 - b1) * g1;
    double v1 = (1 - b2) * g1 * g1;
    double p1 = -0.1 * (m1 / (1 - b1)) / (Math.sqrt(v1 / (1 - b2)) + eps);
    double m2 = b1 * m1 + (1 - b1) * g2;
    double v2 = b2 * v1 + (1 - b2) * g2 * g2;
    double p2 = p1 - 0.05 * (m2 / (1 - b1 * b1)) / (Math.sqrt(v2 / (1 - b2 * b2)) + eps);
    assertEquals(p2, p[0], 1e-15);
    assertEquals(2, adam.steps());
  }

  /** Adam minimises a convex quadratic. */
  @Test
  void minimisesAQuadratic() {
    Adam adam = new Adam(new AdamConfig(0.05, 0.9, 0.99, 1e-8), 2);
    double[] p = {3.0, -2.0};
    for (int t = 0; t < 3000; t++) {
      adam.step(p, new double[] {2 * (p[0] - 1), 8 * (p[1] + 0.5)}, 0.05 * (1 - t / 3000.0));
    }
    assertEquals(1.0, p[0], 1e-3);
    assertEquals(-0.5, p[1], 1e-3);
  }

  @Test
  void badHyperParametersNameTheField() {
    assertEquals("lr must be a finite number > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0, 0.9, 0.99, 1e-8))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(1e-3, 1.0, 0.99, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(1e-3, 0.9, 0.99, 0));
  }
}
