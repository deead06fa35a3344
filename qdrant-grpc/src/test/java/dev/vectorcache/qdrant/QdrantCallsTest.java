package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The retry and deadline engine alone, over fake gRPC futures: no server, no sleeping test. */
class QdrantCallsTest {
  private static final String ADDRESS = "qdrant.example:6334";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration NO_BACKOFF = Duration.ofNanos(1);

  /** An rpc that fails with the given statuses in turn, then answers "ok"; counts attempts. */
  private static final class Script implements Function<Duration, ListenableFuture<String>> {
    final List<Status> failures;
    final List<Duration> deadlines = new ArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    Script(Status... failures) {
      this.failures = List.of(failures);
    }

    @Override
    public ListenableFuture<String> apply(Duration deadline) {
      deadlines.add(deadline);
      int i = attempts.getAndIncrement();
      if (i < failures.size()) {
        return Futures.immediateFailedFuture(failures.get(i).asRuntimeException());
      }
      return Futures.immediateFuture("ok");
    }
  }

  private static QdrantCalls calls(int maxRetries) {
    return new QdrantCalls(ADDRESS, TIMEOUT, maxRetries, NO_BACKOFF);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  private static final Status IO = Status.UNAVAILABLE.withDescription("io exception");

  @Test
  void anAnswerPassesThroughInOneAttempt() {
    Script rpc = new Script();
    assertThat(calls(2).call("count", "c", true, rpc).join()).isEqualTo("ok");
    assertThat(rpc.attempts).hasValue(1);
  }

  @Test
  void anIdempotentCallIsRetriedAfterUnavailable() {
    Script rpc = new Script(IO, IO);
    assertThat(calls(2).call("count", "c", true, rpc).join()).isEqualTo("ok");
    assertThat(rpc.attempts).hasValue(3);
  }

  @Test
  void retriesAreBoundedAndTheFailureNamesTheServer() {
    Script rpc = new Script(IO, IO, IO, IO);
    Throwable e = failure(calls(2).call("upsert", "docs", true, rpc));
    assertThat(rpc.attempts).hasValue(3);
    assertThat(e)
        .isInstanceOf(BackendUnavailableException.class)
        .hasCauseInstanceOf(StatusRuntimeException.class)
        .hasMessage(
            "Qdrant at qdrant.example:6334 is unavailable (UNAVAILABLE: io exception);"
                + " upsert on collection 'docs' failed");
  }

  @Test
  void aCallThatIsNotIdempotentIsNeverRetried() {
    Script rpc = new Script(IO);
    assertThat(failure(calls(5).call("create collection", "c", false, rpc)))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(rpc.attempts).hasValue(1);
  }

  @Test
  void aTimeoutIsNotRetried() {
    Script rpc = new Script(Status.DEADLINE_EXCEEDED);
    assertThat(failure(calls(5).call("count", "c", true, rpc)))
        .isInstanceOf(BackendTimeoutException.class)
        .hasMessageStartingWith("Qdrant at qdrant.example:6334 did not answer count");
    assertThat(rpc.attempts).hasValue(1);
  }

  @Test
  void aRejectionIsNotRetried() {
    Script rpc = new Script(Status.INVALID_ARGUMENT.withDescription("bad"));
    assertThat(failure(calls(5).call("count", "c", true, rpc)))
        .isInstanceOf(BackendRejectedException.class)
        .hasMessageContaining("qdrant.example:6334")
        .hasMessageContaining("(INVALID_ARGUMENT: bad)");
    assertThat(rpc.attempts).hasValue(1);
  }

  @Test
  void noRetryStartsWhenItsBackoffWouldEndPastTheDeadline() {
    QdrantCalls calls = new QdrantCalls(ADDRESS, Duration.ofMillis(200), 5, Duration.ofHours(1));
    Script rpc = new Script(IO, IO);
    assertThat(failure(calls.call("count", "c", true, rpc)))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(rpc.attempts).hasValue(1);
  }

  @Test
  void everyAttemptGetsWhatRemainsOfOneDeadline() {
    Duration backoff = Duration.ofMillis(20);
    Script rpc = new Script(IO, IO);
    new QdrantCalls(ADDRESS, TIMEOUT, 2, backoff).call("count", "c", true, rpc).join();
    assertThat(rpc.deadlines).hasSize(3).allSatisfy(d -> assertThat(d).isPositive());
    assertThat(rpc.deadlines.get(0)).isLessThanOrEqualTo(TIMEOUT);
    // two backoffs of at least 20 ms passed before the third attempt: its deadline is that much
    // shorter (an engine that gave each attempt the whole timeout again fails here)
    assertThat(rpc.deadlines.get(2)).isLessThanOrEqualTo(rpc.deadlines.get(0).minus(backoff));
  }

  @Test
  void cancellingTheResultCancelsTheCallInFlight() {
    SettableFuture<String> inFlight = SettableFuture.create();
    CompletableFuture<String> result = calls(2).call("search", "c", true, d -> inFlight);
    result.cancel(true);
    assertThat(inFlight.isCancelled()).isTrue();
  }

  @Test
  void aClosedEngineRefusesCallsAndStopsRetrying() {
    QdrantCalls calls = calls(3);
    SettableFuture<String> first = SettableFuture.create();
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        calls.call(
            "count",
            "c",
            true,
            d -> attempts.getAndIncrement() == 0 ? first : Futures.immediateFuture("late"));
    calls.close();
    first.setException(IO.asRuntimeException());
    assertThat(failure(result)).isInstanceOf(BackendUnavailableException.class);
    assertThat(attempts).hasValue(1);
    assertThatThrownBy(() -> calls.call("count", "c", true, new Script()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anRpcThatThrowsFailsTheFutureInstead() {
    CompletableFuture<String> result =
        calls(2)
            .call(
                "count",
                null,
                true,
                d -> {
                  throw Status.UNAUTHENTICATED.withDescription("no key").asRuntimeException();
                });
    assertThat(failure(result))
        .isInstanceOf(dev.vectorcache.core.exception.AuthenticationException.class)
        .hasMessageContaining("qdrant.example:6334")
        .hasMessageContaining("API key");
  }

  @Test
  void settingsAreCheckedAtConstruction() {
    assertThatThrownBy(() -> new QdrantCalls(ADDRESS, Duration.ZERO, 1, NO_BACKOFF))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QdrantCalls(ADDRESS, TIMEOUT, -1, NO_BACKOFF))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBackoffIsJitteredBetweenHalfAndAllOfTheDoubledWait() {
    Duration backoff = Duration.ofMillis(100);
    QdrantCalls low = new QdrantCalls(ADDRESS, TIMEOUT, 5, backoff, () -> 0.0);
    QdrantCalls high = new QdrantCalls(ADDRESS, TIMEOUT, 5, backoff, () -> 1.0);
    QdrantCalls mid = new QdrantCalls(ADDRESS, TIMEOUT, 5, backoff, () -> 0.5);
    long ms = Duration.ofMillis(1).toNanos();
    assertThat(low.backoff(0)).isEqualTo(50 * ms);
    assertThat(high.backoff(0)).isEqualTo(100 * ms);
    assertThat(mid.backoff(1)).isEqualTo(150 * ms);
    assertThat(high.backoff(2)).isEqualTo(400 * ms);
    // at most 16 times the backoff, however many attempts
    assertThat(high.backoff(30)).isEqualTo(1_600 * ms);
    // a real source of jitter stays within the bounds
    QdrantCalls real = new QdrantCalls(ADDRESS, TIMEOUT, 5, backoff);
    for (int i = 0; i < 100; i++) {
      assertThat(real.backoff(1)).isBetween(100 * ms, 200 * ms);
    }
  }

  @Test
  void aCallTheTransportNeverEndsFailsTypedShortlyAfterItsDeadlineAndIsCancelled() {
    // an attempt that ignores its deadline (a transport that never ends it)
    Duration timeout = Duration.ofMillis(200);
    SettableFuture<String> never = SettableFuture.create();
    QdrantCalls calls = new QdrantCalls(ADDRESS, timeout, 2, NO_BACKOFF);
    long start = System.nanoTime();
    Throwable e = failure(calls.call("search", "docs", true, d -> never));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(e)
        .isInstanceOf(BackendTimeoutException.class)
        .hasMessage(
            "Qdrant at qdrant.example:6334 did not answer search on collection 'docs' in time (no"
                + " answer 100 ms past the deadline; the call was cancelled)");
    assertThat(never.isCancelled()).isTrue();
    // the watchdog fires at 1.5 timeouts: well within the promised two, with room for a slow CI
    assertThat(took)
        .isGreaterThanOrEqualTo(timeout)
        .isLessThan(timeout.multipliedBy(2).plusSeconds(1));
  }

  @Test
  void aRetryWaitingWhenTheEngineClosesGivesUpWithTheLastFailure() throws Exception {
    QdrantCalls calls = new QdrantCalls(ADDRESS, TIMEOUT, 3, Duration.ofMillis(200), () -> 0.0);
    Script rpc = new Script(IO, IO);
    CompletableFuture<String> result = calls.call("count", "c", true, rpc);
    calls.close(); // the first retry waits 100 ms
    assertThat(failure(result)).isInstanceOf(BackendUnavailableException.class);
    assertThat(rpc.attempts).hasValue(1);
  }
}
