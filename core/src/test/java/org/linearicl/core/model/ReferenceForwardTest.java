package org.linearicl.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.linearicl.core.task.Batch;

/** The reference forward pass on numbers worked out by hand (the fast paths test against it). */
class ReferenceForwardTest {

  /** d = 1, n = 2: context (1, 2), (3, -1), query x = 2. */
  private static Batch tiny() {
    Batch b = new Batch(1, 1, 2);
    b.x[0] = 1;
    b.y[0] = 2;
    b.x[1] = 3;
    b.y[1] = -1;
    b.xq[0] = 2;
    return b;
  }

  @Test
  void oneFullLayerMapsEveryTokenByTheLayerMatrix() {
    // S = [[10, -1], [-1, 5]] (context only), P = diag(1, 2), Q = [[0, 1], [1, 0]]:
    // P S Q = [[-1, 10], [10, -2]], M = I + (1/2) P S Q = [[0.5, 5], [5, 0]]
    ModelShape shape = new ModelShape(Variant.FULL, 1, 1, 1);
    double[] p = {1, 0, 0, 2, 0, 1, 1, 0};
    double[][][] t = ReferenceForward.tokens(shape, p, tiny(), 0);
    assertEquals(2, t.length);
    assertArrayEquals(new double[] {1, 2}, t[0][0]);
    assertArrayEquals(new double[] {3, -1}, t[0][1]);
    assertArrayEquals(new double[] {2, 0}, t[0][2]);
    assertArrayEquals(new double[] {10.5, 5}, t[1][0]);
    assertArrayEquals(new double[] {-3.5, 15}, t[1][1]);
    assertArrayEquals(new double[] {1, 10}, t[1][2]);
    assertArrayEquals(new double[][] {{-10}}, ReferenceForward.predictions(shape, p, tiny()));
  }

  @Test
  void diagAndGdppHaveTheirDiagonalFactors() {
    // DIAG (p_x, p_y, q_x, q_y) = (1, 2, 3, 4): P S Q = [[30, -4], [-6, 40]],
    // M = [[16, -2], [-3, 21]]; GD++ (1, 2, 3) is DIAG with q_y = 0: M = [[16, 0], [-3, 1]]
    double[][][] diag = ReferenceForward.tokens(new ModelShape(Variant.DIAG, 1, 1, 1),
        new double[] {1, 2, 3, 4}, tiny(), 0);
    assertArrayEquals(new double[] {12, 39}, diag[1][0]);
    assertArrayEquals(new double[] {32, -6}, diag[1][2]);
    double[][][] gdpp = ReferenceForward.tokens(new ModelShape(Variant.GDPP, 1, 1, 1),
        new double[] {1, 2, 3}, tiny(), 0);
    assertArrayEquals(new double[] {16, -1}, gdpp[1][0]);
    assertArrayEquals(new double[] {32, -6}, gdpp[1][2]);
  }

  @Test
  void aSecondLayerMapsTheFirstLayersTokensQueryIncluded() {
    // layer 1 as above; layer 2: P = diag(0.5, 1), Q = diag(1, -1). Its S from the context
    // after layer 1, (10.5, 5) and (-3.5, 15): [[122.5, 0], [0, 250]], so
    // M = I + (1/2) P S Q = diag(31.625, -124), and the query's y-slot after layer 1 (10) counts
    ModelShape shape = new ModelShape(Variant.FULL, 2, 1, 1);
    double[] p = {1, 0, 0, 2, 0, 1, 1, 0, 0.5, 0, 0, 1, 1, 0, 0, -1};
    double[][][] t = ReferenceForward.tokens(shape, p, tiny(), 0);
    assertEquals(3, t.length);
    assertArrayEquals(new double[] {332.0625, -620}, t[2][0]);
    assertArrayEquals(new double[] {-110.6875, -1860}, t[2][1]);
    assertArrayEquals(new double[] {31.625, -1240}, t[2][2]);
    assertArrayEquals(new double[][] {{-10}, {1240}},
        ReferenceForward.predictions(shape, p, tiny()));
  }

  @Test
  void badArgumentsAreRejected() {
    ModelShape shape = new ModelShape(Variant.FULL, 1, 1, 1);
    double[] p = new double[8];
    assertThrows(IllegalArgumentException.class,
        () -> ReferenceForward.tokens(shape, new double[7], tiny(), 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> ReferenceForward.tokens(shape, p, tiny(), 1));
    assertThrows(IllegalArgumentException.class,
        () -> ReferenceForward.predictions(shape, p, new Batch(1, 2, 2)));
  }
}
