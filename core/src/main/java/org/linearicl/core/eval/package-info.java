/** Losses with standard errors, and the paired comparison against the oracle (SPEC 4). */
package org.linearicl.core.eval;
