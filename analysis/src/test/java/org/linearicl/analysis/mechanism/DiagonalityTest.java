package org.linearicl.analysis.mechanism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Embedding;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;

class DiagonalityTest {
  @Test
  void aDiagModelEmbeddedInFullHasNoOffDiagonalMassAndProjectsBackExactly() {
    ModelShape diag = new ModelShape(Variant.DIAG, 3, 2, 10);
    double[] p = AblationTest.randomParams(diag, 3, 0.7);
    ModelShape full = new ModelShape(Variant.FULL, 3, 2, 10);
    double[] embedded = Embedding.embed(diag, p, full, 0.0);
    for (Diagonality.Layer l : Diagonality.measure(full, embedded)) {
      // zero up to the round-off of tr(P_xx) / d, whose d equal terms need not average exactly
      assertEquals(0.0, l.offShare(), 1e-30, l.toString());
    }
    assertArrayEquals(p, Diagonality.projectToDiag(full, embedded), 1e-15);
  }

  @Test
  void theResidualIsSplitByBlockAndItsRankIsRead() {
    int d = 3;
    int dim = d + 1;
    ModelShape full = new ModelShape(Variant.FULL, 1, 1, d);
    double[] p = new double[full.size()];
    // P = 2 I_x (+ p_y = 1) plus a rank-one xx residual u u^T with u = (1, -1, 0), plus P_xy = 1
    for (int i = 0; i < d; i++) {
      p[i * dim + i] = 2;
    }
    p[d * dim + d] = 1;
    double[] u = {1, -1, 0};
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        p[r * dim + c] += u[r] * u[c];
      }
    }
    p[0 * dim + d] = 1;
    Diagonality.Layer pl = Diagonality.measure(full, p)[0];
    // the identity part is tr/d = (6 + 2) / 3; the xx residual is u u^T - (2/3) I
    double c = 2.0 / 3.0;
    double xxResidual = 0;
    double mass = 0;
    for (int r = 0; r < d; r++) {
      for (int k = 0; k < d; k++) {
        double e = u[r] * u[k] - (r == k ? c : 0);
        xxResidual += e * e;
        double v = (r == k ? 2 : 0) + u[r] * u[k];
        mass += v * v;
      }
    }
    mass += 1 + 1; // P_yy and P_xy
    assertEquals(mass, pl.mass(), 1e-12);
    assertEquals((xxResidual + 1) / mass, pl.offShare(), 1e-12);
    assertEquals(xxResidual / (xxResidual + 1), pl.xxShare(), 1e-12);
    assertEquals(1 / (xxResidual + 1), pl.xyShare(), 1e-12);
    assertEquals(0.0, pl.yxShare(), 0.0);
    // u u^T - c I has singular values |2 - c| = 4/3 and c, c: the top one holds 16/9 of 16/9 + 8/9
    assertEquals((16.0 / 9) / (16.0 / 9 + 8.0 / 9), pl.xxTopRankShare(), 1e-12);
    double[] projected = Diagonality.projectToDiag(full, p);
    assertArrayEquals(new double[] {8.0 / 3, 1, 0, 0}, projected, 1e-15);
  }
}
