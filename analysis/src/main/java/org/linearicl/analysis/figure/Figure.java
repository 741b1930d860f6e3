package org.linearicl.analysis.figure;

import org.knowm.xchart.internal.chartpart.Chart;

/** Something that builds an XChart chart: {@link LinePlot}, {@link HeatMap}. */
public interface Figure {
  /** A new chart (each call builds a fresh one, so a figure can be rendered repeatedly). */
  Chart<?, ?> toChart();
}
