package dev.vectorcache.core;

import dev.vectorcache.core.model.Payloads;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One cached entry as {@link VectorCache} returns it.
 *
 * @param key the application's key
 * @param metadata the application's metadata (JSON values: String, Boolean, Long, Double, List,
 *     Map, null), unmodifiable
 * @param expiresAt when the entry expires; it is never returned at or after this instant
 * @param version the write that produced it; changes with every store of the key
 */
public record CacheEntry(
    String key, Map<String, Object> metadata, Instant expiresAt, long version) {
  public CacheEntry {
    Objects.requireNonNull(key, "key");
    metadata = Payloads.copy(metadata, "metadata");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
