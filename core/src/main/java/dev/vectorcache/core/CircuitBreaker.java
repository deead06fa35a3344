package dev.vectorcache.core;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import java.time.Clock;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breaker in front of one cache's metadata store, as {@link CircuitBreakerConfig} specifies:
 * counts timeouts and connection failures, opens on a run of them or on a failure rate over a
 * sliding window, and after a cool-down lets one probe through at a time. Time is read from the
 * cache's clock. Thread-safe; the state is guarded by this object's lock, held only for a few field
 * updates.
 */
final class CircuitBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /** What a caller may do. */
  enum Permit {
    /** Send the call and report its outcome. */
    CALL,
    /** Send the call as the one probe of a half-open breaker and report its outcome. */
    PROBE,
    /** Do not send the call. */
    REJECT
  }

  private final CircuitBreakerConfig config;
  private final Clock clock;
  private final String collection;
  private final BiConsumer<CircuitState, CircuitState> onChange;

  // guarded by this
  private CircuitState state = CircuitState.CLOSED;
  private final boolean[] outcomes; // ring of the last calls: true = failed
  private int recorded;
  private int next;
  private int failuresInWindow;
  private int consecutive;
  private long openedAtMillis;
  private boolean probeOut;

  CircuitBreaker(
      CircuitBreakerConfig config,
      Clock clock,
      String collection,
      BiConsumer<CircuitState, CircuitState> onChange) {
    this.config = config;
    this.clock = clock;
    this.collection = collection;
    this.onChange = onChange;
    this.outcomes = new boolean[config.window()];
  }

  /** Whether a failure of this kind counts against the metadata store's health. */
  static boolean countsAsFailure(Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return false; // the server answered
    }
    return cause instanceof BackendTimeoutException
        || cause instanceof BackendUnavailableException
        || cause instanceof TimeoutException;
  }

  /** May a call be sent now? */
  Permit acquire() {
    if (!config.enabled()) {
      return Permit.CALL;
    }
    CircuitState from;
    synchronized (this) {
      if (state == CircuitState.CLOSED) {
        return Permit.CALL;
      }
      if (state == CircuitState.OPEN) {
        if (clock.millis() - openedAtMillis < config.coolDown().toMillis()) {
          return Permit.REJECT;
        }
        from = state;
        state = CircuitState.HALF_OPEN;
        probeOut = true;
      } else if (probeOut) {
        return Permit.REJECT; // half-open: one probe at a time
      } else {
        probeOut = true;
        return Permit.PROBE;
      }
    }
    changed(from, CircuitState.HALF_OPEN);
    return Permit.PROBE;
  }

  /** Reports the outcome of a call sent with {@code permit}. */
  void record(Permit permit, boolean failed) {
    if (!config.enabled() || permit == Permit.REJECT) {
      return;
    }
    CircuitState from;
    CircuitState to;
    synchronized (this) {
      from = state;
      if (permit == Permit.PROBE) {
        probeOut = false;
        if (state != CircuitState.HALF_OPEN) {
          return; // a late probe from an earlier half-open period
        }
        to = failed ? CircuitState.OPEN : CircuitState.CLOSED;
        resetWindow();
        if (failed) {
          openedAtMillis = clock.millis();
        }
      } else {
        if (state != CircuitState.CLOSED) {
          return; // a call sent before the breaker opened
        }
        add(failed);
        if (!tripped()) {
          return;
        }
        to = CircuitState.OPEN;
        openedAtMillis = clock.millis();
        resetWindow();
      }
      state = to;
    }
    changed(from, to);
  }

  synchronized CircuitState state() {
    return state;
  }

  private void add(boolean failed) {
    if (recorded == outcomes.length) {
      if (outcomes[next]) {
        failuresInWindow--;
      }
    } else {
      recorded++;
    }
    outcomes[next] = failed;
    next = (next + 1) % outcomes.length;
    if (failed) {
      failuresInWindow++;
      consecutive++;
    } else {
      consecutive = 0;
    }
  }

  private boolean tripped() {
    if (consecutive >= config.consecutiveFailures()) {
      return true;
    }
    return recorded == outcomes.length
        && failuresInWindow >= Math.ceil(config.failureRate() * outcomes.length);
  }

  private void resetWindow() {
    recorded = 0;
    next = 0;
    failuresInWindow = 0;
    consecutive = 0;
    java.util.Arrays.fill(outcomes, false);
  }

  private void changed(CircuitState from, CircuitState to) {
    if (from == to) {
      return;
    }
    if (to == CircuitState.OPEN && from == CircuitState.HALF_OPEN) {
      // the outage goes on: the summary of OutageLog says so, without a line per cool-down
      LOG.debug(
          "metadata store circuit for collection {} is OPEN again: the probe failed", collection);
    } else if (to == CircuitState.OPEN) {
      LOG.warn(
          "metadata store circuit for collection {} is OPEN ({} -> OPEN): serving from the vector"
              + " store for {} before probing again",
          collection,
          from,
          config.coolDown());
    } else if (to == CircuitState.CLOSED) {
      LOG.info(
          "metadata store circuit for collection {} is CLOSED again: the probe succeeded",
          collection);
    } else {
      LOG.debug("metadata store circuit for collection {} is HALF_OPEN: probing", collection);
    }
    onChange.accept(from, to);
  }
}
