package dev.vectorcache.qdrant.testserver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The fault switch of a {@link QdrantTestServer}. One fault is active at a time; it affects every
 * method except HealthCheck, or only the methods named (gRPC method names such as {@code "Upsert"},
 * {@code "Query"}, {@code "Get"}, case-insensitive; {@code "HealthCheck"} too, which is how a test
 * makes opening a store fail), until cleared or for a number of calls.
 *
 * <pre>{@code
 * server.faults().inject(FaultMode.UNAVAILABLE);                    // until clear()
 * server.faults().injectTimes(FaultMode.APPLY_THEN_FAIL, 1, "Upsert"); // the next upsert only
 * server.faults().clear();
 * }</pre>
 */
public final class Faults {
  private final AtomicReference<Active> active = new AtomicReference<>();

  Faults() {}

  private record Active(FaultMode mode, Set<String> methods, AtomicLong remaining) {}

  /**
   * Injects {@code mode} into every later call to {@code methods} (all when none) until cleared.
   */
  public void inject(FaultMode mode, String... methods) {
    injectTimes(mode, Long.MAX_VALUE, methods);
  }

  /** Injects {@code mode} into the next {@code times} calls to {@code methods} (all when none). */
  public void injectTimes(FaultMode mode, long times, String... methods) {
    Objects.requireNonNull(mode, "mode");
    if (times < 1) {
      throw new IllegalArgumentException("times must be 1 or more: " + times);
    }
    Set<String> names =
        Arrays.stream(methods)
            .map(m -> m.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    active.set(new Active(mode, names, new AtomicLong(times)));
  }

  /** Injects {@code mode} into the next call to {@code methods} (all when none). */
  public void injectOnce(FaultMode mode, String... methods) {
    injectTimes(mode, 1, methods);
  }

  /** Stops injecting faults. */
  public void clear() {
    active.set(null);
  }

  /** The active fault, or {@code null}. */
  public @Nullable FaultMode active() {
    Active a = active.get();
    return a == null ? null : a.mode();
  }

  /** The fault to apply to a call of {@code method}, counting it down; {@code null} for none. */
  @Nullable FaultMode take(String method) {
    Active a = active.get();
    if (a == null) {
      return null;
    }
    boolean named = a.methods().contains(method.toLowerCase(Locale.ROOT));
    // a fault on every method spares the health check, which stores and clients call on open
    if (!named && (!a.methods().isEmpty() || method.equals("HealthCheck"))) {
      return null;
    }
    synchronized (a) {
      long left = a.remaining().get();
      if (left <= 0) {
        return null;
      }
      if (left != Long.MAX_VALUE && a.remaining().decrementAndGet() == 0) {
        active.compareAndSet(a, null);
      }
    }
    return a.mode();
  }
}
