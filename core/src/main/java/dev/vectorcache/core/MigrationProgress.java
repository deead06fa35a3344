package dev.vectorcache.core;

/**
 * How far a migration has gone, reported to the plan's listener after each checkpoint.
 *
 * @param modelId the model migrated to
 * @param phase the phase the migration is in
 * @param copied entries copied (re-embedded and written) into the new collection so far
 * @param skippedAsNewer entries the backfill left alone because the new collection already held the
 *     same or a newer version (written by a dual write, or copied before a crash)
 * @param failed entries the {@link Reembedder} returned no vector for, or that are not cache
 *     entries (no key); they are not in the new collection
 * @param expired entries that had expired; they are not copied
 */
public record MigrationProgress(
    String modelId,
    MigrationState.Phase phase,
    long copied,
    long skippedAsNewer,
    long failed,
    long expired) {}
