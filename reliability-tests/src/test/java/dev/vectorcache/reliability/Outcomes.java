package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.VectorCacheException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's rule for a failed call: it fails with one of the library's typed exceptions ({@code
 * dev.vectorcache.core.exception}), whose whole text holds no canary secret, and within its time
 * bound. Every scenario routes its failures through here; the counters are reported.
 */
final class Outcomes {
  private static final AtomicLong TYPED_FAILURES = new AtomicLong();

  private Outcomes() {}

  /** The failure behind future wrappers. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * Asserts that {@code failure} is typed and clean, and returns it.
   *
   * @param what the call, for the assertion message
   */
  static VectorCacheException typed(String what, Throwable failure) {
    Throwable c = unwrap(failure);
    String text = Canaries.fullText(c);
    assertThat(c).as("%s failed untyped:%n%s", what, text).isInstanceOf(VectorCacheException.class);
    Canaries.assertAbsent(what + "'s exception", text);
    TYPED_FAILURES.incrementAndGet();
    return (VectorCacheException) c;
  }

  /** Asserts {@link #typed} and that the call took at most {@code bound}. */
  static VectorCacheException typedWithin(
      String what, Throwable failure, Duration took, Duration bound) {
    VectorCacheException e = typed(what, failure);
    assertThat(took)
        .as("%s failed after %s, bound %s: %s", what, took, bound, e)
        .isLessThanOrEqualTo(bound);
    return e;
  }

  /** Typed failures seen so far in this JVM. */
  static long typedFailures() {
    return TYPED_FAILURES.get();
  }
}
