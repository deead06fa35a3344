package dev.vectorcache.semantic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters behind {@link EmbeddingCache#stats()}, the fan-out to the {@link
 * EmbeddingCacheListener}s, and the log of tolerated metadata-store failures: one WARN line at most
 * every {@link #WARN_EVERY} (with how many failures it summarises), DEBUG for the others. A
 * listener that throws is logged and skipped.
 */
final class EmbeddingCacheEvents {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
  static final Duration WARN_EVERY = Duration.ofSeconds(10);

  private final List<EmbeddingCacheListener> listeners;
  private final Clock clock;
  private final String name;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder embedCalls = new LongAdder();
  private final LongAdder textsEmbedded = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();
  private final LongAdder singleFlightJoins = new LongAdder();
  private final AtomicLong nextWarnAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong unlogged = new AtomicLong();

  EmbeddingCacheEvents(List<EmbeddingCacheListener> listeners, Clock clock, String name) {
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.name = name;
  }

  void lookedUp(int hitCount, int missCount, long nanos) {
    hits.add(hitCount);
    misses.add(missCount);
    tell(l -> l.onLookup(hitCount, missCount, nanos));
  }

  void embedded(int texts, long nanos, boolean failed) {
    embedCalls.increment();
    if (!failed) {
      textsEmbedded.add(texts);
    }
    tell(l -> l.onEmbed(texts, nanos, failed));
  }

  void joined(int count) {
    singleFlightJoins.add(count);
  }

  /** A tolerated failure of {@code operation} (a port method name), counted, logged, reported. */
  void storeFailed(String operation, Throwable cause) {
    storeFailures.increment();
    Instant now = clock.instant();
    long at = now.toEpochMilli();
    long next = nextWarnAt.get();
    if (at >= next && nextWarnAt.compareAndSet(next, at + WARN_EVERY.toMillis())) {
      long earlier = unlogged.getAndSet(0);
      LOG.warn(
          "embedding cache {}: metadata-store {} failed, carrying on without it (a failed read is"
              + " a miss, a failed write is dropped){}: {}",
          name,
          operation,
          earlier == 0 ? "" : "; " + earlier + " more failures since the last warning",
          cause.toString());
    } else {
      unlogged.incrementAndGet();
      LOG.debug(
          "embedding cache {}: metadata-store {} failed: {}", name, operation, cause.toString());
    }
    tell(l -> l.onStoreFailure(operation));
  }

  EmbeddingCacheStats snapshot() {
    return new EmbeddingCacheStats(
        hits.sum(),
        misses.sum(),
        embedCalls.sum(),
        textsEmbedded.sum(),
        storeFailures.sum(),
        singleFlightJoins.sum());
  }

  private void tell(Consumer<EmbeddingCacheListener> event) {
    for (EmbeddingCacheListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn(
            "embedding cache listener {} failed; ignoring it: {}",
            l.getClass().getName(),
            e.toString());
      }
    }
  }
}
