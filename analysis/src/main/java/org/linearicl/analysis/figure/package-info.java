/**
 * Figures: a thin, deterministic facade over XChart. {@link org.linearicl.analysis.figure.LinePlot}
 * (loss against layers or sigma, log axis, error bars, in-distribution band) and {@link
 * org.linearicl.analysis.figure.HeatMap} (P and Q matrices) build charts; {@link
 * org.linearicl.analysis.figure.FigureWriter} writes PNG and SVG, one chart or a grid of panels.
 */
package org.linearicl.analysis.figure;
