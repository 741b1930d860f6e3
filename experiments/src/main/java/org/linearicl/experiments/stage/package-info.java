/**
 * The stage SPI between the pipeline runner and the experiments: a {@link
 * org.linearicl.experiments.stage.StageKind} is a named, versioned, pure function from declared
 * parameters and upstream {@link org.linearicl.experiments.stage.Artifact}s to one artifact.
 * Kinds are registered through {@link java.util.ServiceLoader} and found with {@link
 * org.linearicl.experiments.stage.StageKinds}. Nothing here touches files: the runner owns the
 * store, the cache and the schedule.
 */
package org.linearicl.experiments.stage;
