package dev.vectorcache.core;

/**
 * The state of a cache's circuit breaker in front of its metadata store; see {@link
 * CircuitBreakerConfig}.
 */
public enum CircuitState {
  /** Calls go to the metadata store; failures are counted. */
  CLOSED,
  /**
   * Calls are not sent: the cache serves from the vector store's payload (degraded mode) until the
   * cool-down has passed.
   */
  OPEN,
  /** The cool-down has passed: one probe call at a time is sent; the others are not. */
  HALF_OPEN
}
