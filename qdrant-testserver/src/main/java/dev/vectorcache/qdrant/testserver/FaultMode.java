package dev.vectorcache.qdrant.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A failure the test server can inject into calls; switch it on with {@link Faults}.
 *
 * <table>
 *   <caption>What each mode does</caption>
 *   <tr><th>mode</th><th>applied?</th><th>what the client sees</th></tr>
 *   <tr><td>{@link #UNAVAILABLE}</td><td>no</td><td>{@code UNAVAILABLE} at once: the server could
 *       not be reached (a client may retry)</td></tr>
 *   <tr><td>{@link #DEADLINE_EXCEEDED}</td><td>no</td><td>the server holds the call until past the
 *       client's deadline (or {@link #HANG_WITHOUT_DEADLINE} when the call has none), then answers
 *       {@code DEADLINE_EXCEEDED}: a client without a deadline still gets an answer</td></tr>
 *   <tr><td>{@link #HANG}</td><td>no</td><td>nothing, ever: the server accepts the call and never
 *       answers until the client cancels it (its own deadline) or the server stops; only the
 *       client's deadline ends the wait</td></tr>
 *   <tr><td>{@link #APPLY_THEN_FAIL}</td><td>yes</td><td>{@code UNAVAILABLE} after the call was
 *       applied: the ambiguous outcome of a write whose reply was lost</td></tr>
 *   <tr><td>{@link #APPLY_THEN_HANG}</td><td>yes</td><td>nothing, ever, after the call was
 *       applied: the client's deadline expires on a write that did happen</td></tr>
 *   <tr><td>{@link #slow(Duration)}</td><td>yes</td><td>the normal answer, held back this
 *       long</td></tr>
 * </table>
 *
 * <p>A held call ({@code HANG}, {@code APPLY_THEN_HANG}, a pending {@code DEADLINE_EXCEEDED} or
 * slow reply) is released with {@code UNAVAILABLE} when the server stops, so nothing outlives it.
 */
public final class FaultMode {
  /** How long a DEADLINE_EXCEEDED fault holds a call that has no deadline. */
  public static final Duration HANG_WITHOUT_DEADLINE = Duration.ofSeconds(30);

  /** The kinds of fault. */
  public enum Kind {
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    HANG,
    APPLY_THEN_FAIL,
    APPLY_THEN_HANG,
    SLOW
  }

  public static final FaultMode UNAVAILABLE = new FaultMode(Kind.UNAVAILABLE, Duration.ZERO);
  public static final FaultMode DEADLINE_EXCEEDED =
      new FaultMode(Kind.DEADLINE_EXCEEDED, Duration.ZERO);
  public static final FaultMode HANG = new FaultMode(Kind.HANG, Duration.ZERO);
  public static final FaultMode APPLY_THEN_FAIL =
      new FaultMode(Kind.APPLY_THEN_FAIL, Duration.ZERO);
  public static final FaultMode APPLY_THEN_HANG =
      new FaultMode(Kind.APPLY_THEN_HANG, Duration.ZERO);

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

  /**
   * One mode of each kind, in {@link Kind} order, the slow one holding replies for {@code
   * slowDelay}: what a reliability test draws from with {@link Faults#injectRandomly}.
   */
  public static List<FaultMode> all(Duration slowDelay) {
    return List.of(
        UNAVAILABLE, DEADLINE_EXCEEDED, HANG, APPLY_THEN_FAIL, APPLY_THEN_HANG, slow(slowDelay));
  }

  public Kind kind() {
    return kind;
  }

  /** The delay of a {@link Kind#SLOW} fault; zero otherwise. */
  public Duration delay() {
    return delay;
  }

  /** Whether a call hit by this fault is applied to the store (its outcome is then ambiguous). */
  public boolean applies() {
    return kind == Kind.APPLY_THEN_FAIL || kind == Kind.APPLY_THEN_HANG || kind == Kind.SLOW;
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
