/**
 * Evaluation against the oracle (docs/method.md, evaluation and baselines): a model's
 * predictions on a fixed set of sequences, losses with standard errors, and the paired
 * comparison with the oracle's loss on the same sequences.
 */
package org.linearicl.core.eval;
