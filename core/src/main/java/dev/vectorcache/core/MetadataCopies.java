package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.adapter.OutageLog;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's side of the metadata store: copies of entries under {@code collection:key}, their
 * invalidation, the write-backs after misses and the collection's events.
 *
 * <p>The metadata store is a cache of the vector store, so every call here tolerates failure: it is
 * logged (see {@link OutageLog}) and counted, and the returned future completes normally. Every
 * call goes through the {@link CircuitBreaker}: while it is open no call is sent. A store's copy
 * and its event travel in one round trip ({@link BatchMetadataWrites} when the store offers it);
 * write-backs go to the bounded {@link WriteBackQueue}, off the caller's path.
 */
final class MetadataCopies {
  private final AsyncMetadataStore store;
  // the blocking store's calls as completed futures, on the caller's thread (null: not given)
  private final @Nullable AsyncMetadataStore onCaller;
  private final @Nullable BatchMetadataWrites batches;
  private final String collection;
  private final CacheStrategy strategy;
  private final boolean publishEvents;
  private final Clock clock;
  private final CacheCounters counters;
  private final CircuitBreaker breaker;
  private final OutageLog log;
  private final WriteBackQueue writeBacks;

  /** Most keys remembered as pending invalidation (see {@link #remember}). */
  static final int MAX_PENDING_INVALIDATIONS = 100_000;

  /** Most pending keys sent again in one call. */
  static final int RETRY_BATCH = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(MetadataCopies.class);
  private final Map<String, Boolean> pendingInvalidations = new ConcurrentHashMap<>();
  private final AtomicBoolean invalidationsLost = new AtomicBoolean();
  private final AtomicBoolean retrying = new AtomicBoolean();

  MetadataCopies(
      AsyncMetadataStore store,
      String collection,
      VectorCacheBuilder settings,
      CacheCounters counters,
      Executor executor) {
    this.store = store;
    MetadataStore blocking = settings.blockingMetadata;
    this.onCaller = blocking == null ? null : new InlineAsyncMetadataStore(blocking);
    this.batches = store.extension(BatchMetadataWrites.class).orElse(null);
    this.collection = collection;
    this.strategy = settings.strategy;
    this.publishEvents = settings.publishEvents;
    this.clock = settings.clock;
    this.counters = counters;
    this.breaker =
        new CircuitBreaker(settings.circuitBreaker, clock, collection, counters::circuitChanged);
    this.log =
        new OutageLog(
            LoggerFactory.getLogger(MetadataCopies.class),
            clock,
            "metadata store of collection " + collection,
            "continuing with the vector store");
    this.writeBacks =
        new WriteBackQueue(
            settings.writeBackQueueCapacity,
            executor,
            this::sendWriteBacks,
            counters::writeBacksDropped);
  }

  /** Whether the metadata store holds copies at all (not with {@code PAYLOAD_ONLY}). */
  boolean enabled() {
    return strategy != CacheStrategy.PAYLOAD_ONLY;
  }

  /** The metadata-store key of a cache key. */
  String key(String cacheKey) {
    return collection + ":" + cacheKey;
  }

  CircuitState circuitState() {
    return breaker.state();
  }

  int writeBacksPending() {
    return writeBacks.size();
  }

  CompletableFuture<Void> flush() {
    return writeBacks.flush();
  }

  /** Drops the queued write-backs (on close). */
  void close() {
    writeBacks.clear();
  }

