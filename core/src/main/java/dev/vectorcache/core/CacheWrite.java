package dev.vectorcache.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry for {@link VectorCache#storeAll}. Validated by the cache, not here, so that a batch
 * reports the index of its first bad entry.
 *
 * @param key the application's key
 * @param vector the embedding (copied)
 * @param metadata JSON-like metadata, or {@code null} for none
 * @param ttl time to live or {@link Ttl#none()}; {@code null} for the cache's default
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the array is copied in and out; equals/hashCode compare contents
public record CacheWrite(
    String key, float @Nullable [] vector, @Nullable Map<String, ?> metadata, @Nullable Ttl ttl) {
  /** Copies the vector. */
  public CacheWrite {
    vector = vector == null ? null : vector.clone();
  }

  /**
   * An entry with a time to live given as a duration.
   *
   * @param key the application's key
   * @param vector the embedding (copied)
   * @param metadata JSON-like metadata, or {@code null} for none
   * @param ttl time to live, or {@code null} for the cache's default
   */
  public CacheWrite(
      String key,
      float @Nullable [] vector,
      @Nullable Map<String, ?> metadata,
      @Nullable Duration ttl) {
    this(key, vector, metadata, ttl == null ? null : Ttl.of(ttl));
  }

  /**
   * An entry with a time to live given as a duration.
   *
   * @param key the application's key
   * @param vector the embedding (copied)
   * @param metadata JSON-like metadata, or {@code null} for none
   * @param ttl time to live, or {@code null} for the cache's default
   * @return the write
   */
  public static CacheWrite of(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Duration ttl) {
    return new CacheWrite(key, vector, metadata, ttl);
  }

  /**
   * An entry with a {@link Ttl}.
   *
   * @param key the application's key
   * @param vector the embedding (copied)
   * @param metadata JSON-like metadata, or {@code null} for none
   * @param ttl time to live or {@link Ttl#none()}; {@code null} for the cache's default
   * @return the write
   */
  public static CacheWrite of(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Ttl ttl) {
    return new CacheWrite(key, vector, metadata, ttl);
  }

  /**
   * An entry that never expires (see {@link Ttl#none()}).
   *
   * @param key the application's key
   * @param vector the embedding (copied)
   * @param metadata JSON-like metadata, or {@code null} for none
   * @return the write
   */
  public static CacheWrite withoutExpiry(
      String key, float[] vector, @Nullable Map<String, ?> metadata) {
    return new CacheWrite(key, vector, metadata, Ttl.none());
  }

  @Override
  public float @Nullable [] vector() {
    return vector == null ? null : vector.clone();
  }

  /** The record's own copy, for the cache's writer, which hands it on to be copied once more. */
  float @Nullable [] vectorNoCopy() {
    return vector;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheWrite w
        && Objects.equals(key, w.key)
        && Arrays.equals(vector, w.vector)
        && Objects.equals(metadata, w.metadata)
        && Objects.equals(ttl, w.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(vector), metadata, ttl);
  }

  @Override
  public String toString() {
    return "CacheWrite[key="
        + key
        + ", dimension="
        + (vector == null ? 0 : vector.length)
        + ", metadata="
        + metadata
        + ", ttl="
        + ttl
        + "]";
  }
}
