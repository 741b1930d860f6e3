/**
 * Losses with standard errors, and the paired comparison against the oracle (docs/method.md,
 * evaluation and baselines).
 */
package org.linearicl.core.eval;
