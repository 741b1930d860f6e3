/**
 * The local cache: a content-addressed store of stage artifacts under one directory, each
 * stage's cache key and its action record (the commit point), the provenance of a run, the
 * cache's lock and crash-safe writes. Every read re-checks what it reads against its digest or
 * checksum.
 *
 * <p>Imports {@code org.linearicl.experiments.stage} (artifacts) and {@code core.util}, no other
 * package of the pipeline. Entry points: {@link org.linearicl.pipeline.cache.Store}, {@link
 * org.linearicl.pipeline.cache.CacheKey} and {@link org.linearicl.pipeline.cache.ActionRecord}.
 */
package org.linearicl.pipeline.cache;
