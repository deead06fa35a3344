package dev.vectorcache.semantic;

/**
 * The counters of a {@link SemanticCache} since it was built, from {@link SemanticCache#stats()}.
 * To follow them as they change, register a {@link SemanticCacheListener}.
 *
 * @param exactHits lookups answered by the exact tier
 * @param semanticHits lookups answered by the semantic tier
 * @param misses lookups that found nothing usable
 * @param rejected semantic candidates the validator rejected
 * @param puts answers stored
 * @param evicted entries evicted to keep a size bound
 * @param invalidated entries invalidated (by key, scope, filter or all)
 * @param modelSwept entries of other embedding models swept
 * @param expiryExtensionsQueued sliding-TTL moves queued after hits
 * @param expiryExtensionsDropped moves dropped because the queue was full (the entry then expires
 *     at its earlier expiry unless a later hit queues a move)
 * @param expiryExtended entries whose expiry was moved in the vector store
 */
public record SemanticCacheStats(
    long exactHits,
    long semanticHits,
    long misses,
    long rejected,
    long puts,
    long evicted,
    long invalidated,
    long modelSwept,
    long expiryExtensionsQueued,
    long expiryExtensionsDropped,
    long expiryExtended) {

  /**
   * All hits.
   *
   * @return exact plus semantic hits
   */
  public long hits() {
    return exactHits + semanticHits;
  }

  /**
   * All lookups.
   *
   * @return hits plus misses
   */
  public long lookups() {
    return hits() + misses;
  }
}
