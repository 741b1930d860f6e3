/**
 * Figures, drawn with plain Java 2D: {@link org.linearicl.analysis.figure.LinePlot} (loss against
 * layers or sigma, log axis with decade ticks, error bars, in-distribution band, off-scale values
 * marked at the edge) and {@link org.linearicl.analysis.figure.HeatMap} (a row of P or Q
 * matrices with one colour bar) are panels, {@link org.linearicl.analysis.figure.Blank} an empty
 * cell that keeps a grid's rows and columns; {@link org.linearicl.analysis.figure.FigureWriter}
 * lays them out in a grid with one legend and writes PNG, SVG and PDF (JFreeSVG, JFreePDF: text
 * stays text).
 */
package org.linearicl.analysis.figure;
