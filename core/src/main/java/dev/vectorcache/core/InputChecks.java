package dev.vectorcache.core;

import dev.vectorcache.core.adapter.JsonSize;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.exception.PayloadTooLargeException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.Vectors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cache's checks of its callers' input, run before any I/O. Each throws an {@link
 * InvalidInputException} (or a subclass) naming the field, the expected and the found value.
 */
final class InputChecks {
  static final int MAX_KEY_BYTES = 1024;

  private final CollectionConfig collectionConfig;
  private final Duration defaultTtl;
  private final Duration maxTtl;
  private final long maxPayloadBytes;
  private final int maxLimit;

  InputChecks(
      CollectionConfig collectionConfig,
      Duration defaultTtl,
      Duration maxTtl,
      long maxPayloadBytes,
      int maxLimit) {
    this.collectionConfig = collectionConfig;
    this.defaultTtl = defaultTtl;
    this.maxTtl = maxTtl;
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxLimit = maxLimit;
  }

  /** The same checks for a collection with other settings (the target of a migration). */
  InputChecks withConfig(CollectionConfig config) {
    return new InputChecks(config, defaultTtl, maxTtl, maxPayloadBytes, maxLimit);
  }

  static void key(@Nullable String key, String field) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(
          field, "a non-blank string", key, "every entry needs a key to be found again");
    }
    if (key.length() > MAX_KEY_BYTES) {
      // more chars than bytes allowed: refused without encoding a huge key
      throw new InvalidInputException(
          field,
          "at most " + MAX_KEY_BYTES + " bytes of UTF-8",
          "at least " + key.length() + " bytes",
          "use a hash of the long key");
    }
    int lone = Payloads.loneSurrogateAt(key);
    if (lone >= 0) {
      // such keys would collide: UTF-8 encoding turns every lone surrogate into '?'
      throw new InvalidInputException(
          field,
          "well-formed UTF-16 text",
          Payloads.describeLoneSurrogate(key, lone),
          "the key was cut in the middle of a character; cut it at a code point boundary");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidInputException(
          field,
          "at most " + MAX_KEY_BYTES + " bytes of UTF-8",
          bytes + " bytes",
          "use a hash of the long key");
    }
  }

  /**
   * The vector, checked against the collection. For Cosine it is returned normalised to unit length
   * (a new array unless it already was), computed so that it neither underflows nor overflows;
   * otherwise it is the caller's array itself (the caller copies once).
   */
  float[] vector(float @Nullable [] vector, String field) {
    float[] checked = Vectors.check(vector, field, collectionConfig.vectors());
    if (collectionConfig.distance() == Distance.COSINE) {
      return Vectors.normalizeForCosine(checked);
    }
    return checked;
  }

  /** A copy of the metadata as JSON values, without reserved keys and within the size cap. */
  Map<String, Object> metadata(@Nullable Map<String, ?> meta, String field) {
    if (meta != null) {
      // measured only up to the limit first, so that a huge map is refused without copying it
      long rough = JsonSize.of(meta, maxPayloadBytes);
      if (rough > maxPayloadBytes) {
        throw new PayloadTooLargeException(field, maxPayloadBytes, rough);
      }
    }
    Map<String, Object> copy = Payloads.copy(meta, field);
    for (String k : copy.keySet()) {
      if (EntryPayload.isReserved(k)) {
        throw new InvalidMetadataException(
            field + "." + k,
            "a key that does not start with \"" + EntryPayload.RESERVED_PREFIX + "\"",
            k,
            "that prefix is reserved for the cache's own fields; rename the key");
      }
    }
    long size = JsonSize.of(copy, maxPayloadBytes);
    if (size > maxPayloadBytes) {
      throw new PayloadTooLargeException(field, maxPayloadBytes, size);
    }
    return copy;
  }

  /**
   * Refuses a TTL below 1 ms, the precision of both stores: the one rule for per-entry TTLs and the
   * builder's default and maximum.
   */
  static Duration ttlDuration(Duration d, String field, String fixForZeroOrLess) {
    if (d.isNegative() || d.isZero()) {
      throw new InvalidInputException(field, "a positive duration", d, fixForZeroOrLess);
    }
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new InvalidInputException(field, "at least 1 ms (TTLs have millisecond precision)", d);
    }
    return d;
  }

  @Nullable Duration ttl(@Nullable Ttl ttl, String field) {
    if (ttl == null) {
      return defaultTtl;
    }
    Duration d = ttl.duration().orElse(null);
    if (d == null) {
      return null;
    }
    ttlDuration(
        d, field, "for an entry that never expires pass Ttl.none() (or CacheWrite.withoutExpiry)");
    if (d.compareTo(maxTtl) > 0) {
      throw new InvalidInputException(
          field, "at most " + maxTtl, d, "raise maxTtl on the builder if this is intended");
    }
    return d;
  }

  /**
   * A new expiry for a live entry (a sliding TTL): at least 1 ms after now (the stores keep
   * milliseconds, so anything closer could be expired once written), and no further from now than
   * the largest TTL a store accepts.
   */
  void expiresAt(@Nullable Instant expiresAt, Instant now) {
    if (expiresAt == null || Duration.between(now, expiresAt).compareTo(Duration.ofMillis(1)) < 0) {
      throw new InvalidInputException(
          "expiresAt", "an instant at least 1 ms after now (" + now + ")", expiresAt);
    }
    Instant latest = now.plus(maxTtl);
    if (expiresAt.isAfter(latest)) {
      throw new InvalidInputException(
          "expiresAt",
          "at most maxTtl (" + maxTtl + ") from now, " + latest,
          expiresAt,
          "raise maxTtl on the builder if this is intended");
    }
  }

  void limit(int limit) {
    if (limit < 1 || limit > maxLimit) {
      throw new InvalidInputException(
          "limit", "an integer from 1 to " + maxLimit, limit, "maxLimit is set on the builder");
    }
  }

  void threshold(@Nullable Float threshold) {
    if (threshold == null) {
      return;
    }
    if (!Float.isFinite(threshold)) {
      throw new InvalidInputException("scoreThreshold", "a finite number", threshold);
    }
    Distance d = collectionConfig.distance();
    if (d == Distance.COSINE && (threshold < -1f || threshold > 1f)) {
      throw new InvalidInputException(
          "scoreThreshold", "a Cosine similarity from -1 to 1", threshold);
    }
    if ((d == Distance.EUCLID || d == Distance.MANHATTAN) && threshold < 0f) {
      throw new InvalidInputException(
          "scoreThreshold",
          "a distance of 0 or more (for " + d + " the threshold is a maximum distance)",
          threshold);
    }
  }
}
