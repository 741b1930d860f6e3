/**
 * A remote cache in an S3 bucket with the local cache's content-addressed layout, read through
 * and written through behind a local {@link org.linearicl.pipeline.cache.Store}; every byte read
 * back is checked as the local store checks it, and the remote is write-once.
 *
 * <p>Imports {@link org.linearicl.pipeline.cache}, {@code experiments.stage} and the AWS SDK (only
 * here). Entry point: {@link org.linearicl.pipeline.cache.remote.RemoteCache#open}; failures are
 * {@link org.linearicl.pipeline.cache.remote.RemoteException}s with a one-line message.
 */
package org.linearicl.pipeline.cache.remote;
