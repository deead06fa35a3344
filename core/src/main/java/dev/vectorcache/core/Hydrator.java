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
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Turns hits (bookkeeping fields only) into entries: one metadata-store read for all hits; a copy
 * is used when its version is the payload's; a miss or a stale copy falls back to the full payload
 * (one vector-store read for all such hits) and, with cache-aside, is written back with the
 * remaining time to live. A hit that expired meanwhile, or that is not a cache entry, is dropped;
 * one without expiry is live.
 */
final class Hydrator {
  private final AsyncVectorStore vectors;
  private final String collection;
  private final MetadataCopies copies;
  private final Clock clock;
  private final CacheCounters counters;

  Hydrator(
      AsyncVectorStore vectors,
      String collection,
      MetadataCopies copies,
      Clock clock,
      CacheCounters counters) {
    this.vectors = vectors;
    this.collection = collection;
    this.copies = copies;
    this.clock = clock;
    this.counters = counters;
  }

  /** Reads the hits' copies in one call, then hydrates. */
  CompletableFuture<List<CacheHit>> hydrate(List<PayloadHit> hits) {
    List<String> keys = new ArrayList<>(hits.size());
    for (PayloadHit h : hits) {
      String key = h.key();
      if (key != null) {
        keys.add(copies.key(key));
      }
    }
    return copies.readAll(keys).thenCompose(found -> hydrate(hits, found));
  }

  /** The hits, with metadata from the copies where current, else from the payload. */
  CompletableFuture<List<CacheHit>> hydrate(
      List<PayloadHit> hits, Map<String, MetadataEntry> found) {
    Instant now = clock.instant();
    @Nullable CacheHit[] out = new CacheHit[hits.size()];
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      PayloadHit h = hits.get(i);
      String key = h.key();
      if (key == null || !h.isLiveAt(now)) {
        continue; // expired since the search, or not a cache entry
      }
      MetadataEntry copy = found.get(copies.key(key));
      if (copy != null && copy.version() == h.version() && !copy.isExpiredAt(now)) {
        counters.metadataHit();
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

  /** Fills {@code out[i]} for each miss from the full payload, writing it back if configured. */
  private CompletableFuture<List<CacheHit>> fromPayloads(
      List<PayloadHit> hits, List<Integer> misses, @Nullable CacheHit[] out) {
    List<PointId> ids = new ArrayList<>(misses.size());
    for (int i : misses) {
      ids.add(hits.get(i).id());
    }
    return vectors
        .retrieve(collection, ids, PayloadSelector.ALL, false)
        .thenCompose(
            points -> {
              Map<PointId, RetrievedPoint> byId = new HashMap<>();
              for (RetrievedPoint p : points) {
                byId.put(p.id(), p);
              }
              Instant at = clock.instant();
              List<CompletableFuture<Void>> writeBack = new ArrayList<>();
              for (int i : misses) {
                RetrievedPoint p = byId.get(hits.get(i).id());
                CacheEntry entry = p == null ? null : entryOf(p, at);
                if (entry == null) {
                  continue; // deleted or expired since the search
                }
                counters.metadataMiss();
                out[i] =
                    new CacheHit(entry, hits.get(i).score(), CacheHit.Source.VECTOR_STORE_PAYLOAD);
                if (copies.writesBack()) {
                  writeBack.add(copies.put(entry, at));
                }
              }
              return MetadataCopies.allOf(writeBack).thenApply(v -> compact(out));
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
