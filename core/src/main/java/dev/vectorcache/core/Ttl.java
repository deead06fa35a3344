package dev.vectorcache.core;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long an entry lives: a positive {@link Duration}, or no expiry at all.
 *
 * <p>Pass one to {@link VectorCache#store(String, float[], java.util.Map, Ttl)} or {@link
 * CacheWrite#of(String, float[], java.util.Map, Ttl)}. Omitting the TTL (the overloads without one,
 * or a {@code null} {@link Duration}) means the builder's {@linkplain
 * VectorCacheBuilder#defaultTtl(Duration) default TTL}. An entry stored with {@link #none()} has no
 * expiry field in its payload and a metadata-store key without TTL; searches return it, and the
 * sweeper leaves it, until it is deleted or stored again.
 *
 * <p>{@code Ttl.of} accepts any non-null duration; the cache rejects one that is zero, negative or
 * above its maximum with an {@link InvalidInputException} before any I/O, naming the field.
 */
public final class Ttl {
  private static final Ttl NONE = new Ttl(null);

  private final @Nullable Duration duration;

  private Ttl(@Nullable Duration duration) {
    this.duration = duration;
  }

  /**
   * A time to live of {@code duration}, counted from the store.
   *
   * @param duration how long the entry lives; must be positive when the cache checks it
   * @return the TTL
   */
  public static Ttl of(Duration duration) {
    return new Ttl(Objects.requireNonNull(duration, "duration"));
  }

  /**
   * No expiry: the entry lives until it is deleted or replaced.
   *
   * @return the TTL meaning "never expires"
   */
  public static Ttl none() {
    return NONE;
  }

  /**
   * Whether this is {@link #none()}.
   *
   * @return true for no expiry
   */
  public boolean isNone() {
    return duration == null;
  }

  /**
   * The duration, or empty for no expiry.
   *
   * @return the time to live
   */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Ttl t && Objects.equals(duration, t.duration);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(duration);
  }

  @Override
  public String toString() {
    return duration == null ? "Ttl[none]" : "Ttl[" + duration + "]";
  }
}
