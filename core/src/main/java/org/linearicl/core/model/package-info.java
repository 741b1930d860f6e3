/**
 * The linear transformer of SPEC 2 in covariance form (DESIGN.md): shapes and parameter layout,
 * the forward pass with the prediction after every layer, the analytic backward pass, and the
 * implicit linear-regression read-out of Theorem 4.1.
 */
package org.linearicl.core.model;
