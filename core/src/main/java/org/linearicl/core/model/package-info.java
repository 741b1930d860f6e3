/**
 * The linear transformer in covariance form (docs/method.md, the model): shapes and parameter
 * layout, the forward pass with the prediction after every layer, the analytic backward pass, and
 * the implicit linear-regression read-out of Theorem 4.1.
 */
package org.linearicl.core.model;
