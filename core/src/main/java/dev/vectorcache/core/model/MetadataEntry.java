package dev.vectorcache.core.model;

import dev.vectorcache.core.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the metadata store holds for one cache key.
 *
 * @param key the cache key, as the application gave it
 * @param metadata the application's metadata (JSON values)
 * @param version a number that changes with every write of this key; the vector store's payload
 *     holds the same number, so a stale copy can be recognised
 * @param expiresAt the absolute expiry instant; the entry is gone at and after it
 */
public record MetadataEntry(
    String key, Map<String, Object> metadata, long version, Instant expiresAt) {
  public MetadataEntry {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException("key", "a non-blank string", key);
    }
    metadata = Payloads.copy(metadata, "metadata");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** True when the entry has expired at {@code now} (expiry is inclusive: gone at expiresAt). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
