package dev.vectorcache.semantic;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters behind {@link SemanticCacheStats}, and the fan-out of each event to the registered
 * {@link SemanticCacheListener}s. A listener that throws is logged and skipped: metrics never fail
 * a cache call.
 */
final class Counters {
  private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

  private final List<SemanticCacheListener> listeners;
  private final AtomicLong exactHits = new AtomicLong();
  private final AtomicLong semanticHits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong invalidated = new AtomicLong();
  private final AtomicLong modelSwept = new AtomicLong();
  private final AtomicLong extensionsQueued = new AtomicLong();
  private final AtomicLong extensionsDropped = new AtomicLong();
  private final AtomicLong extended = new AtomicLong();

  Counters(List<SemanticCacheListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * A listener for the parts that report to the cache (the ranking's evictions): counted here and
   * passed on to the registered listeners.
   */
  SemanticCacheListener asListener() {
    return new SemanticCacheListener() {
      @Override
      public void onEvicted(long count) {
        evicted(count);
      }
    };
  }

  void hit(Tier tier, double score, long nanos) {
    (tier == Tier.EXACT ? exactHits : semanticHits).incrementAndGet();
    tell(l -> l.onHit(tier, score, nanos));
  }

  void miss(long nanos) {
    misses.incrementAndGet();
    tell(l -> l.onMiss(nanos));
  }

  void rejected() {
    rejected.incrementAndGet();
    tell(SemanticCacheListener::onRejected);
  }

  void put(long nanos) {
    puts.incrementAndGet();
    tell(l -> l.onPut(nanos));
  }

  void evicted(long count) {
    evicted.addAndGet(count);
    tell(l -> l.onEvicted(count));
  }

  void invalidated(long count) {
    invalidated.addAndGet(count);
    tell(l -> l.onInvalidated(count));
  }

  void modelSwept(long count) {
    modelSwept.addAndGet(count);
    tell(l -> l.onModelSwept(count));
  }

  void extensionQueued() {
    extensionsQueued.incrementAndGet();
  }

  void extensionDropped() {
    extensionsDropped.incrementAndGet();
  }

  void extended(int count) {
    extended.addAndGet(count);
    tell(l -> l.onExpiryExtended(count));
  }

  SemanticCacheStats snapshot() {
    return new SemanticCacheStats(
        exactHits.get(),
        semanticHits.get(),
        misses.get(),
        rejected.get(),
        puts.get(),
        evicted.get(),
        invalidated.get(),
        modelSwept.get(),
        extensionsQueued.get(),
        extensionsDropped.get(),
        extended.get());
  }

  private void tell(Consumer<SemanticCacheListener> event) {
    for (SemanticCacheListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("a SemanticCacheListener ({}) threw; ignored", l.getClass().getName(), e);
      }
    }
  }
}
