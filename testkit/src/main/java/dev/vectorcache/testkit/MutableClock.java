package dev.vectorcache.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so that TTL tests never sleep. Thread
 * safe: {@link #advance} and {@link #set} may race with readers on other threads.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
 * MetadataStore store = new InMemoryMetadataStore(clock);
 * store.put(entry, Duration.ofSeconds(10));
 * clock.advance(Duration.ofSeconds(10)); // now the entry is gone
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code start}, in UTC. */
  public static MutableClock at(Instant start) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** A clock at the current system time, in UTC; it stays there until moved. */
  public static MutableClock startingNow() {
    return at(Instant.now());
  }

  /** Moves the clock forward by {@code d} (backwards when negative); returns the new instant. */
  public Instant advance(Duration d) {
    Objects.requireNonNull(d, "d");
    return now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "now");
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's instant (moving one moves both). */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
