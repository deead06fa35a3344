package dev.vectorcache.qdrant.testserver;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the test server can inject into calls; switch it on with {@link Faults}.
 *
 * <ul>
 *   <li>{@link #UNAVAILABLE}: the call fails with {@code UNAVAILABLE} before reaching the store.
 *   <li>{@link #DEADLINE_EXCEEDED}: the server holds the call until past the client's deadline (or
 *       {@link #HANG_WITHOUT_DEADLINE} when the call has none), then fails it with {@code
 *       DEADLINE_EXCEEDED}; nothing is applied.
 *   <li>{@link #APPLY_THEN_FAIL}: the call is applied to the store, then its answer is replaced by
 *       {@code UNAVAILABLE}: the ambiguous outcome of a write whose reply was lost.
 *   <li>{@link #slow(Duration)}: the call runs normally, but its reply is held this long.
 * </ul>
 */
public final class FaultMode {
  /** How long a DEADLINE_EXCEEDED fault holds a call that has no deadline. */
  public static final Duration HANG_WITHOUT_DEADLINE = Duration.ofSeconds(30);

  /** The kinds of fault. */
  public enum Kind {
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    APPLY_THEN_FAIL,
    SLOW
  }

  public static final FaultMode UNAVAILABLE = new FaultMode(Kind.UNAVAILABLE, Duration.ZERO);
  public static final FaultMode DEADLINE_EXCEEDED =
      new FaultMode(Kind.DEADLINE_EXCEEDED, Duration.ZERO);
  public static final FaultMode APPLY_THEN_FAIL =
      new FaultMode(Kind.APPLY_THEN_FAIL, Duration.ZERO);

  private final Kind kind;
  private final Duration delay;

  private FaultMode(Kind kind, Duration delay) {
    this.kind = kind;
    this.delay = delay;
  }

  /** Every affected call is served normally, its reply held back for {@code delay}. */
  public static FaultMode slow(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return new FaultMode(Kind.SLOW, delay);
  }

  public Kind kind() {
    return kind;
  }

  /** The delay of a {@link Kind#SLOW} fault; zero otherwise. */
  public Duration delay() {
    return delay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultMode f && kind == f.kind && delay.equals(f.delay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, delay);
  }

  @Override
  public String toString() {
    return kind == Kind.SLOW ? "SLOW(" + delay + ")" : kind.name();
  }
}
