package dev.vectorcache.semantic;

/**
 * Counters of an {@link EmbeddingCache} since it was built. Hits and misses count distinct texts
 * per call: a call with the same text twice counts it once.
 *
 * @param hits texts answered from the metadata store (by this call's lookup, or by the lookup of a
 *     concurrent call it joined)
 * @param misses texts that had to be embedded (by this call, or by a concurrent call it joined)
 * @param embedCalls calls of the embedding function, failed ones included
 * @param textsEmbedded texts the embedding function returned usable vectors for
 * @param storeFailures metadata-store calls that failed and were tolerated (a failed read is a
 *     miss, a failed write is dropped)
 * @param singleFlightJoins texts a call did not look up or embed itself because a concurrent call
 *     was already resolving them
 */
public record EmbeddingCacheStats(
    long hits,
    long misses,
    long embedCalls,
    long textsEmbedded,
    long storeFailures,
    long singleFlightJoins) {}
