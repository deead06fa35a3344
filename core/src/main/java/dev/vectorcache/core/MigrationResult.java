package dev.vectorcache.core;

import java.time.Duration;

/**
 * The outcome of a finished {@link VectorCache#migrate} call. The counts cover the whole migration,
 * including the part done before a crash and resumed.
 *
 * @param modelId the model the cache now uses
 * @param previousCollection the physical collection read before the switch (now dropped)
 * @param collection the physical collection the cache's name now stands for
 * @param copied entries re-embedded and written into the new collection by the backfill
 * @param skippedAsNewer entries the backfill left alone because the new collection already held the
 *     same or a newer version
 * @param failed entries left behind: the {@link Reembedder} returned no vector, or the point was
 *     not a cache entry
 * @param expired expired entries, not copied
 * @param caughtUp entries rewritten by the final pass over the entries written since the migration
 *     began (writes from other cache instances, or made between a crash and the resume)
 * @param resumed whether this call continued a migration a previous call left unfinished
 * @param duration the time this call took
 */
public record MigrationResult(
    String modelId,
    String previousCollection,
    String collection,
    long copied,
    long skippedAsNewer,
    long failed,
    long expired,
    long caughtUp,
    boolean resumed,
    Duration duration) {}
