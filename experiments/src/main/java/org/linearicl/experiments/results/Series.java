package org.linearicl.experiments.results;

import java.util.Arrays;

/** A curve of means with their standard errors (a profile over sigma, a loss per layer or K). */
public record Series(double[] mean, double[] se) {
  public Series {
    if (mean.length != se.length) {
      throw new IllegalArgumentException("series: " + mean.length + " means but " + se.length
          + " standard errors");
    }
    mean = mean.clone();
    se = se.clone();
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] se() {
    return se.clone();
  }

  public int size() {
    return mean.length;
  }

  public double mean(int i) {
    return mean[i];
  }

  public double se(int i) {
    return se[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s && Arrays.equals(mean, s.mean) && Arrays.equals(se, s.se);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(se);
  }

  @Override
  public String toString() {
    return "Series" + Arrays.toString(mean);
  }
}
