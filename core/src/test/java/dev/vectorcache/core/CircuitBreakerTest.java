package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CircuitBreaker")
class CircuitBreakerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> changes = new ArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return new CircuitBreaker(config, clock, "c", (from, to) -> changes.add(from + ">" + to));
  }

  private static void calls(CircuitBreaker b, boolean failed, int n) {
    for (int i = 0; i < n; i++) {
      b.record(b.acquire(), failed);
    }
  }

  @Test
  @DisplayName("opens after 5 failures in a row, and rejects calls until the cool-down passes")
  void opensOnARunOfFailures() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.defaults());
    calls(b, true, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    calls(b, true, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.REJECT);
    clock.advance(Duration.ofMillis(4_999));
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.REJECT);
    assertThat(changes).containsExactly("CLOSED>OPEN");
  }

  @Test
  @DisplayName("opens when half of a full window of 20 calls failed, though never 5 in a row")
  void opensOnAFailureRate() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.defaults());
    for (int i = 0; i < 9; i++) {
      calls(b, true, 1);
      calls(b, false, 1);
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED); // 18 calls: the window is not full
    calls(b, true, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED); // 10 of 19
    calls(b, false, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN); // 10 of 20
  }

  @Test
  @DisplayName("after the cool-down lets one probe through; its success closes the breaker")
  void oneProbeThenClosed() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.defaults());
    calls(b, true, 5);
    clock.advance(Duration.ofSeconds(5));
    CircuitBreaker.Permit probe = b.acquire();
    assertThat(probe).isEqualTo(CircuitBreaker.Permit.PROBE);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.REJECT); // one probe at a time
    b.record(probe, false);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.CALL);
    assertThat(changes).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
  }

  @Test
  @DisplayName("a failed probe opens the breaker for another cool-down")
  void failedProbeReopens() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.defaults());
    calls(b, true, 5);
    clock.advance(Duration.ofSeconds(5));
    b.record(b.acquire(), true);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofSeconds(4));
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.REJECT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(b.acquire()).isEqualTo(CircuitBreaker.Permit.PROBE);
  }

  @Test
  @DisplayName("a success resets the run; a call sent before the breaker opened is ignored after")
  void successResetsTheRun() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.defaults());
    CircuitBreaker.Permit early = b.acquire();
    calls(b, true, 4);
    calls(b, false, 1);
    calls(b, true, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    calls(b, true, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    b.record(early, false); // late outcome of a call made while closed
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  @DisplayName("timeouts and connection failures count; errors the server answered with do not")
  void whatCounts() {
    assertThat(CircuitBreaker.countsAsFailure(new BackendTimeoutException("redis", "t", null)))
        .isTrue();
    assertThat(
            CircuitBreaker.countsAsFailure(new BackendUnavailableException("redis", "down", null)))
        .isTrue();
    assertThat(
            CircuitBreaker.countsAsFailure(new AuthenticationException("redis", "WRONGPASS", null)))
        .isFalse();
    assertThat(CircuitBreaker.countsAsFailure(new BackendException("redis", "WRONGTYPE", null)))
        .isFalse();
    assertThat(CircuitBreaker.countsAsFailure(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  @DisplayName("a disabled breaker never opens; custom settings are honoured")
  void settings() {
    CircuitBreaker off = breaker(CircuitBreakerConfig.disabled());
    calls(off, true, 100);
    assertThat(off.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(off.acquire()).isEqualTo(CircuitBreaker.Permit.CALL);

    CircuitBreaker two =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(2)
                .coolDown(Duration.ofMillis(10))
                .build());
    calls(two, true, 2);
    assertThat(two.state()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofMillis(10));
    assertThat(two.acquire()).isEqualTo(CircuitBreaker.Permit.PROBE);
  }
}
