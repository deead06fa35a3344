package dev.vectorcache.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a contract test makes time pass for the store under test. Two strategies:
 *
 * <ul>
 *   <li>{@link #manual(MutableClock)}: the store reads a {@link MutableClock}; {@link #advance}
 *       moves it, instantly and exactly. Expiry can be checked at the exact boundary (present at
 *       {@code ttl - 1ms}, gone at {@code ttl}). Used by the in-memory store.
 *   <li>{@link #realTime(Duration)}: the store runs against a real server clock (Redis); {@link
 *       #advance} sleeps, and the tests use short real TTLs and wait for expiry with Awaitility,
 *       allowing {@link #slack()} for the round trips and the server's own timer.
 * </ul>
 *
 * <p>Only {@link #isManual()} changes what the tests assert: the exact-boundary checks run in
 * manual mode; in real-time mode the same behaviours are checked with bounds instead.
 */
public abstract class TimeControl {
  TimeControl() {}

  /** Time moves only when {@link #advance} moves {@code clock}. */
  public static TimeControl manual(MutableClock clock) {
    return new Manual(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Time is the server's wall clock; {@code slack} is how far a reading may lag or lead (network
   * round trips, server timer resolution), for example {@code Duration.ofMillis(500)}.
   */
  public static TimeControl realTime(Duration slack) {
    Objects.requireNonNull(slack, "slack");
    if (slack.isNegative()) {
      throw new IllegalArgumentException("slack must not be negative: " + slack);
    }
    return new RealTime(slack);
  }

  /** Whether time stands still between calls and moves exactly by {@link #advance}. */
  public abstract boolean isManual();

  /** Lets {@code d} pass: moves the clock, or sleeps. */
  public abstract void advance(Duration d);

  /** How far a TTL reading may be off; zero in manual mode. */
  public abstract Duration slack();

  private static final class Manual extends TimeControl {
    private final MutableClock clock;

    Manual(MutableClock clock) {
      this.clock = clock;
    }

    @Override
    public boolean isManual() {
      return true;
    }

    @Override
    public void advance(Duration d) {
      clock.advance(d);
    }

    @Override
    public Duration slack() {
      return Duration.ZERO;
    }

    @Override
    public String toString() {
      return "TimeControl.manual(" + clock + ")";
    }
  }

  private static final class RealTime extends TimeControl {
    private final Duration slack;

    RealTime(Duration slack) {
      this.slack = slack;
    }

    @Override
    public boolean isManual() {
      return false;
    }

    @Override
    public void advance(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while letting time pass", e);
      }
    }

    @Override
    public Duration slack() {
      return slack;
    }

    @Override
    public String toString() {
      return "TimeControl.realTime(slack=" + slack + ")";
    }
  }
}
