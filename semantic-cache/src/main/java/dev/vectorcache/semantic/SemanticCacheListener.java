package dev.vectorcache.semantic;

/**
 * Receives what a {@code SemanticCache} does, as it happens, so that a metrics module can bind
 * counters and timers to it (the Micrometer module does). Register one on the builder.
 *
 * <p>Every method has an empty default. Methods run on the thread that completes the operation:
 * keep them short and non-blocking. An exception thrown by a listener is logged and ignored. No
 * method is given a scope, a prompt or a key: metrics must not be tagged with unbounded values.
 */
public interface SemanticCacheListener {

  /**
   * A lookup was answered from the cache.
   *
   * @param tier which tier answered
   * @param score the hit's score in the collection's own terms (for the exact tier, the score a
   *     vector identical to the query would have: 1 for cosine and dot on unit vectors, 0 for the
   *     distances)
   * @param nanos how long the lookup took, in nanoseconds
   */
  default void onHit(Tier tier, double score, long nanos) {}

  /**
   * A lookup found nothing usable.
   *
   * @param nanos how long the lookup took, in nanoseconds
   */
  default void onMiss(long nanos) {}

  /** The validator rejected a semantic hit over the threshold (a false hit avoided). */
  default void onRejected() {}

  /**
   * An answer was stored.
   *
   * @param nanos how long the put took, in nanoseconds
   */
  default void onPut(long nanos) {}

  /**
   * Entries were evicted to keep a size bound.
   *
   * @param count how many
   */
  default void onEvicted(long count) {}

  /**
   * Entries were invalidated by key, scope, filter or all.
   *
   * @param count how many
   */
  default void onInvalidated(long count) {}

  /**
   * Entries of another embedding model were swept.
   *
   * @param count how many
   */
  default void onModelSwept(long count) {}

  /**
   * A sliding TTL moved an entry's expiry (in the background, after a hit).
   *
   * @param count how many entries were moved in one batch
   */
  default void onExpiryExtended(int count) {}
}
