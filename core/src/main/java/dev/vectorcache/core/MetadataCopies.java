package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's side of the metadata store: copies of entries under {@code collection:key}, their
 * invalidation and the collection's events. The metadata store is a cache of the vector store, so
 * every call here tolerates failure: it is logged and counted, and the returned future completes
 * normally.
 */
final class MetadataCopies {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataCopies.class);

  private final AsyncMetadataStore store;
  private final String collection;
  private final CacheStrategy strategy;
  private final boolean publishEvents;
  private final Clock clock;
  private final CacheCounters counters;

  MetadataCopies(
      AsyncMetadataStore store,
      String collection,
      CacheStrategy strategy,
      boolean publishEvents,
      Clock clock,
      CacheCounters counters) {
    this.store = store;
    this.collection = collection;
    this.strategy = strategy;
    this.publishEvents = publishEvents;
    this.clock = clock;
    this.counters = counters;
  }

  /** Whether the metadata store holds copies at all (not with {@code PAYLOAD_ONLY}). */
  boolean enabled() {
    return strategy != CacheStrategy.PAYLOAD_ONLY;
  }

  /** Whether a payload fallback is written back (cache-aside). */
  boolean writesBack() {
    return strategy == CacheStrategy.CACHE_ASIDE;
  }

  /** The metadata-store key of a cache key. */
  String key(String cacheKey) {
    return collection + ":" + cacheKey;
  }

  /** Writes copies of just-stored entries, then announces them. */
  CompletableFuture<Void> putAll(List<CacheEntry> entries) {
    if (!enabled()) {
      return publish(entries, MetadataEvent.Type.STORED);
    }
    Instant now = clock.instant();
    List<CompletableFuture<Void>> puts = new ArrayList<>(entries.size());
    for (CacheEntry e : entries) {
      puts.add(put(e, now));
    }
    return allOf(puts).thenCompose(v -> publish(entries, MetadataEvent.Type.STORED));
  }

  /**
   * Writes one copy with the entry's remaining time to live, or with none for an entry without
   * expiry. An entry already expired at {@code now} is not written.
   */
  CompletableFuture<Void> put(CacheEntry entry, Instant now) {
    Instant expiresAt = entry.expiresAt();
    @Nullable Duration ttl = expiresAt == null ? null : Duration.between(now, expiresAt);
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      return CompletableFuture.completedFuture(null);
    }
    MetadataEntry copy =
        new MetadataEntry(key(entry.key()), entry.metadata(), entry.version(), expiresAt);
    return tolerate("put", () -> store.put(copy, ttl));
  }

  /** The copies of these metadata-store keys, in one call; empty when the call fails. */
  CompletableFuture<Map<String, MetadataEntry>> readAll(List<String> keys) {
    if (keys.isEmpty() || !enabled()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    CompletableFuture<Map<String, MetadataEntry>> read;
    try {
      read = store.getAll(keys);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return read.exceptionally(
        e -> {
          noteFailure("getAll", e);
          return Map.of();
        });
  }

  /** Drops the copies of these entries, so that no reader takes an old version as current. */
  CompletableFuture<Void> invalidate(List<CacheEntry> entries) {
    if (!enabled() || entries.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> keys = entries.stream().map(e -> key(e.key())).toList();
    return tolerate("deleteAll", () -> store.deleteAll(keys).thenApply(n -> null));
  }

  /** Announces these entries on the collection's channel, when events are on. */
  CompletableFuture<Void> publish(List<CacheEntry> entries, MetadataEvent.Type type) {
    if (!publishEvents || entries.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Instant at = clock.instant();
    List<CompletableFuture<Void>> sent = new ArrayList<>(entries.size());
    for (CacheEntry e : entries) {
      MetadataEvent event = new MetadataEvent(type, collection, e.key(), e.version(), at);
      sent.add(tolerate("publish", () -> store.publish(event)));
    }
    return allOf(sent);
  }

  static CompletableFuture<Void> allOf(List<CompletableFuture<Void>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new));
  }

  private CompletableFuture<Void> tolerate(
      String operation, Supplier<CompletableFuture<Void>> call) {
    CompletableFuture<Void> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      // Whatever the metadata store refuses, the vector store has the entry already: the write
      // order promises that the call still succeeds (a refused copy is counted like a failed one).
      f = CompletableFuture.failedFuture(e);
    }
    return f.exceptionally(
        e -> {
          noteFailure(operation, e);
          return null;
        });
  }

  private void noteFailure(String operation, Throwable e) {
    Throwable c = Futures.unwrap(e);
    counters.metadataFailure(operation, c);
    LOG.warn(
        "metadata store {} failed for collection {}; continuing with the vector store: {}",
        operation,
        collection,
        c.toString());
  }
}
