package dev.vectorcache.core;

/**
 * Receives the events behind {@link CacheStats}, as they happen, so that a metrics module can bind
 * counters or timers to a cache. Register one with {@link VectorCacheBuilder#listener}.
 *
 * <p>Every method has an empty default, so a listener overrides only what it needs. Methods run on
 * the thread that completes the cache operation (often a store's I/O thread): keep them short and
 * non-blocking. An exception thrown by a listener is logged and otherwise ignored; it never fails
 * the cache operation.
 */
public interface CacheListener {

  /** The operations {@link #onOperation} times. */
  enum Operation {
    /** {@code store}, {@code storeAll}. */
    STORE,
    /** {@code get}. */
    GET,
    /** {@code searchSimilar}. */
    SEARCH,
    /** {@code delete}, {@code deleteAll}, {@code deleteWhere}, {@code clear}. */
    DELETE
  }

  /**
   * An operation completed.
   *
   * @param operation which
   * @param nanos how long it took, from the call to its completion, in nanoseconds
   * @param failed whether it completed exceptionally (bad input, refused before any I/O, is not
   *     reported)
   */
  default void onOperation(Operation operation, long nanos, boolean failed) {}

  /**
   * A similarity search returned a hit.
   *
   * @param score its score, in the collection's own terms (similarity or distance)
   */
  default void onHitScore(float score) {}

  /**
   * Entries were deleted by key, by filter or by clear.
   *
   * @param count how many
   */
  default void onDeleted(long count) {}

  /**
   * Entries were written to the vector store.
   *
   * @param count how many entries the write held
   */
  default void onStored(int count) {}

  /** A similarity search was answered. */
  default void onSearch() {}

  /** A hit's metadata came from the metadata store. */
  default void onMetadataHit() {}

  /** A hit's metadata came from the near cache: nothing was read for it. */
  default void onNearCacheHit() {}

  /** A hit's metadata came from the vector store's payload (missing or stale copy). */
  default void onMetadataMiss() {}

  /** A metadata-store copy was ignored because its version differed from the payload's. */
  default void onStaleMetadataRejected() {}

  /**
   * A metadata-store call failed and the cache carried on with the vector store.
   *
   * @param operation the port method that failed, such as {@code "getAll"}
   * @param cause the failure
   */
  default void onMetadataStoreFailure(String operation, Throwable cause) {}

  /**
   * The sweeper deleted expired entries.
   *
   * @param count how many entries were deleted
   */
  default void onExpiredSwept(long count) {}

  /**
   * The breaker in front of the metadata store changed state.
   *
   * @param from the old state
   * @param to the new state
   */
  default void onCircuitStateChange(CircuitState from, CircuitState to) {}

  /**
   * Write-backs were dropped (queue full, breaker open, or the cache closed).
   *
   * @param count how many
   */
  default void onWriteBacksDropped(int count) {}
}
