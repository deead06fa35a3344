package dev.vectorcache.core;

import dev.vectorcache.core.id.PointId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping fields of one point, as a search, a retrieve or a scroll returned it.
 *
 * @param id the point id
 * @param score the search score (0 outside a search)
 * @param key the application's key, or null when the point is not a cache entry
 * @param expiresAt the expiry, or null for an entry without expiry
 * @param version the entry's version, or -1 when the payload has none
 */
record PayloadHit(
    PointId id, float score, @Nullable String key, @Nullable Instant expiresAt, long version) {

  /** Whether this is a cache entry that is live at {@code now}. */
  boolean isLiveAt(Instant now) {
    return key != null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