  /**
   * Writes copies of just-stored entries and announces them, in one round trip: the only
   * metadata-store call on the path of a store.
   */
  CompletableFuture<Void> putAll(List<CacheEntry> entries) {
    Instant now = clock.instant();
    List<CopyWrite> writes = new ArrayList<>(enabled() ? entries.size() : 0);
    if (enabled()) {
      for (CacheEntry e : entries) {
        CopyWrite w = copyOf(e, now, CopyWrite.Condition.ALWAYS);
        if (w != null) {
          writes.add(w);
        }
      }
    }
    List<MetadataEvent> events = events(entries, MetadataEvent.Type.STORED);
    if (writes.isEmpty() && events.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return call("put", () -> write(writes, events), null).thenApply(n -> null);
  }

  /**
   * Queues a write-back of an entry read from the vector store after a miss (cache-aside only): a
   * compare-and-set that cannot overwrite a newer copy. Never waits.
   */
  void writeBack(CacheEntry entry, Instant now) {
    if (strategy != CacheStrategy.CACHE_ASIDE) {
      return;
    }
    CopyWrite w = copyOf(entry, now, CopyWrite.Condition.IF_NEWER);
    if (w != null && writeBacks.offer(w)) {
      counters.writeBackQueued();
    }
  }

  /**
   * The copies of these metadata-store keys, in one call; empty when the call fails. With {@code
   * onCallerThread}, and a blocking metadata store given to the builder, the call runs on the
   * calling thread through it (a blocking cache call then hands nothing to the store's executor);
   * otherwise through the async form.
   */
  CompletableFuture<Map<String, MetadataEntry>> readAll(List<String> keys, boolean onCallerThread) {
    if (keys.isEmpty() || !enabled()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    AsyncMetadataStore s = onCallerThread && onCaller != null ? onCaller : store;
    return call("getAll", () -> s.getAll(keys), Map.of());
  }

  /**
   * Drops the copies of these entries, so that no reader takes an old version as current. When the
   * call fails (or the breaker is open), the keys are remembered as pending: until a later attempt
   * drops them, {@link #trusted()} is false and readers that trust copies alone must not.
   */
  CompletableFuture<Void> invalidate(List<CacheEntry> entries) {
    if (!enabled() || entries.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> keys = entries.stream().map(e -> key(e.key())).toList();
    return dropCopies(keys);
  }

  private CompletableFuture<Void> dropCopies(List<String> keys) {
    return call("deleteAll", () -> store.deleteAll(keys).thenApply(n -> Boolean.TRUE), false)
        .thenAccept(
            dropped -> {
              if (Boolean.TRUE.equals(dropped)) {
                keys.forEach(pendingInvalidations::remove);
              } else {
                remember(keys);
              }
            });
  }

  /**
   * Remembers keys whose copies could not be dropped, up to {@link #MAX_PENDING_INVALIDATIONS};
   * beyond that, which keys may hold a stale copy is no longer known, so copies read alone are
   * never trusted again by this cache (logged once).
   */
  private void remember(List<String> keys) {
    for (String k : keys) {
      if (pendingInvalidations.size() >= MAX_PENDING_INVALIDATIONS) {
        if (invalidationsLost.compareAndSet(false, true)) {
          LOG.warn(
              "collection {}: more than {} metadata-store copies could not be invalidated; copies"
                  + " read alone (a semantic cache's exact tier) are no longer trusted by this"
                  + " cache",
              collection,
              MAX_PENDING_INVALIDATIONS);
        }
        return;
      }
      pendingInvalidations.put(k, Boolean.TRUE);
    }
  }

  /**
   * Whether a copy read alone (without the vector store's version) may be trusted now: the breaker
   * is closed and no invalidation is pending. When some are pending, one more attempt to drop them
   * (at most {@value #RETRY_BATCH} at a time) is started in the background.
   */
  boolean trusted() {
    if (!enabled() || breaker.state() != CircuitState.CLOSED || invalidationsLost.get()) {
      return false;
    }
    if (pendingInvalidations.isEmpty()) {
      return true;
    }
    if (retrying.compareAndSet(false, true)) {
      List<String> keys = pendingInvalidations.keySet().stream().limit(RETRY_BATCH).toList();
      // dropCopies tolerates failure (the keys stay pending); the flag lets the next caller retry
      CompletableFuture<Void> unused = dropCopies(keys).whenComplete((v, e) -> retrying.set(false));
    }
    return false;
  }

  /** How many dropped copies wait for a successful invalidation. */
  int invalidationsPending() {
    return pendingInvalidations.size();
  }

  /**
   * The copy of one cache key, read alone: one metadata-store call, through the breaker; empty on a
   * miss, a failure, or while copies cannot be {@linkplain #trusted() trusted}.
   */
  CompletableFuture<Optional<MetadataEntry>> readTrusted(String cacheKey) {
    if (!trusted()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return call("get", () -> store.get(key(cacheKey)), Optional.<MetadataEntry>empty());
  }

  /**
   * Rewrites the copy of an entry whose expiry changed, only over a copy of the same version (so
   * that a deleted or newer copy stays as it is); completes with whether it was applied.
   */
  CompletableFuture<Boolean> refresh(CacheEntry entry) {
    CopyWrite w =
        enabled() ? copyOf(entry, clock.instant(), CopyWrite.Condition.IF_SAME_VERSION) : null;
    if (w == null) {
      return CompletableFuture.completedFuture(false);
    }
    return call("refresh", () -> write(List.of(w), List.of()), 0)
        .thenApply(n -> n != null && n > 0);
  }

  /** Announces these entries on the collection's channel, when events are on. */
  CompletableFuture<Void> publish(List<CacheEntry> entries, MetadataEvent.Type type) {
    List<MetadataEvent> events = events(entries, type);
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return call("publish", () -> write(List.of(), events), null).thenApply(n -> null);
  }

  /** The copy of an entry with its remaining time to live; null when it has expired at now. */
  private @Nullable CopyWrite copyOf(CacheEntry entry, Instant now, CopyWrite.Condition condition) {
    Instant expiresAt = entry.expiresAt();
    @Nullable Duration ttl = expiresAt == null ? null : Duration.between(now, expiresAt);
    if (ttl != null && ttl.compareTo(Duration.ofMillis(1)) < 0) {
      return null; // expired, or less than the stores' 1 ms precision left
    }
    MetadataEntry copy =
        new MetadataEntry(key(entry.key()), entry.metadata(), entry.version(), expiresAt);
    return new CopyWrite(copy, ttl, condition);
  }

  private List<MetadataEvent> events(List<CacheEntry> entries, MetadataEvent.Type type) {
    if (!publishEvents || entries.isEmpty()) {
      return List.of();
    }
    Instant at = clock.instant();
    List<MetadataEvent> out = new ArrayList<>(entries.size());
    for (CacheEntry e : entries) {
      out.add(new MetadataEvent(type, collection, e.key(), e.version(), at));
    }
    return out;
  }

  /** One round trip with the extension; else every command at once (a store without it). */
  private CompletableFuture<Integer> write(List<CopyWrite> writes, List<MetadataEvent> events) {
    BatchMetadataWrites b = batches;
    if (b != null) {
      return b.writeAll(writes, events);
    }
    List<CompletableFuture<?>> sent = new ArrayList<>(writes.size() + events.size());
    int applied = 0;
    for (CopyWrite w : writes) {
      if (w.condition() == CopyWrite.Condition.IF_SAME_VERSION) {
        continue; // cannot be checked without the extension; the copy keeps its older expiry
      }
      sent.add(store.put(w.entry(), w.ttl()));
      applied++;
    }
    for (MetadataEvent e : events) {
      sent.add(store.publish(e));
    }
    int written = applied;
    return CompletableFuture.allOf(sent.toArray(CompletableFuture<?>[]::new))
        .thenApply(v -> written);
  }

  private CompletableFuture<Void> sendWriteBacks(List<CopyWrite> batch) {
    return call(
            "writeBack",
            () -> write(batch, List.of()),
            -1,
            () -> counters.writeBacksDropped(batch.size())) // an open breaker drops the batch
        .thenAccept(
            n -> {
              if (n != null && n >= 0) {
                counters.writeBacksWritten(n);
              }
            });
  }

  /**
   * Runs one metadata-store call through the breaker: not sent while it is open ({@code fallback}
   * then); failures are logged, counted and turned into {@code fallback}.
   */
  private <T> CompletableFuture<T> call(
      String operation, Supplier<CompletableFuture<T>> call, @Nullable T fallback) {
    return call(operation, call, fallback, () -> {});
  }

  private <T> CompletableFuture<T> call(
      String operation,
      Supplier<CompletableFuture<T>> call,
      @Nullable T fallback,
      Runnable onRejected) {
    CircuitBreaker.Permit permit = breaker.acquire();
    if (permit == CircuitBreaker.Permit.REJECT) {
      counters.shortCircuited();
      onRejected.run();
      return CompletableFuture.completedFuture(fallback);
    }
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      // Whatever the metadata store refuses, the vector store has the entry already: the write
      // order promises that the call still succeeds (a refused copy is counted like a failed one).
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle(
        (value, error) -> {
          if (error == null) {
            breaker.record(permit, false);
            log.success();
            return value;
          }
          Throwable cause = Futures.unwrap(error);
          breaker.record(permit, CircuitBreaker.countsAsFailure(cause));
          counters.metadataFailure(operation, cause);
          log.failure(operation, cause);
          return fallback;
        });
  }
}
