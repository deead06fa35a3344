package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the metadata store holds for one cache key.
 *
 * <p>Its components come in the same order as those of {@code CacheEntry}.
 *
 * @param key the cache key, as the application gave it
 * @param metadata the application's metadata (JSON values)
 * @param version a number that changes with every write of this key; the vector store's payload
 *     holds the same number, so a stale copy can be recognised
 * @param expiresAt the absolute expiry instant, the entry being gone at and after it; or {@code
 *     null} for an entry stored without expiry
 */
public record MetadataEntry(
    String key, Map<String, Object> metadata, long version, @Nullable Instant expiresAt) {
  /** Validates and copies the components. */
  public MetadataEntry {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException("key", "a non-blank string", key);
    }
    metadata = Payloads.copy(metadata, "metadata");
  }

  /**
   * True when the entry has expired at {@code now} (expiry is inclusive: gone at expiresAt); never
   * for an entry without expiry.
   *
   * @param now the instant to test
   * @return whether the entry is gone at {@code now}
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
