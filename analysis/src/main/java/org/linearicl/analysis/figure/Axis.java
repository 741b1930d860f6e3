package org.linearicl.analysis.figure;

import java.awt.Font;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions and labels. Ticks are chosen so that their labels never overlap: on a log axis
 * decades only, every 1st, 2nd, 3rd, 5th, 10th, ... decade, the smallest step whose labels fit;
 * on a linear axis multiples of 1, 2, 2.5 or 5 times a power of ten, likewise.
 */
final class Axis {
  private Axis() {}

  /** Room between two labels, in points. */
  static final double LABEL_GAP = 4;

  private static final int[] DECADE_STEPS = {1, 2, 3, 5, 10, 20, 25, 50, 100};

  /**
   * The exponents {@code e} in {@code [lo, hi]} of the decade ticks {@code 10^e} of an axis of
   * {@code length} points whose labels take {@code labelSize} points along it: every {@code
   * step}-th decade (multiples of step), the smallest step that keeps labels apart.
   */
  static List<Integer> decades(int lo, int hi, double length, double labelSize) {
    if (hi <= lo) {
      throw new IllegalArgumentException("decades need lo < hi, got " + lo + ", " + hi);
    }
    double perDecade = length / (hi - lo);
    int step = DECADE_STEPS[DECADE_STEPS.length - 1];
    for (int s : DECADE_STEPS) {
      if (s * perDecade >= labelSize + LABEL_GAP) {
        step = s;
        break;
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int e = lo; e <= hi; e++) {
      if (Math.floorMod(e, step) == 0) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The ticks of a linear axis from {@code min} to {@code max} of {@code length} points, with
   * labels in {@code font}; {@code along} says whether a label's width ({@code true}, an x axis)
   * or its height (a y axis) runs along the axis. {@code integers}: whole-number steps only.
   */
  static double[] linear(double min, double max, double length, Font font, boolean along,
      boolean integers) {
    double span = max - min;
    double base = Math.pow(10, Math.floor(Math.log10(span)) - 2);
    for (int k = 0; k < 6; k++) {
      for (double m : new double[] {1, 2, 2.5, 5}) {
        double step = m * base * Math.pow(10, k);
        if (integers && (step < 1 || step != Math.rint(step))) {
          continue;
        }
        double[] ticks = multiples(min, max, step);
        double size = 0;
        for (double t : ticks) {
          size = Math.max(size, along ? Palette.width(label(t, step), font)
              : Palette.height(font));
        }
        if (step / span * length >= size + LABEL_GAP) {
          return ticks;
        }
      }
    }
    return new double[] {min, max};
  }

  private static double[] multiples(double min, double max, double step) {
    double eps = step * 1e-9;
    long from = (long) Math.ceil((min - eps) / step);
    long to = (long) Math.floor((max + eps) / step);
    double[] out = new double[(int) Math.max(0, to - from + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (from + i) * step;
    }
    return out;
  }

  /** The step between ticks (0 for fewer than two). */
  static double step(double[] ticks) {
    return ticks.length < 2 ? 0 : ticks[1] - ticks[0];
  }

  /** The label of tick {@code v} on an axis with tick step {@code step}: as many decimals as the step needs. */
  static String label(double v, double step) {
    // the step is a difference of two ticks: 6 significant digits drop its binary noise
    int decimals = step > 0 ? Math.max(0, new BigDecimal(step).round(new java.math.MathContext(6))
        .stripTrailingZeros().scale()) : 2;
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
  }

  /** A value in two significant digits, for off-scale marks: 3e80, 0.5, -2e-4, 0. */
  static String compact(double v) {
    return significant(v, 2);
  }

  /**
   * A value in {@code digits} significant digits without trailing zeros, plain from 1e-3 to
   * 1e5, else as {@code 3e80} (colour-bar labels, off-scale marks).
   */
  static String significant(double v, int digits) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) {
      return new BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros()
          .toPlainString();
    }
    String s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", v); // -2.50e+07
    String mantissa = s.substring(0, s.indexOf('e'));
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("\\.?0+$", "");
    }
    int exponent = Integer.parseInt(s.substring(s.indexOf('e') + 1));
    return mantissa + "e" + exponent;
  }
}
