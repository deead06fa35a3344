package dev.vectorcache.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters behind {@link CacheStats}, and the fan-out of each event to the registered {@link
 * CacheListener}s. A listener that throws is logged and skipped: metrics never fail a cache call.
 */
final class CacheCounters {
  private static final Logger LOG = LoggerFactory.getLogger(CacheCounters.class);

  private final List<CacheListener> listeners;
  private final AtomicLong stores = new AtomicLong();
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong metadataHits = new AtomicLong();
  private final AtomicLong metadataMisses = new AtomicLong();
  private final AtomicLong staleRejected = new AtomicLong();
  private final AtomicLong metadataFailures = new AtomicLong();
  private final AtomicLong expiredSwept = new AtomicLong();
  private final AtomicLong writeBacksQueued = new AtomicLong();
  private final AtomicLong writeBacksWritten = new AtomicLong();
  private final AtomicLong writeBacksDropped = new AtomicLong();
  private final AtomicLong singleFlightJoins = new AtomicLong();
  private final AtomicLong shortCircuited = new AtomicLong();
  private final AtomicLong circuitOpenings = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong nearCacheHits = new AtomicLong();

  CacheCounters(List<CacheListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void stored(int count) {
    stores.addAndGet(count);
    tell(l -> l.onStored(count));
  }

  void searched() {
    searches.incrementAndGet();
    tell(CacheListener::onSearch);
  }

  void metadataHit() {
    metadataHits.incrementAndGet();
    tell(CacheListener::onMetadataHit);
  }

  void nearCacheHit() {
    nearCacheHits.incrementAndGet();
    tell(CacheListener::onNearCacheHit);
  }

  void metadataMiss() {
    metadataMisses.incrementAndGet();
    tell(CacheListener::onMetadataMiss);
  }

  void staleRejected() {
    staleRejected.incrementAndGet();
    tell(CacheListener::onStaleMetadataRejected);
  }

  void metadataFailure(String operation, Throwable cause) {
    metadataFailures.incrementAndGet();
    tell(l -> l.onMetadataStoreFailure(operation, cause));
  }

  void deleted(long count) {
    deleted.addAndGet(count);
    tell(l -> l.onDeleted(count));
  }

  void timed(CacheListener.Operation operation, long nanos, boolean failed) {
    tell(l -> l.onOperation(operation, nanos, failed));
  }

  void hitScores(List<CacheHit> hits) {
    if (listeners.isEmpty()) {
      return;
    }
    for (CacheHit h : hits) {
      float score = h.score();
      tell(l -> l.onHitScore(score));
    }
  }

  void swept(long count) {
    expiredSwept.addAndGet(count);
    tell(l -> l.onExpiredSwept(count));
  }

  void writeBackQueued() {
    writeBacksQueued.incrementAndGet();
  }

  void writeBacksWritten(int count) {
    writeBacksWritten.addAndGet(count);
  }

  void writeBacksDropped(int count) {
    writeBacksDropped.addAndGet(count);
    tell(l -> l.onWriteBacksDropped(count));
  }

  void singleFlightJoin() {
    singleFlightJoins.incrementAndGet();
  }

  void shortCircuited() {
    shortCircuited.incrementAndGet();
  }

  void circuitChanged(CircuitState from, CircuitState to) {
    if (to == CircuitState.OPEN) {
      circuitOpenings.incrementAndGet();
    }
    tell(l -> l.onCircuitStateChange(from, to));
  }

  CacheStats snapshot(
      CircuitState circuit, int writeBacksPending, int invalidationsPending, int nearCacheSize) {
    return new CacheStats(
        stores.get(),
        searches.get(),
        metadataHits.get(),
        metadataMisses.get(),
        staleRejected.get(),
        metadataFailures.get(),
        expiredSwept.get(),
        writeBacksQueued.get(),
        writeBacksWritten.get(),
        writeBacksDropped.get(),
        writeBacksPending,
        singleFlightJoins.get(),
        shortCircuited.get(),
        circuit,
        circuitOpenings.get(),
        deleted.get(),
        invalidationsPending,
        nearCacheHits.get(),
        nearCacheSize);
  }

  private void tell(Consumer<CacheListener> event) {
    for (CacheListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("cache listener {} failed; ignoring it: {}", l.getClass().getName(), e.toString());
      }
    }
  }
}
