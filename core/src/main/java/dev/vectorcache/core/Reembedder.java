package dev.vectorcache.core;

import org.jspecify.annotations.Nullable;

/**
 * Computes an entry's embedding with the new model of a {@link MigrationPlan}. The caller supplies
 * it: the cache has no model of its own. It is called for each entry the backfill copies, and for
 * each entry stored while the migration runs (the dual write), on the thread that runs that work.
 *
 * <p>It is usually built from what the metadata holds (the text that was embedded, say); the
 * entry's vector under the previous model is given too, for models that map one space to another.
 */
@FunctionalInterface
public interface Reembedder {

  /**
   * The entry's embedding under the new model.
   *
   * @param entry the entry (key, metadata, version, expiry)
   * @param previousVector its vector under the current model (normalised for Cosine)
   * @return the new vector, of the plan's dimension; or {@code null} to leave the entry behind (it
   *     is counted as failed and is not in the new collection, so it is gone after the switch)
   * @throws RuntimeException to stop the migration (a model outage, say): the exception reaches the
   *     caller of {@link VectorCache#migrate}, and the migration can be resumed later
   */
  float @Nullable [] reEmbed(CacheEntry entry, float[] previousVector);
}
