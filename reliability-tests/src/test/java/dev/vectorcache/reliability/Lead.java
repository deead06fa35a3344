package dev.vectorcache.reliability;

import dev.vectorcache.core.VectorCache;

/**
 * The few places where the suite reaches the core API that issue 10 adds (write-back queue,
 * circuit breaker), gathered so that the scenarios read the same before and after it lands.
 */
final class Lead {
  private Lead() {}

  /** Waits until every write-back queued so far was sent or dropped. */
  static void flush(VectorCache cache) {
    // until VectorCache.flushAsync() exists, write-backs are on the caller's path
  }
}
