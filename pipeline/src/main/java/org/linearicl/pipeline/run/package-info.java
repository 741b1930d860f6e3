/**
 * The runner: takes an expanded {@link org.linearicl.pipeline.spec.Pipeline}, works out which
 * stages are fresh in the cache and why the others are not ({@link
 * org.linearicl.pipeline.run.Inspector}), runs the rest in topological order here or as Slurm
 * jobs, commits each one to the cache, and publishes the results (with published.json and
 * timings.json).
 *
 * <p>Imports {@link org.linearicl.pipeline.spec}, {@link org.linearicl.pipeline.cache} and the
 * stage contract of {@code experiments.stage}; never the command line. Entry points: {@link
 * org.linearicl.pipeline.run.Runner} with its {@link org.linearicl.pipeline.run.RunOptions},
 * giving a {@link org.linearicl.pipeline.run.RunReport}.
 */
package org.linearicl.pipeline.run;
