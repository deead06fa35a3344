package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long an answer of a {@link SemanticCache} lives. Immutable; the factories check their
 * arguments and throw {@link InvalidInputException} naming the field.
 *
 * <ul>
 *   <li>{@link #none()}: until it is invalidated or evicted.
 *   <li>{@link #absolute(Duration)}: a fixed time from the put, whatever the hits.
 *   <li>{@link #sliding(Duration)}: {@code window} after the last hit (or the put). Each hit moves
 *       the expiry to {@code now + window} in both stores, in the background: the lookup never
 *       waits for it. A move is made only when it gains at least {@code max(1 s, window / 100)}
 *       ({@code window / 2} for windows under 2 s), so a hot entry costs a few writes per window,
 *       not one per hit.
 *   <li>{@link #sliding(Duration, Duration)}: sliding, but never past {@code maxLifetime} after the
 *       put.
 * </ul>
 *
 * <p>Expiry is enforced by both stores and re-checked on every read against the cache's clock: an
 * answer is never served at or after its expiry, whether or not a move is still queued.
 */
public final class TtlPolicy {
  /** The kinds of policy. */
  public enum Kind {
    /** No expiry. */
    NONE,
    /** A fixed time from the put. */
    ABSOLUTE,
    /** A window after the last hit, optionally within a maximum lifetime. */
    SLIDING
  }

  private static final TtlPolicy NONE = new TtlPolicy(Kind.NONE, null, null);

  private final Kind kind;
  private final @Nullable Duration duration;
  private final @Nullable Duration maxLifetime;

  private TtlPolicy(Kind kind, @Nullable Duration duration, @Nullable Duration maxLifetime) {
    this.kind = kind;
    this.duration = duration;
    this.maxLifetime = maxLifetime;
  }

  /**
   * No expiry: the answer lives until it is invalidated or evicted.
   *
   * @return the policy
   */
  public static TtlPolicy none() {
    return NONE;
  }

  /**
   * A fixed time to live from the put.
   *
   * @param ttl at least 1 ms
   * @return the policy
   */
  public static TtlPolicy absolute(Duration ttl) {
    return new TtlPolicy(Kind.ABSOLUTE, positive(ttl, "ttl"), null);
  }

  /**
   * A sliding window without a maximum lifetime.
   *
   * @param window at least 1 ms
   * @return the policy
   */
  public static TtlPolicy sliding(Duration window) {
    return new TtlPolicy(Kind.SLIDING, positive(window, "ttl.window"), null);
  }

  /**
   * A sliding window within a maximum lifetime from the put.
   *
   * @param window at least 1 ms
   * @param maxLifetime at least {@code window}
   * @return the policy
   */
  public static TtlPolicy sliding(Duration window, Duration maxLifetime) {
    Duration w = positive(window, "ttl.window");
    Duration max = positive(maxLifetime, "ttl.maxLifetime");
    if (max.compareTo(w) < 0) {
      throw new InvalidInputException(
          "ttl.maxLifetime",
          "at least the window (" + w + ")",
          max,
          "an entry lives at least one window");
    }
    return new TtlPolicy(Kind.SLIDING, w, max);
  }

  private static Duration positive(@Nullable Duration d, String field) {
    if (d == null || d.isNegative() || d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new InvalidInputException(
          field,
          "a duration of at least 1 ms (expiries have millisecond precision)",
          d,
          "for an answer that never expires use TtlPolicy.none()");
    }
    return d;
  }

  /**
   * The kind of policy.
   *
   * @return none, absolute or sliding
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The time to live of an absolute policy, or the window of a sliding one.
   *
   * @return the duration; empty for {@link #none()}
   */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  /**
   * The maximum lifetime of a sliding policy.
   *
   * @return the lifetime; empty when there is none
   */
  public Optional<Duration> maxLifetime() {
    return Optional.ofNullable(maxLifetime);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TtlPolicy t
        && kind == t.kind
        && Objects.equals(duration, t.duration)
        && Objects.equals(maxLifetime, t.maxLifetime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, duration, maxLifetime);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "TtlPolicy[none]";
      case ABSOLUTE -> "TtlPolicy[absolute " + duration + "]";
      case SLIDING ->
          "TtlPolicy[sliding "
              + duration
              + (maxLifetime == null ? "" : ", max lifetime " + maxLifetime)
              + "]";
    };
  }
}
