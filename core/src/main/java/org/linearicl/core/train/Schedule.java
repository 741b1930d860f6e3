package org.linearicl.core.train;

import java.util.Locale;
import org.linearicl.core.util.Checks;

/**
 * A learning-rate schedule: the multiplier of the base rate at each step (0-based).
 *
 * <p>Written as {@code constant}, or {@code cosine} (linear warm-up over {@code warmup} steps
 * from 0 to 1, then cosine decay to {@code finalFraction} at the last step).
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.WarmupCosine {

  /** The multiplier for {@code step} in [0, totalSteps). */
  double factor(long step, long totalSteps);

  /** The canonical text, e.g. {@code cosine:warmup=200,final=0.01}. */
  String spec();

  /** lr(step) = base. */
  record Constant() implements Schedule {
    @Override
    public double factor(long step, long totalSteps) {
      return 1.0;
    }

    @Override
    public String spec() {
      return "constant";
    }
  }

  /**
   * lr(step) = base * (step + 1) / warmup during warm-up; afterwards
   * base * (f + (1 - f) * (1 + cos(pi * t)) / 2) with t going from 0 to 1 over the remaining steps.
   */
  record WarmupCosine(long warmup, double finalFraction) implements Schedule {
    public WarmupCosine {
      Checks.atLeast("schedule warmup", warmup, 0);
      if (!(finalFraction >= 0 && finalFraction <= 1)) {
        throw new IllegalArgumentException(
            "schedule final fraction must be in [0, 1], got " + finalFraction);
      }
    }

    @Override
    public double factor(long step, long totalSteps) {
      if (step < warmup) {
        return (step + 1.0) / warmup;
      }
      long decaySteps = totalSteps - warmup;
      double t = decaySteps <= 1 ? 1.0 : (double) (step - warmup) / (decaySteps - 1);
      return finalFraction + (1.0 - finalFraction) * 0.5 * (1.0 + StrictMath.cos(Math.PI * t));
    }

    @Override
    public String spec() {
      return String.format(Locale.ROOT, "cosine:warmup=%d,final=%s", warmup,
          org.linearicl.core.util.Decimal.shortest(finalFraction));
    }
  }

  /**
   * Parses {@code constant}, {@code cosine}, or {@code cosine:warmup=W,final=F} (defaults:
   * warm-up 5% of the steps is chosen by the caller; here warmup=0, final=0.01).
   */
  static Schedule parse(String text) {
    String expected = "expected constant or cosine[:warmup=STEPS,final=FRACTION]";
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("constant")) {
      return new Constant();
    }
    if (t.equals("cosine") || t.startsWith("cosine:")) {
      long warmup = 0;
      double fin = 0.01;
      if (t.startsWith("cosine:")) {
        for (String part : t.substring("cosine:".length()).split(",")) {
          String[] kv = part.split("=", 2);
          try {
            switch (kv[0].trim()) {
              case "warmup" -> warmup = Long.parseLong(kv[1].trim());
              case "final" -> fin = Double.parseDouble(kv[1].trim());
              default -> throw new IllegalArgumentException(
                  "schedule '" + text + "': unknown setting '" + kv[0] + "'; " + expected);
            }
          } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("schedule '" + text + "': '" + part
                + "' is not KEY=NUMBER; " + expected);
          }
        }
      }
      return new WarmupCosine(warmup, fin);
    }
    throw new IllegalArgumentException("schedule '" + text + "': " + expected);
  }
}
