/**
 * The analysis stage kinds, registered through {@link java.util.ServiceLoader}: {@code table1},
 * {@code theory}, {@code mechanism}, {@code figures}, {@code models}, {@code report} and {@code
 * html-report}. Each declares its parameters, reads its upstream artifacts (through {@link
 * org.linearicl.analysis.inputs}) and returns one artifact of tables, figures and text; nothing
 * here touches files.
 *
 * <p>It may import every other analysis package, core, baselines and experiments; no other
 * package imports it (the pipeline finds the kinds by name).
 */
package org.linearicl.analysis.kinds;
