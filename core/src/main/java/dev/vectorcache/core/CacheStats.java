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
 * @param writeBacksQueued write-backs queued after a metadata miss (cache-aside)
 * @param writeBacksWritten write-backs the metadata store applied (a compare-and-set refused
 *     because a newer copy was there is not counted)
 * @param writeBacksDropped write-backs dropped: the queue was full, the breaker was open, or the
 *     cache closed with them queued
 * @param writeBacksPending write-backs waiting in the queue now
 * @param singleFlightJoins payload reads saved because a read of the same key and version was
 *     already under way
 * @param metadataCallsShortCircuited metadata-store calls not sent because the breaker was open
 * @param circuitState the breaker's state now
 * @param circuitOpenings how often the breaker has opened
 * @param deleted entries deleted by key, by filter or by {@link VectorCache#clear()} (not counting
 *     expired ones swept)
 * @param invalidationsPending copies whose removal failed and waits for a retry; while any wait,
 *     readers that trust a copy alone (the semantic cache's exact tier) do not
 * @param nearCacheHits hits hydrated from the near cache, without a read ({@link
 *     VectorCacheBuilder#nearCache(int)}; always 0 without one)
 * @param nearCacheSize entries the near cache holds now (0 without one)
 */
public record CacheStats(
    long stores,
    long searches,
    long metadataHits,
    long metadataMisses,
    long staleMetadataRejected,
    long metadataStoreFailures,
    long expiredSwept,
    long writeBacksQueued,
    long writeBacksWritten,
    long writeBacksDropped,
    int writeBacksPending,
    long singleFlightJoins,
    long metadataCallsShortCircuited,
    CircuitState circuitState,
    long circuitOpenings,
    long deleted,
    int invalidationsPending,
    long nearCacheHits,
    int nearCacheSize) {}
