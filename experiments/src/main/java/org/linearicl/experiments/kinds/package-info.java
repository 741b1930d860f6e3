/**
 * The experiment stage kinds: {@code train} (one model), {@code tune-baselines} (one noise
 * distribution), {@code evaluate} (every model and baseline of one noise distribution on the
 * shared evaluation sequences) and {@code select} (the best seed per model).
 */
package org.linearicl.experiments.kinds;
