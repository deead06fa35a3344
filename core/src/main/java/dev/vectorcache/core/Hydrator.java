package dev.vectorcache.core;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns hits (bookkeeping fields only) into entries: one metadata-store read for all hits; a copy
 * is used when its version is the payload's; a miss or a stale copy falls back to the full payload
 * (one vector-store read for all such hits, shared with concurrent reads of the same key and
 * version) and, with cache-aside, is queued to be written back with the remaining time to live. A
 * hit that expired meanwhile, or that is not a cache entry, is dropped; one without expiry is live.
 * With a {@link NearCache}, a hit whose version is remembered there is hydrated from it and not
 * read at all; accepted copies and payloads are remembered.
 */
final class Hydrator {
  private final AsyncVectorStore vectors;
  private final String collection;
  private final MetadataCopies copies;
  private final Clock clock;
  private final CacheCounters counters;
  private final @Nullable NearCache near;

  /** A payload read under way: the point and the version its hit carried. */
  private record Flight(PointId id, long version) {}

  private final ConcurrentHashMap<Flight, CompletableFuture<Optional<RetrievedPoint>>> inFlight =
      new ConcurrentHashMap<>();

  Hydrator(
      AsyncVectorStore vectors,
      String collection,
      MetadataCopies copies,
      Clock clock,
      CacheCounters counters,
      @Nullable NearCache near) {
    this.vectors = vectors;
    this.collection = collection;
    this.copies = copies;
    this.clock = clock;
    this.counters = counters;
    this.near = near;
  }

  /** Forgets a key's remembered metadata (its entry was deleted here). */
  void forget(String key) {
    if (near != null) {
      near.remove(key);
    }
  }

  /** Forgets all remembered metadata. */
  void forgetAll() {
    if (near != null) {
      near.clear();
    }
  }

  /** Entries in the near cache; 0 without one. */
  int nearCacheSize() {
    return near == null ? 0 : near.size();
  }

  /**
   * Reads the hits' copies in one call, then hydrates; with {@code onCallerThread} the read runs on
   * the calling thread when it can ({@link MetadataCopies#readAll}).
   */
  CompletableFuture<List<CacheHit>> hydrate(List<PayloadHit> hits, boolean onCallerThread) {
    @Nullable CacheHit[] out = remembered(hits);
    @Nullable String[] storeKeys = storeKeys(hits, out);
    List<String> keys = new ArrayList<>(hits.size());
    for (String k : storeKeys) {
      if (k != null) {
        keys.add(k);
      }
    }
    // all remembered: no keys, and readAll sends nothing
    return copies
        .readAll(keys, onCallerThread)
        .thenCompose(found -> hydrate(hits, storeKeys, found, out));
  }

  /** The hits hydrated from the near cache, the others null. */
  private @Nullable CacheHit[] remembered(List<PayloadHit> hits) {
    @Nullable CacheHit[] out = new CacheHit[hits.size()];
    NearCache memo = near;
    if (memo == null) {
      return out;
    }
    Instant now = clock.instant();
    for (int i = 0; i < out.length; i++) {
      PayloadHit h = hits.get(i);
      String key = h.key();
      if (key == null || !h.isLiveAt(now)) {
        continue; // dropped below
      }
      Map<String, Object> metadata = memo.get(key, h.version());
      if (metadata != null) {
        counters.nearCacheHit();
        CacheEntry entry = new CacheEntry(key, metadata, h.version(), h.expiresAt());
        out[i] = new CacheHit(entry, h.score(), CacheHit.Source.NEAR_CACHE);
      }
    }
    return out;
  }

  /** The hits, with metadata from the copies where current, else from the payload. */
  CompletableFuture<List<CacheHit>> hydrate(
      List<PayloadHit> hits, Map<String, MetadataEntry> found) {
    @Nullable CacheHit[] out = new CacheHit[hits.size()];
    return hydrate(hits, storeKeys(hits, out), found, out);
  }

  /**
   * The metadata-store key of each hit still to hydrate: {@code null} for one already in {@code
   * done} (remembered) or that is not a cache entry.
   */
  private @Nullable String[] storeKeys(List<PayloadHit> hits, @Nullable CacheHit[] done) {
    @Nullable String[] keys = new String[hits.size()];
    for (int i = 0; i < keys.length; i++) {
      String key = hits.get(i).key();
      keys[i] = key == null || done[i] != null ? null : copies.key(key);
    }
    return keys;
  }

