package org.linearicl.core.model;

import java.util.Objects;

/**
 * The argument checks the kernels ({@link GradientKernel}, {@link SpectralGdpp}) share, each a
 * one-line IllegalArgumentException that names the argument and what was expected.
 */
final class KernelArgs {
  private KernelArgs() {}

  /** The sequences' d and n must be the model's. */
  static void sameTask(int d, int n, int gotD, int gotN, String what) {
    if (gotD != d || gotN != n) {
      throw new IllegalArgumentException(what + " must have d = " + d + " and n = " + n
          + " (the model's), got d = " + gotD + ", n = " + gotN);
    }
  }

  /** {@code 0 <= from <= to <= size}. */
  static void range(int from, int to, int size, String what) {
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException("range [from, to) must satisfy 0 <= from <= to <= "
          + size + " (" + what + " size), got [" + from + ", " + to + ")");
    }
  }

  /** An output array with at least {@code needed} entries. */
  static void length(String name, double[] a, long needed) {
    Objects.requireNonNull(a, name);
    if (a.length < needed) {
      throw new IllegalArgumentException(name + " needs at least " + needed + " entries, got "
          + a.length);
    }
  }

  /** The outputs of {@code predict}: finalOut, and one row per layer if perLayerOut is given. */
  static void predictions(int layers, int to, double[][] perLayerOut, double[] finalOut) {
    length("finalOut", finalOut, to);
    if (perLayerOut != null) {
      if (perLayerOut.length != layers) {
        throw new IllegalArgumentException("perLayerOut needs " + layers + " rows (one per layer),"
            + " got " + perLayerOut.length);
      }
      for (int l = 0; l < layers; l++) {
        if (perLayerOut[l] == null || perLayerOut[l].length < to) {
          throw new IllegalArgumentException("perLayerOut[" + l + "] needs at least " + to
              + " entries");
        }
      }
    }
  }
}
