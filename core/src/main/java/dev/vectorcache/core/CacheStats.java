package dev.vectorcache.core;

/**
 * Counters since the cache was built.
 *
 * @param stores entries written to the vector store
 * @param searches similarity searches answered
 * @param metadataHits hits hydrated from the metadata store
 * @param metadataMisses hits hydrated from the vector store's payload (miss or stale copy)
 * @param staleMetadataRejected metadata-store copies ignored because their version differed from
 *     the payload's
 * @param metadataStoreFailures metadata-store calls that failed and were tolerated (logged)
 * @param expiredSwept expired points deleted by {@link VectorCache#sweepExpired()}
 */
public record CacheStats(
    long stores,
    long searches,
    long metadataHits,
    long metadataMisses,
    long staleMetadataRejected,
    long metadataStoreFailures,
    long expiredSwept) {}
