package dev.vectorcache.semantic;

/**
 * Receives what an {@code EmbeddingCache} does, so that a metrics module can bind counters and
 * timers to it. Every method has an empty default; keep them short and non-blocking. No method is
 * given a text or a key.
 */
public interface EmbeddingCacheListener {

  /**
   * A lookup of one or more texts completed.
   *
   * @param hits texts answered from the cache
   * @param misses texts that had to be embedded
   * @param nanos how long the whole lookup took (embedding included), in nanoseconds
   */
  default void onLookup(int hits, int misses, long nanos) {}

  /**
   * The embedding function was called once for a batch of misses.
   *
   * @param texts how many texts the call embedded
   * @param nanos how long it took, in nanoseconds
   * @param failed whether it threw or returned unusable vectors
   */
  default void onEmbed(int texts, long nanos, boolean failed) {}

  /**
   * A metadata-store call of the embedding cache failed; the cache carried on (a failed read is a
   * miss, a failed write is dropped).
   *
   * @param operation the port method that failed
   */
  default void onStoreFailure(String operation) {}
}
