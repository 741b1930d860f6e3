package org.linearicl.core.model;

/**
 * The lane-interleaved numbers of the block of {@link GradientKernel#LANES} sequences in flight
 * that {@link GradientKernel} and its {@link LayerAlgebra} share: the forward state of every
 * layer and the running gradients of the backward pass. Layer l's D x D block of an array of
 * matrices starts at {@link #matrix}(l), its D-vector at {@link #vector}(l).
 */
final class LaneBlock {
  static final int LANES = GradientKernel.LANES;

  private final int dim;

  /** S_l, l = 0..layers (S_layers only computed on request). */
  final double[] sIn;
  /** q_l, l = 0..layers. */
  final double[] qs;
  /** M_l, l = 0..layers-1 (of the last layer only row d, and only for DIAG and GD++). */
  final double[] ms;
  /** The symmetrised gradient H' w.r.t. the output S of the layer being differentiated. */
  final double[] h;
  /** H w.r.t. its input S, being accumulated. */
  final double[] hNext;
  /** The gradient g_q' w.r.t. the output query of the layer being differentiated. */
  final double[] gq;
  /** g_q w.r.t. its input query, being accumulated. */
  final double[] gqNext;
  /** G_M, the gradient w.r.t. the map M of the layer being differentiated. */
  final double[] gm;

  LaneBlock(ModelShape shape) {
    this.dim = shape.tokenDim();
    int layers = shape.layers();
    int blk = dim * dim * LANES;
    this.sIn = new double[(layers + 1) * blk];
    this.qs = new double[(layers + 1) * dim * LANES];
    this.ms = new double[layers * blk];
    this.h = new double[blk];
    this.hNext = new double[blk];
    this.gq = new double[dim * LANES];
    this.gqNext = new double[dim * LANES];
    this.gm = new double[blk];
  }

  /** The offset of layer l's D x D block in {@link #sIn} and {@link #ms}. */
  int matrix(int l) {
    return l * dim * dim * LANES;
  }

  /** The offset of layer l's D-vector in {@link #qs}. */
  int vector(int l) {
    return l * dim * LANES;
  }
}
