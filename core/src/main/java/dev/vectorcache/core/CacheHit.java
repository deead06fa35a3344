package dev.vectorcache.core;

import java.util.Map;
import java.util.Objects;

/**
 * A similarity-search hit with its hydrated entry.
 *
 * @param entry the cached entry
 * @param score similarity (Cosine, Dot: larger is closer) or distance (Euclid, Manhattan: smaller
 *     is closer)
 * @param source where the metadata came from: the metadata store, the vector store's payload after
 *     a metadata-store miss, or this instance's near cache
 */
public record CacheHit(CacheEntry entry, float score, Source source) {
  /** Where a hit's metadata came from. */
  public enum Source {
    METADATA_STORE,
    VECTOR_STORE_PAYLOAD,
    /**
     * The near cache of this instance ({@link VectorCacheBuilder#nearCache(int)}): the same version
     * was hydrated here before, so nothing was read.
     */
    NEAR_CACHE
  }

  public CacheHit {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(source, "source");
  }

  public String key() {
    return entry.key();
  }

  public Map<String, Object> metadata() {
    return entry.metadata();
  }
}
