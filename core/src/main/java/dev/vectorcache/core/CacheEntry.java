package dev.vectorcache.core;

import dev.vectorcache.core.model.Payloads;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One cached entry as {@link VectorCache} returns it. Its components come in the same order as
 * those of {@link dev.vectorcache.core.model.MetadataEntry}.
 *
 * @param key the application's key
 * @param metadata the application's metadata (JSON values: String, Boolean, Long, Double, List,
 *     Map, null), unmodifiable
 * @param version the write that produced it; changes with every store of the key
 * @param expiresAt when the entry expires, it being never returned at or after this instant; or
 *     {@code null} for an entry stored with {@link Ttl#none()}
 */
public record CacheEntry(
    String key, Map<String, Object> metadata, long version, @Nullable Instant expiresAt) {
  /** Validates and copies the components. */
  public CacheEntry {
    Objects.requireNonNull(key, "key");
    metadata = Payloads.copy(metadata, "metadata");
  }

  /**
   * Whether the entry has an expiry.
   *
   * @return false for an entry stored with {@link Ttl#none()}
   */
  public boolean expires() {
    return expiresAt != null;
  }
}
