package dev.vectorcache.core;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import org.jspecify.annotations.Nullable;

/**
 * The durable record of a migration that has not finished, as {@link
 * VectorCache#pendingMigration()} reads it from the vector store (one point of the collection
 * {@code <name>__migration}). It is written before any other step of the migration and after every
 * batch of the backfill, and deleted when the migration is done, so a cache instance opened after a
 * crash finds it and {@link VectorCache#migrate} continues from {@link #checkpoint()}.
 *
 * @param modelId the model migrated to
 * @param dimension the new collection's dimension
 * @param distance the new collection's distance
 * @param source the physical collection migrated from
 * @param target the physical collection migrated to
 * @param phase where the migration stopped
 * @param startedVersion the first entry version the migration began with, less one minute of slack
 *     for writes in flight; the final pass rechecks every entry from this version on
 * @param checkpoint the scroll offset the backfill continues from, or {@code null} at the start
 * @param copied entries copied so far
 * @param skippedAsNewer entries skipped so far as already newer in the new collection
 * @param failed entries left behind so far
 * @param expired expired entries not copied so far
 */
public record MigrationState(
    String modelId,
    int dimension,
    Distance distance,
    String source,
    String target,
    Phase phase,
    long startedVersion,
    @Nullable PointId checkpoint,
    long copied,
    long skippedAsNewer,
    long failed,
    long expired) {

  /** The steps of a migration, in order. */
  public enum Phase {
    /** The backfill is copying the old collection into the new one, batch by batch. */
    COPYING,
    /**
     * The backfill is done; a last pass rechecks the entries written since the migration began (by
     * other instances, or between a crash and the resume).
     */
    CATCHING_UP,
    /** The copy is complete; the name is being switched to the new collection. */
    SWITCHING
  }

  MigrationState advanced(
      @Nullable PointId next, long copiedNow, long skippedNow, long failedNow, long expiredNow) {
    return new MigrationState(
        modelId,
        dimension,
        distance,
        source,
        target,
        phase,
        startedVersion,
        next,
        copied + copiedNow,
        skippedAsNewer + skippedNow,
        failed + failedNow,
        expired + expiredNow);
  }

  MigrationState inPhase(Phase next) {
    return new MigrationState(
        modelId,
        dimension,
        distance,
        source,
        target,
        next,
        startedVersion,
        checkpoint,
        copied,
        skippedAsNewer,
        failed,
        expired);
  }

  MigrationProgress progress() {
    return new MigrationProgress(modelId, phase, copied, skippedAsNewer, failed, expired);
  }
}
