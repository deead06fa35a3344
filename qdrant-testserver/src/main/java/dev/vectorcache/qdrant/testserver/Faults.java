package dev.vectorcache.qdrant.testserver;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The fault switch of a {@link QdrantTestServer}. One plan is active at a time; it affects every
 * method, or only the methods named (gRPC method names such as {@code "Upsert"}, {@code "Query"},
 * {@code "Get"}, {@code "HealthCheck"}, case-insensitive), until cleared or for a number of calls.
 *
 * <p><b>HealthCheck is a method like any other</b>: a fault on every method fails it too, so
 * opening a store (which sends one health check) fails while {@code UNAVAILABLE} is injected
 * everywhere, as it would against a dead server. A test that wants its stores to open through a
 * fault calls {@link #spare spare("HealthCheck")}.
 *
 * <pre>{@code
 * server.faults().inject(FaultMode.UNAVAILABLE);                       // until clear()
 * server.faults().injectTimes(FaultMode.APPLY_THEN_FAIL, 1, "Upsert");  // the next upsert only
 * server.faults().injectRandomly(42, 0.10, FaultMode.all(Duration.ofMillis(300)));
 * server.faults().injected();                                          // {UNAVAILABLE=3, HANG=2...}
 * server.faults().clear();
 * }</pre>
 */
public final class Faults {
  private final AtomicReference<@Nullable Plan> active = new AtomicReference<>();
  private volatile Set<String> spared = Set.of();
  private final Map<FaultMode, LongAdder> injected = new ConcurrentHashMap<>();

  Faults() {}

  /** Which calls a plan hits and how: a fixed mode a number of times, or seeded random draws. */
  private static final class Plan {
    final Set<String> methods;
    final List<FaultMode> modes;
    final double rate;
    final @Nullable Random random;
    long remaining;

    Plan(Set<String> methods, List<FaultMode> modes, double rate, @Nullable Random random, long n) {
      this.methods = methods;
      this.modes = modes;
      this.rate = rate;
      this.random = random;
      this.remaining = n;
    }

    boolean covers(String method) {
      return methods.isEmpty() || methods.contains(method);
    }

    /** The fault for one call, or {@code null}; callers hold the plan's lock. */
    @Nullable FaultMode draw() {
      if (remaining <= 0) {
        return null;
      }
      Random r = random;
      if (r == null) {
        if (remaining != Long.MAX_VALUE) {
          remaining--;
        }
        return modes.get(0);
      }
      // two draws per call whatever the outcome, so the sequence depends on the seed only
      boolean hit = r.nextDouble() < rate;
      FaultMode mode = modes.get(r.nextInt(modes.size()));
      return hit ? mode : null;
    }
  }

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
    active.set(new Plan(names(methods), List.of(mode), 1.0, null, times));
  }

  /** Injects {@code mode} into the next call to {@code methods} (all when none). */
  public void injectOnce(FaultMode mode, String... methods) {
    injectTimes(mode, 1, methods);
  }

  /**
   * From now until cleared, each call to {@code methods} (all when none) fails with probability
   * {@code rate}, in a mode drawn uniformly from {@code modes}. The draws come from one {@link
   * Random} seeded with {@code seed}: the n-th call to reach the switch always gets the same
   * outcome, so a single-threaded test replays exactly. {@link #injected()} counts what was drawn.
   *
   * @param rate from 0 (never) to 1 (always)
   * @param modes one or more modes, for example {@link FaultMode#all}
   */
  public void injectRandomly(long seed, double rate, List<FaultMode> modes, String... methods) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be from 0 to 1: " + rate);
    }
    List<FaultMode> copy = List.copyOf(modes);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("modes must not be empty");
    }
    active.set(new Plan(names(methods), copy, rate, new Random(seed), Long.MAX_VALUE));
  }

  /**
   * Keeps {@code methods} out of every fault until {@link #clear()}, for example {@code
   * spare("HealthCheck")} so that stores can open while every other call fails. Replaces the
   * methods spared before.
   */
  public void spare(String... methods) {
    spared = names(methods);
  }

  /** Stops injecting faults and forgets the spared methods; the {@link #injected()} counts stay. */
  public void clear() {
    active.set(null);
    spared = Set.of();
  }

  /** The mode of the active plan (its first mode for a random plan), or {@code null}. */
  public @Nullable FaultMode active() {
    Plan p = active.get();
    return p == null ? null : p.modes.get(0);
  }

  /**
   * Faults applied per mode since the last {@link #resetInjected()}, in {@link FaultMode} order.
   */
  public Map<FaultMode, Long> injected() {
    Map<FaultMode, Long> out = new LinkedHashMap<>();
    injected.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<FaultMode, LongAdder> e) -> e.getKey().kind())
                .thenComparing(e -> e.getKey().delay()))
        .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
    return out;
  }

  /** All faults applied since the last {@link #resetInjected()}. */
  public long injectedTotal() {
    return injected.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Forgets the {@link #injected()} counts. */
  public void resetInjected() {
    injected.clear();
  }

  /** The fault to apply to a call of {@code method}, counting it; {@code null} for none. */
  @Nullable FaultMode take(String method) {
    Plan p = active.get();
    String name = method.toLowerCase(Locale.ROOT);
    if (p == null || !p.covers(name) || spared.contains(name)) {
      return null;
    }
    FaultMode mode;
    synchronized (p) {
      mode = p.draw();
      if (p.remaining <= 0) {
        active.compareAndSet(p, null);
      }
    }
    if (mode != null) {
      injected.computeIfAbsent(mode, k -> new LongAdder()).increment();
    }
    return mode;
  }

  private static Set<String> names(String... methods) {
    return Arrays.stream(methods)
        .map(m -> m.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }
}
