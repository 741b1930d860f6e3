package org.linearicl.core.task;

import java.util.Arrays;
import java.util.Locale;
import org.linearicl.core.random.Gaussian;
import org.linearicl.core.util.Decimal;

/**
 * The distribution p(sigma) of a sequence's noise standard deviation (docs/method.md, the task).
 *
 * <p>Written on the command line and in {@code pipeline.yaml} as {@code fixed:S},
 * {@code uniform:S} (uniform on (0, S)) or {@code categorical:A,B,...} (uniform over the set).
 */
public sealed interface NoiseDistribution
    permits NoiseDistribution.Fixed, NoiseDistribution.Uniform, NoiseDistribution.Categorical {

  /** Draws one sigma. */
  double sample(Gaussian rng);

  /** The largest sigma the distribution can produce (the in-distribution range is [0, max]). */
  double max();

  /** E[sigma^2], the mean noise variance. */
  double secondMoment();

  /** The canonical spec, e.g. {@code uniform:5}; {@code parse(spec())} gives an equal value. */
  String spec();

  /** A short name for file names and table keys: {@code fixed0.5}, {@code u5}, {@code c1-3}. */
  String key();

  /**
   * The column key of the paper's Table 1: {@code u0..u7}, and {@code c13}, {@code c135} for
   * the categorical sets of one-digit integers (written without separators); any other
   * distribution its own {@link #key()}, which cannot be confused with those.
   */
  default String paperKey() {
    if (this instanceof Categorical c) {
      StringBuilder sb = new StringBuilder("c");
      for (double s : c.sigmas()) {
        if (s != Math.rint(s) || s < 0 || s > 9) {
          return key();
        }
        sb.append(Decimal.shortest(s));
      }
      return sb.toString();
    }
    return key();
  }

  /**
   * The upper end of the standard per-variance profile (docs/method.md, evaluation and
   * baselines): max + 1, and at least 6 for categorical distributions.
   */
  default double profileMax() {
    double hi = max() + 1.0;
    return this instanceof Categorical ? Math.max(hi, 6.0) : hi;
  }

  /**
   * The standard sigma grid of a per-variance profile: {@code points} equally spaced values on
   * [0, {@link #profileMax()}]. The evaluation's profiles and the training's off-range check both
   * use it.
   *
   * @throws IllegalArgumentException if {@code points < 2}
   */
  default double[] profileGrid(int points) {
    return profileGrid(profileMax(), points);
  }

  /**
   * {@code points} equally spaced sigmas on [0, {@code max}].
   *
   * @throws IllegalArgumentException if {@code points < 2}
   */
  static double[] profileGrid(double max, int points) {
    if (points < 2) {
      throw new IllegalArgumentException("profile points must be >= 2, got " + points);
    }
    double[] grid = new double[points];
    for (int i = 0; i < points; i++) {
      grid[i] = max * i / (points - 1);
    }
    return grid;
  }

  /** Every sigma is the same. */
  record Fixed(double sigma) implements NoiseDistribution {
    public Fixed {
      requireSigma("fixed sigma", sigma);
    }

    @Override
    public double sample(Gaussian rng) {
      return sigma;
    }

    @Override
    public double max() {
      return sigma;
    }

    @Override
    public double secondMoment() {
      return sigma * sigma;
    }

    @Override
    public String spec() {
      return "fixed:" + Decimal.shortest(sigma);
    }

    @Override
    public String key() {
      return "fixed" + Decimal.shortest(sigma);
    }
  }

  /** sigma ~ U(0, sigmaMax); sigmaMax = 0 is the noiseless task. */
  record Uniform(double sigmaMax) implements NoiseDistribution {
    public Uniform {
      requireSigma("uniform sigma_max", sigmaMax);
    }

    @Override
    public double sample(Gaussian rng) {
      return sigmaMax * rng.uniform();
    }

    @Override
    public double max() {
      return sigmaMax;
    }

    @Override
    public double secondMoment() {
      return sigmaMax * sigmaMax / 3.0;
    }

    @Override
    public String spec() {
      return "uniform:" + Decimal.shortest(sigmaMax);
    }

    @Override
    public String key() {
      return "u" + Decimal.shortest(sigmaMax);
    }
  }

  /** sigma uniform over a finite set of values (kept sorted and distinct). */
  record Categorical(double[] sigmas) implements NoiseDistribution {
    public Categorical {
      if (sigmas == null || sigmas.length == 0) {
        throw new IllegalArgumentException("categorical noise: expected at least one sigma");
      }
      sigmas = sigmas.clone();
      for (double s : sigmas) {
        requireSigma("categorical sigma", s);
      }
      Arrays.sort(sigmas);
      for (int i = 1; i < sigmas.length; i++) {
        if (sigmas[i] == sigmas[i - 1]) {
          throw new IllegalArgumentException(
              "categorical noise: sigma " + Decimal.shortest(sigmas[i]) + " is listed twice");
        }
      }
    }

    @Override
    public double[] sigmas() {
      return sigmas.clone();
    }

    @Override
    public double sample(Gaussian rng) {
      return sigmas[rng.uniformInt(sigmas.length)];
    }

    @Override
    public double max() {
      return sigmas[sigmas.length - 1];
    }

    @Override
    public double secondMoment() {
      double sum = 0.0;
      for (double s : sigmas) {
        sum += s * s;
      }
      return sum / sigmas.length;
    }

    @Override
    public String spec() {
      return "categorical:" + join(",");
    }

    @Override
    public String key() {
      return "c" + join("-");
    }

    private String join(String separator) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < sigmas.length; i++) {
        sb.append(i == 0 ? "" : separator).append(Decimal.shortest(sigmas[i]));
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Categorical c && Arrays.equals(sigmas, c.sigmas);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(sigmas);
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /**
   * Parses {@code fixed:S}, {@code uniform:S} or {@code categorical:A,B,...}.
   *
   * @throws IllegalArgumentException naming what was expected, for any malformed spec
   */
  static NoiseDistribution parse(String spec) {
    String expected = "expected fixed:S, uniform:S or categorical:A,B,... with sigmas >= 0";
    if (spec == null) {
      throw new IllegalArgumentException("noise spec is missing; " + expected);
    }
    int colon = spec.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("noise spec '" + spec + "': " + expected);
    }
    String kind = spec.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String body = spec.substring(colon + 1).trim();
    try {
      return switch (kind) {
        case "fixed" -> new Fixed(number(body));
        case "uniform" -> new Uniform(number(body));
        case "categorical" -> {
          String[] parts = body.split(",", -1);
          double[] sigmas = new double[parts.length];
          for (int i = 0; i < parts.length; i++) {
            sigmas[i] = number(parts[i].trim());
          }
          yield new Categorical(sigmas);
        }
        default -> throw new IllegalArgumentException("unknown noise kind '" + kind + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("noise spec '" + spec + "': " + e.getMessage()
          + "; " + expected, e);
    }
  }

  private static double number(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a sigma is empty");
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
  }

  private static void requireSigma(String what, double sigma) {
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException(
          what + " must be a finite number >= 0, got " + Decimal.shortest(sigma));
    }
  }
}
