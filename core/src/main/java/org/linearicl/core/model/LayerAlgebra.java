package org.linearicl.core.model;

import java.util.Arrays;

/**
 * The part of a layer's forward and backward pass that depends on the variant: how the
 * parameters make the map {@code M_l = I + (1/n) sum_k P_k S_l Q_k}, and the gradient w.r.t.
 * them. {@link FullAlgebra} multiplies by the dense P_k and Q_k; {@link DiagAlgebra} (DIAG and
 * GD++) uses the equivalent {@code M_l = I + (1/n) S_l ∘ W_l} and differentiates w.r.t. the four
 * block values of W_l, which the chain rule takes back to the heads' factors.
 * {@link GradientKernel} chooses one per workspace and runs everything else, the same for every
 * variant.
 *
 * <p>Each implementation holds the scratch only it needs and reads and writes the shared
 * {@link LaneBlock}. The per-lane gradient {@link #gradLanes} holds n times the gradient w.r.t.
 * the implementation's own quantities (FULL: the parameters; DIAG: the block values of W).
 * {@link FlopCount} counts the multiply-adds of these loops and the kernel's: change them together.
 */
abstract class LayerAlgebra {
  static final int LANES = GradientKernel.LANES;

  final LaneOps ops;
  final ModelShape shape;
  final LaneBlock st;
  final int d;
  final int dim;
  final int dd;
  final int layers;
  final int heads;
  final double invN;
  /** n times the gradient, per lane, of every entry this algebra differentiates by. */
  final double[] gradLanes;

  LayerAlgebra(ModelShape shape, int n, LaneOps ops, LaneBlock st, int gradientEntries) {
    this.ops = ops;
    this.shape = shape;
    this.st = st;
    this.d = shape.d();
    this.dim = shape.tokenDim();
    this.dd = dim * dim;
    this.layers = shape.layers();
    this.heads = shape.heads();
    this.invN = 1.0 / n;
    this.gradLanes = new double[gradientEntries * LANES];
  }

  /** The algebra of the shape's variant. */
  static LayerAlgebra of(ModelShape shape, int n, LaneOps ops, LaneBlock st) {
    return shape.variant() == Variant.FULL
        ? new FullAlgebra(shape, n, ops, st)
        : new DiagAlgebra(shape, n, ops, st);
  }

  /** Per-call precomputation from the parameters that does not depend on the sequences. */
  abstract void prepare(double[] params);

  /** {@code M_l - I}, the attention part of layer l's map, into M_l's block of {@code st.ms}. */
  abstract void attention(double[] params, int l);

  /**
   * The last layer's prediction when nothing else of it is needed: adds the attention term of
   * {@code q_L[d]} to {@code st.qs}, which holds the layer's input {@code q[d]} there.
   */
  abstract void forwardLastLayer(double[] params);

  /**
   * The last layer's backward, with {@code g = st.gq[d]} (the loss reads only q_L[d]): adds to
   * {@link #gradLanes}; if {@code needInput}, also to {@code st.h} and {@code st.gqNext} (both
   * zeroed by the caller), the gradients w.r.t. the layer's input.
   */
  abstract void backwardLastLayer(double[] params, boolean needInput);

  /**
   * The variant's part of a middle layer's backward, given {@code G_M} in {@code st.gm}: adds to
   * {@link #gradLanes} and, if {@code needInput}, the attention terms of H to {@code st.hNext}.
   */
  abstract void backwardLayer(double[] params, int l, boolean needInput);

  /** Adds to {@code grad} the gradient w.r.t. the parameters summed over lanes (lane order). */
  abstract void addLaneSums(double[] params, double[] grad);

  /** {@code out[row ..]} = the gradient w.r.t. the parameters of lane {@code lane} alone. */
  abstract void writeLane(double[] params, int lane, double[] out, int row);

  final void clearGradient() {
    Arrays.fill(gradLanes, 0.0);
  }

  /** The sum over lanes of entry {@code index} of a lane-interleaved array, in lane order. */
  static double laneSum(double[] a, int index) {
    double acc = 0.0;
    int o = index * LANES;
    for (int l = 0; l < LANES; l++) {
      acc += a[o + l];
    }
    return acc;
  }
}
