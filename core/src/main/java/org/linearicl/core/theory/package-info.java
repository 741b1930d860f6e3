/** Closed forms from the paper's analysis and our own derivations, used as test oracles. */
package org.linearicl.core.theory;
