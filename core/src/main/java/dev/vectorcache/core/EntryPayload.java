package dev.vectorcache.core;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The schema of a cache entry's payload in the vector store: the application's metadata plus the
 * cache's own bookkeeping fields, whose names all start with {@value #RESERVED_PREFIX}.
 *
 * <p>This is the one place that names those fields. Tools that read a collection directly (or test
 * it) use the constants here; the cache's encoding and decoding of payloads, and the filters that
 * keep expired entries out of searches, live here too (package-private).
 *
 * <ul>
 *   <li>{@value #KEY}: the application's key (a string; a keyword payload index).
 *   <li>{@value #EXPIRES_AT}: the expiry instant in epoch milliseconds (an integer; an integer
 *       payload index). Absent for an entry stored with {@link Ttl#none()}: a search treats a
 *       missing expiry as live, and the sweeper never deletes such an entry.
 *   <li>{@value #VERSION}: the write that produced the entry (an integer).
 *   <li>{@value #MODEL}: the id of the embedding model the vector was made with (a string); absent
 *       when the cache was built without a {@code modelId} and has not been migrated.
 * </ul>
 */
public final class EntryPayload {
  /** Payload field holding the application's key. */
  public static final String KEY = "_vc_key";

  /**
   * Payload field holding the expiry instant in epoch milliseconds (an integer); absent for an
   * entry without expiry.
   */
  public static final String EXPIRES_AT = "_vc_expires_at";

  /** Payload field holding the entry's version. */
  public static final String VERSION = "_vc_version";

  /**
   * Payload field holding the id of the embedding model that made the point's vector: the builder's
   * {@code modelId}, or the model of the last {@link VectorCache#migrate migration}.
   */
  public static final String MODEL = "_vc_model";

  /** Prefix reserved for the cache's own payload fields; metadata keys may not start with it. */
  public static final String RESERVED_PREFIX = "_vc_";

  /** The bookkeeping fields only: what a search or a sweep reads. */
  static final PayloadSelector BOOKKEEPING = PayloadSelector.include(KEY, EXPIRES_AT, VERSION);

  /** The version field only: what a delete reads. */
  static final PayloadSelector VERSION_ONLY = PayloadSelector.include(VERSION);

  private EntryPayload() {}

  /** The payload of an entry: its metadata followed by the bookkeeping fields. */
  static Map<String, Object> encode(CacheEntry entry) {
    return encode(entry, null);
  }

  /** {@link #encode(CacheEntry)}, with the model field when {@code modelId} is not null. */
  static Map<String, Object> encode(CacheEntry entry, @Nullable String modelId) {
    Map<String, Object> payload = new LinkedHashMap<>(entry.metadata());
    payload.put(KEY, entry.key());
    if (entry.expiresAt() != null) {
      payload.put(EXPIRES_AT, entry.expiresAt().toEpochMilli());
    }
    payload.put(VERSION, entry.version());
    if (modelId != null) {
      payload.put(MODEL, modelId);
    }
    return payload;
  }

  /** {@code payload} with the model field set to {@code modelId}, or unchanged when it is null. */
  static Map<String, Object> withModel(Map<String, Object> payload, @Nullable String modelId) {
    if (modelId == null) {
      return payload;
    }
    Map<String, Object> out = new LinkedHashMap<>(payload);
    out.put(MODEL, modelId);
    return out;
  }

  /** The bookkeeping fields of a point's payload (which may hold only those fields). */
  static PayloadHit read(PointId id, float score, Map<String, Object> payload) {
    Object k = payload.get(KEY);
    Object e = payload.get(EXPIRES_AT);
    return new PayloadHit(
        id,
        score,
        k instanceof String s ? s : null,
        e instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null,
        version(payload, -1));
  }

  /** The version field of a payload, or {@code fallback} when it has none. */
  static long version(Map<String, Object> payload, long fallback) {
    Object v = payload.get(VERSION);
    return v instanceof Long l ? l : v instanceof Number n ? n.longValue() : fallback;
  }

  /** The application's metadata: the payload without the bookkeeping fields. */
  static Map<String, Object> userMetadata(Map<String, Object> payload) {
    Map<String, Object> out = new LinkedHashMap<>();
    payload.forEach(
        (k, v) -> {
          if (!isReserved(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Whether a metadata key is one the cache keeps for itself. */
  static boolean isReserved(String metadataKey) {
    return metadataKey.startsWith(RESERVED_PREFIX);
  }

  /**
   * {@code filter} (or no constraint) restricted to entries live at {@code now}: the expiry is
   * later than now, or there is none (an entry stored without expiry).
   */
  static Filter live(@Nullable Filter filter, Instant now) {
    Condition notExpired =
        Condition.filter(
            Filter.should(
                Condition.isEmpty(EXPIRES_AT),
                Condition.range(EXPIRES_AT, Range.gt((double) now.toEpochMilli()))));
    return filter == null
        ? Filter.must(notExpired)
        : Filter.must(Condition.filter(filter), notExpired);
  }

  /** Entries expired at {@code now}; an entry without expiry never matches. */
  static Filter expired(Instant now) {
    return Filter.must(Condition.range(EXPIRES_AT, Range.lte((double) now.toEpochMilli())));
  }
}
