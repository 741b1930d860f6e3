/**
 * The pipeline file (pipeline.yaml, see docs/pipeline.md): read into position-carrying nodes,
 * expanded under one profile into stages, and checked, every problem reported with its
 * {@code file:line:col} before anything runs.
 *
 * <p>{@link org.linearicl.pipeline.spec.PipelineSpec} reads the file and is the entry point;
 * {@link org.linearicl.pipeline.spec.PipelineSpec#expand} gives the {@link
 * org.linearicl.pipeline.spec.Pipeline} (the acyclic graph of {@link
 * org.linearicl.pipeline.spec.Stage}s) or throws a {@link
 * org.linearicl.pipeline.spec.SpecException}. Inside, one expansion's state is its context
 * ({@code SpecContext}: the file, the profile, the problems found); the schema ({@code
 * SpecSchema}: which keys and shapes the file may have), the placeholders ({@code
 * Placeholders}), the foreach grid ({@code Declarations}), the needs ({@code Needs}), the
 * profile's {@code set} and {@code --set} ({@code Overrides}) and the check of each stage against
 * its kind ({@code StageResolver}) are separate jobs around it.
 *
 * <p>Imports {@code org.linearicl.experiments.stage} (the kinds and their params), {@code
 * core.util} and the cache's canonical value text ({@link org.linearicl.pipeline.cache.Canonical},
 * which names stages and substituted values as the cache key writes them); never the runner or
 * the command line.
 */
package org.linearicl.pipeline.spec;
