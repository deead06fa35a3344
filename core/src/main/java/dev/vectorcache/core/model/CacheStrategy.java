package dev.vectorcache.core.model;

/** How {@code VectorCache} uses the metadata store when it reads. */
public enum CacheStrategy {
  /**
   * Read metadata from the metadata store; on a miss read the vector store's payload and put it
   * back in the metadata store with the remaining TTL.
   */
  CACHE_ASIDE,
  /** Never read the metadata store: metadata always comes from the vector store's payload. */
  PAYLOAD_ONLY
}
