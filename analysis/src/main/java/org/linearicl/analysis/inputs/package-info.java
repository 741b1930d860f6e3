/**
 * What the analysis stages read, and the layout they read it in: their upstream artifacts
 * ({@link org.linearicl.analysis.inputs.UpstreamArtifacts}: the selections by noise key, the
 * {@link org.linearicl.analysis.inputs.TrainedModel}s by stage), which selected model an
 * analysis takes ({@link org.linearicl.analysis.inputs.ChosenModels}) and the paper's order,
 * headings and labels ({@link org.linearicl.analysis.inputs.PaperLayout}). Every collection has
 * a fixed order, so outputs never depend on hash order.
 *
 * <p>It may import core, experiments and {@code analysis.table}; the {@code stage} and {@code
 * mechanism} packages import it.
 */
package org.linearicl.analysis.inputs;
