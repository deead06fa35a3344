package dev.vectorcache.reliability;

import dev.vectorcache.core.VectorCache;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small helpers over the fault-tolerance API of the core (write-back queue, breaker). */
final class Lead {
  private Lead() {}

  /** Waits (at most 30 s) until every write-back queued so far was sent or dropped. */
  static void flush(VectorCache cache) {
    try {
      cache.flushAsync().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("flushAsync did not complete", e);
    }
  }
}
