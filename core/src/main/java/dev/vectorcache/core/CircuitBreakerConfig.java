package dev.vectorcache.core;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the circuit breaker each cache keeps in front of its metadata store.
 *
 * <p><b>What counts as a failure:</b> a timeout ({@link
 * dev.vectorcache.core.exception.BackendTimeoutException}) or a connection failure ({@link
 * dev.vectorcache.core.exception.BackendUnavailableException}, including a full client queue). An
 * error the server answered with (a wrong type, out of memory, a refused script, an authentication
 * error) proves the server is reachable: it is logged and counted in {@link
 * CacheStats#metadataStoreFailures()}, but counts as a success for the breaker.
 *
 * <p><b>When it opens:</b> after {@link #consecutiveFailures()} failures in a row, or when at least
 * {@link #failureRate()} of the last {@link #window()} calls failed (evaluated once the window is
 * full). <b>While open</b> no call is sent to the metadata store: searches and gets are answered
 * from the vector store's payload (degraded mode), stores skip the copy and write-backs are
 * dropped. <b>After {@link #coolDown()}</b> the breaker lets one probe call through at a time
 * (half-open): a success closes it, a failure opens it for another cool-down.
 *
 * <p>State changes are logged once each (WARN on opening, INFO on closing), counted in {@link
 * CacheStats}, and reported to {@link CacheListener#onCircuitStateChange}.
 */
public final class CircuitBreakerConfig {
  /** Failures in a row that open the breaker: 5. */
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;

  /** Share of failed calls in the window that opens the breaker: 0.5. */
  public static final double DEFAULT_FAILURE_RATE = 0.5;

  /** Calls in the sliding window: 20. */
  public static final int DEFAULT_WINDOW = 20;

  /** Time the breaker stays open before a probe: 5 s. */
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(5);

  private static final CircuitBreakerConfig DEFAULTS = builder().build();
  private static final CircuitBreakerConfig DISABLED = new CircuitBreakerConfig(builder(), false);

  private final boolean enabled;
  private final int consecutiveFailures;
  private final double failureRate;
  private final int window;
  private final Duration coolDown;

  private CircuitBreakerConfig(Builder b, boolean enabled) {
    this.enabled = enabled;
    this.consecutiveFailures = b.consecutiveFailures;
    this.failureRate = b.failureRate;
    this.window = b.window;
    this.coolDown = b.coolDown;
  }

  /**
   * The defaults: 5 failures in a row or 50 % of the last 20 calls, then 5 s open.
   *
   * @return the default settings
   */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /**
   * No breaker: every call goes to the metadata store, however often it fails.
   *
   * @return settings that never open
   */
  public static CircuitBreakerConfig disabled() {
    return DISABLED;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the breaker is on.
   *
   * @return false for {@link #disabled()}
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Failures in a row that open the breaker.
   *
   * @return at least 1
   */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * Share of failed calls in a full window that opens the breaker.
   *
   * @return above 0, at most 1
   */
  public double failureRate() {
    return failureRate;
  }

  /**
   * Calls in the sliding window.
   *
   * @return at least 1
   */
  public int window() {
    return window;
  }

  /**
   * Time the breaker stays open before a probe.
   *
   * @return a positive duration
   */
  public Duration coolDown() {
    return coolDown;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "CircuitBreakerConfig[disabled]";
    }
    return "CircuitBreakerConfig[consecutiveFailures="
        + consecutiveFailures
        + ", failureRate="
        + failureRate
        + ", window="
        + window
        + ", coolDown="
        + coolDown
        + "]";
  }

  /** Builder of {@link CircuitBreakerConfig}; every setting starts at its default. */
  public static final class Builder {
    private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
    private double failureRate = DEFAULT_FAILURE_RATE;
    private int window = DEFAULT_WINDOW;
    private Duration coolDown = DEFAULT_COOL_DOWN;

    private Builder() {}

    /**
     * Failures in a row that open the breaker.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder consecutiveFailures(int n) {
      if (n < 1) {
        throw new InvalidInputException("consecutiveFailures", "at least 1", n);
      }
      this.consecutiveFailures = n;
      return this;
    }

    /**
     * Share of failed calls in a full window that opens the breaker.
     *
     * @param rate above 0 and at most 1
     * @return this builder
     */
    public Builder failureRate(double rate) {
      if (!(rate > 0 && rate <= 1)) {
        throw new InvalidInputException("failureRate", "a number above 0 and at most 1", rate);
      }
      this.failureRate = rate;
      return this;
    }

    /**
     * Calls in the sliding window.
     *
     * @param calls from 1 to 10,000
     * @return this builder
     */
    public Builder window(int calls) {
      if (calls < 1 || calls > 10_000) {
        throw new InvalidInputException("window", "from 1 to 10000 calls", calls);
      }
      this.window = calls;
      return this;
    }

    /**
     * Time the breaker stays open before a probe.
     *
     * @param coolDown at least 1 ms
     * @return this builder
     */
    public Builder coolDown(Duration coolDown) {
      Objects.requireNonNull(coolDown, "coolDown");
      if (coolDown.compareTo(Duration.ofMillis(1)) < 0) {
        throw new InvalidInputException("coolDown", "at least 1 ms", coolDown);
      }
      this.coolDown = coolDown;
      return this;
    }

    /**
     * The settings.
     *
     * @return an enabled breaker with these settings
     */
    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(this, true);
    }
  }
}