  /**
   * As {@link #hydrate(List, Map)}, with each hit's metadata-store key made once; the hits already
   * in {@code out} (from the near cache) are kept.
   */
  private CompletableFuture<List<CacheHit>> hydrate(
      List<PayloadHit> hits,
      @Nullable String[] storeKeys,
      Map<String, MetadataEntry> found,
      @Nullable CacheHit[] out) {
    Instant now = clock.instant();
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      PayloadHit h = hits.get(i);
      String key = h.key();
      if (out[i] != null || key == null || !h.isLiveAt(now)) {
        continue; // remembered, expired since the search, or not a cache entry
      }
      @Nullable MetadataEntry copy = found.isEmpty() ? null : found.get(storeKeys[i]);
      if (copy != null && copy.version() == h.version() && !copy.isExpiredAt(now)) {
        counters.metadataHit();
        remember(key, h.version(), copy.metadata());
        CacheEntry entry = new CacheEntry(key, copy.metadata(), h.version(), h.expiresAt());
        out[i] = new CacheHit(entry, h.score(), CacheHit.Source.METADATA_STORE);
      } else {
        if (copy != null && copy.version() != h.version()) {
          counters.staleRejected();
        }
        misses.add(i);
      }
    }
    if (misses.isEmpty()) {
      return CompletableFuture.completedFuture(compact(out));
    }
    return fromPayloads(hits, misses, out);
  }

  /**
   * Fills {@code out[i]} for each miss from the full payload, queueing a write-back if configured.
   * Reads are single-flight: a miss whose key and version are already being read joins that read
   * instead of sending another, and only the read's leader queues the write-back.
   */
  private CompletableFuture<List<CacheHit>> fromPayloads(
      List<PayloadHit> hits, List<Integer> misses, @Nullable CacheHit[] out) {
    List<PointId> lead = new ArrayList<>(misses.size());
    Map<Flight, CompletableFuture<Optional<RetrievedPoint>>> mine = new HashMap<>();
    List<CompletableFuture<Optional<RetrievedPoint>>> reads = new ArrayList<>(misses.size());
    boolean[] leads = new boolean[misses.size()]; // whether this call leads miss m's read
    for (int i : misses) {
      PayloadHit h = hits.get(i);
      Flight flight = new Flight(h.id(), h.version());
      CompletableFuture<Optional<RetrievedPoint>> read = mine.get(flight);
      if (read == null) {
        CompletableFuture<Optional<RetrievedPoint>> fresh = new CompletableFuture<>();
        read = inFlight.putIfAbsent(flight, fresh);
        if (read == null) {
          read = fresh;
          mine.put(flight, fresh);
          lead.add(h.id());
          leads[reads.size()] = true;
        } else {
          counters.singleFlightJoin();
        }
      }
      reads.add(read);
    }
    if (!lead.isEmpty()) {
      fetch(lead, mine);
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture<?>[]::new))
        .thenApply(
            v -> {
              Instant at = clock.instant();
              for (int m = 0; m < misses.size(); m++) {
                int i = misses.get(m);
                RetrievedPoint p = reads.get(m).join().orElse(null);
                CacheEntry entry = p == null ? null : entryOf(p, at);
                if (entry == null) {
                  continue; // deleted or expired since the search
                }
                counters.metadataMiss();
                remember(entry.key(), entry.version(), entry.metadata());
                out[i] =
                    new CacheHit(entry, hits.get(i).score(), CacheHit.Source.VECTOR_STORE_PAYLOAD);
                if (leads[m]) {
                  copies.writeBack(entry, at); // queued: the caller does not wait for it
                }
              }
              return compact(out);
            });
  }

  private void remember(String key, long version, Map<String, Object> metadata) {
    if (near != null) {
      near.put(key, version, metadata);
    }
  }

  /** One vector-store read for the points this call leads; completes and releases the flights. */
  private void fetch(
      List<PointId> ids, Map<Flight, CompletableFuture<Optional<RetrievedPoint>>> flights) {
    CompletableFuture<List<RetrievedPoint>> read;
    try {
      read = vectors.retrieve(collection, ids, PayloadSelector.ALL, false);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<?> unused =
        read.whenComplete(
            (points, error) -> {
              Map<PointId, RetrievedPoint> byId = new HashMap<>();
              if (points != null) {
                for (RetrievedPoint p : points) {
                  byId.put(p.id(), p);
                }
              }
              flights.forEach(
                  (flight, f) -> {
                    inFlight.remove(flight, f);
                    if (error != null) {
                      f.completeExceptionally(error);
                    } else {
                      f.complete(Optional.ofNullable(byId.get(flight.id())));
                    }
                  });
            });
  }

  /** The entry a full payload holds, or null when it is not a live cache entry at {@code now}. */
  private static @Nullable CacheEntry entryOf(RetrievedPoint p, Instant now) {
    PayloadHit full = EntryPayload.read(p.id(), 0f, p.payload());
    String key = full.key();
    if (key == null || !full.isLiveAt(now)) {
      return null;
    }
    return new CacheEntry(
        key, EntryPayload.userMetadata(p.payload()), full.version(), full.expiresAt());
  }

  private static List<CacheHit> compact(@Nullable CacheHit[] hits) {
    List<CacheHit> out = new ArrayList<>(hits.length);
    for (CacheHit h : hits) {
      if (h != null) {
        out.add(h);
      }
    }
    return List.copyOf(out);
  }
}
