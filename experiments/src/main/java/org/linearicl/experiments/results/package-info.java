/**
 * The results the experiment stages hand to the analysis: per-noise {@link
 * org.linearicl.experiments.results.Evaluation}s of every trained model and baseline on the
 * shared evaluation sequences, and the {@link org.linearicl.experiments.results.Selection} of
 * the best seed per model, with their JSON codecs (canonical number text, LF, bit-exact round
 * trips).
 */
package org.linearicl.experiments.results;
