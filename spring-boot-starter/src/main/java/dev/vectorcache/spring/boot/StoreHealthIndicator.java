package dev.vectorcache.spring.boot;

import dev.vectorcache.core.model.BackendInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one store, from its {@code ping()}, that never blocks its caller on a hung server.
 *
 * <ul>
 *   <li>The ping is started on {@code executor}, never on the caller's thread, and at most one is
 *       in flight: callers arriving meanwhile wait for that one.
 *   <li>A caller waits at most {@code timeout} from the moment the ping started; then the store is
 *       {@code DOWN} with the detail {@code error = "no answer within ..."}.
 *   <li>A result (UP, DOWN, or a timeout) is reused for {@code cacheFor}, so that a health endpoint
 *       polled often does not turn into a load on the store.
 * </ul>
 */
final class StoreHealthIndicator implements HealthIndicator {
  private final Supplier<CompletableFuture<BackendInfo>> ping;
  private final Executor executor;
  private final long timeoutNanos;
  private final long cacheForNanos;
  private final Duration timeout;
  private final LongSupplier nanoTime;

  private @Nullable Health cached;
  private long cachedAt;
  private @Nullable CompletableFuture<Health> inFlight;
  private long startedAt;

  StoreHealthIndicator(
      Supplier<CompletableFuture<BackendInfo>> ping,
      Executor executor,
      Duration timeout,
      Duration cacheFor,
      LongSupplier nanoTime) {
    this.ping = Objects.requireNonNull(ping, "ping");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.cacheForNanos = cacheFor.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public Health health() {
    CompletableFuture<Health> check;
    long waitNanos;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (cached != null && now - cachedAt < cacheForNanos) {
        return cached;
      }
      if (inFlight == null) {
        startedAt = now;
        check = start();
      } else {
        check = inFlight;
      }
      waitNanos = Math.max(0, timeoutNanos - (now - startedAt));
    }
    try {
      return check.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return remember(
          Health.down().withDetail("error", "no answer within " + timeout).build(), null);
    } catch (ExecutionException e) {
      // start() turns every failure into a DOWN result; this is a bug guard
      return Health.down(e).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().withDetail("error", "interrupted while waiting").build();
    }
  }

  /** Starts a ping, the flight in progress until it ends (which may be before this returns). */
  private CompletableFuture<Health> start() {
    CompletableFuture<Health> check = new CompletableFuture<>();
    inFlight = check;
    try {
      executor.execute(
          () -> {
            try {
              CompletableFuture<?> unused =
                  ping.get()
                      .handle((info, error) -> info != null ? up(info) : down(error))
                      .thenAccept(h -> complete(check, h));
            } catch (RuntimeException e) {
              complete(check, down(e));
            }
          });
    } catch (RuntimeException e) {
      complete(check, down(e));
    }
    return check;
  }

  private void complete(CompletableFuture<Health> check, Health h) {
    remember(h, check);
    check.complete(h);
  }

  /** Caches {@code h}; a finished ping also ends the flight it belongs to. */
  private synchronized Health remember(Health h, @Nullable CompletableFuture<Health> finished) {
    if (finished != null) {
      if (inFlight == finished) {
        inFlight = null;
      }
      cached = h;
      cachedAt = nanoTime.getAsLong();
    } else if (inFlight != null) {
      // a timeout: reuse it for cacheFor unless the ping answers first
      cached = h;
      cachedAt = nanoTime.getAsLong();
    }
    return h;
  }

  private static Health up(BackendInfo info) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backend", info.backend());
    details.put("client", info.client());
    details.put("serverVersion", info.serverVersion());
    details.put("roundTripMillis", info.roundTrip().toMillis());
    details.putAll(info.details());
    return Health.up().withDetails(details).build();
  }

  private static Health down(@Nullable Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause == null
        ? Health.down().build()
        : Health.down()
            .withDetail("error", cause.getClass().getName() + ": " + cause.getMessage())
            .build();
  }
}
