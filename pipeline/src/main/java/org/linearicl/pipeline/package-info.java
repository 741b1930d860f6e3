/**
 * The pipeline: the command line that runs the experiments as a graph of cached stages. Its
 * packages, each importing only those listed before it (and the lower modules):
 * {@link org.linearicl.pipeline.cache} (the content-addressed store: keys, records, crash-safe
 * writes), {@link org.linearicl.pipeline.cache.remote} (the same cache in an S3 bucket),
 * {@link org.linearicl.pipeline.spec} (pipeline.yaml read, expanded and checked),
 * {@link org.linearicl.pipeline.run} (the runner: what is fresh, what runs, what is published)
 * and {@link org.linearicl.pipeline.cli} (the commands, entry point {@code Main}).
 */
package org.linearicl.pipeline;
