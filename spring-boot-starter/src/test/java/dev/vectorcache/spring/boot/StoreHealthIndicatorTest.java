package dev.vectorcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.BackendInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class StoreHealthIndicatorTest {
  static final BackendInfo INFO =
      new BackendInfo(
          "redis", "lettuce", "7.2.4", Duration.ofMillis(3), Map.of("mode", "standalone"));

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AtomicInteger pings = new AtomicInteger();
  final Executor direct = Runnable::run;

  StoreHealthIndicator indicator(
      java.util.function.Supplier<CompletableFuture<BackendInfo>> ping, Executor executor) {
    return new StoreHealthIndicator(
        () -> {
          pings.incrementAndGet();
          return ping.get();
        },
        executor,
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        now::get);
  }

  @Test
  void upWithTheBackendsFacts() {
    Health h = indicator(() -> CompletableFuture.completedFuture(INFO), direct).health();
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails())
        .containsEntry("backend", "redis")
        .containsEntry("client", "lettuce")
        .containsEntry("serverVersion", "7.2.4")
        .containsEntry("roundTripMillis", 3L)
        .containsEntry("mode", "standalone");
  }

  @Test
  void aResultIsReusedForTheCachePeriodThenTheStoreIsAskedAgain() {
    StoreHealthIndicator i = indicator(() -> CompletableFuture.completedFuture(INFO), direct);
    Health first = i.health();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(i.health()).isSameAs(first);
    assertThat(pings).hasValue(1);
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    i.health();
    assertThat(pings).hasValue(2);
  }

  @Test
  void aFailedPingIsDownWithTheErrorNamed() {
    Health h =
        indicator(
                () ->
                    CompletableFuture.failedFuture(
                        new IllegalStateException("redis at 127.0.0.1:1 refused")),
                direct)
            .health();
    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
    assertThat(h.getDetails().get("error").toString())
        .contains("IllegalStateException")
        .contains("127.0.0.1:1");
  }

  @Test
  void aPingThatThrowsOrAnExecutorThatRefusesIsDown() {
    Health thrown =
        indicator(
                () -> {
                  throw new IllegalStateException("closed");
                },
                direct)
            .health();
    assertThat(thrown.getStatus()).isEqualTo(Status.DOWN);
    assertThat(thrown.getDetails().get("error").toString()).contains("closed");
    Executor refusing =
        r -> {
          throw new RejectedExecutionException("shut down");
        };
    Health refused = indicator(() -> CompletableFuture.completedFuture(INFO), refusing).health();
    assertThat(refused.getStatus()).isEqualTo(Status.DOWN);
    assertThat(pings).hasValue(1);
  }

  @Test
  void aHungStoreIsDownAfterTheTimeoutWithOnePingInFlight() {
    CompletableFuture<BackendInfo> never = new CompletableFuture<>();
    StoreHealthIndicator i = indicator(() -> never, direct);
    Health h = i.health();
    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
    assertThat(h.getDetails()).containsEntry("error", "no answer within PT0.1S");
    // after the cache period, still hung: no second ping, and no wait (the flight is older than
    // the timeout)
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(i.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(pings).hasValue(1);
    // the late answer replaces the timeout
    never.complete(INFO);
    assertThat(i.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void theCallersThreadNeverRunsThePing() {
    Thread caller = Thread.currentThread();
    Thread[] ran = new Thread[1];
    StoreHealthIndicator i =
        new StoreHealthIndicator(
            () -> {
              ran[0] = Thread.currentThread();
              return CompletableFuture.completedFuture(INFO);
            },
            StoresHealthContributor.newExecutor(),
            Duration.ofSeconds(5),
            Duration.ZERO,
            System::nanoTime);
    assertThat(i.health().getStatus()).isEqualTo(Status.UP);
    assertThat(ran[0]).isNotSameAs(caller);
    assertThat(ran[0].getName()).startsWith("vectorcache-health-");
    assertThat(ran[0].isDaemon()).isTrue();
  }

  @Test
  void anInterruptedCallerIsUnknownAndKeepsItsFlag() {
    StoreHealthIndicator i = indicator(CompletableFuture::new, direct);
    Thread.currentThread().interrupt();
    try {
      assertThat(i.health().getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
