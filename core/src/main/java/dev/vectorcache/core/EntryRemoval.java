package dev.vectorcache.core;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The two stores' side of {@link VectorCache}'s deletes by key and of its expiry moves, in the
 * library's write order (vector store first, then the metadata-store copies, then the events). The
 * façade checks the input and times the calls; deletes by filter are {@link Sweeper}'s.
 */
final class EntryRemoval {
  private final AsyncVectorStore vectors;
  private final String collection;
  private final EntryWriter writer;
  private final MetadataCopies copies;
  private final CacheCounters counters;
  private final Clock clock;

  EntryRemoval(
      AsyncVectorStore vectors,
      String collection,
      EntryWriter writer,
      MetadataCopies copies,
      CacheCounters counters,
      Clock clock) {
    this.vectors = vectors;
    this.collection = collection;
    this.writer = writer;
    this.copies = copies;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Deletes the points of {@code keys} (checked, distinct, not empty) in one vector-store call,
   * then drops their copies and announces those that existed.
   *
   * @return how many existed in the vector store
   */
  CompletableFuture<Long> deleteAll(List<String> keys) {
    List<PointId> ids = new ArrayList<>(keys.size());
    for (String key : keys) {
      ids.add(writer.pointId(key));
    }
    return vectors
        .retrieve(collection, ids, EntryPayload.BOOKKEEPING, false)
        .thenCompose(
            found -> vectors.delete(collection, ids).thenCompose(v -> forget(keys, found)));
  }

  /**
   * After a delete: drops the copies and announces the keys that existed, in one round trip on the
   * caller's path.
   */
  private CompletableFuture<Long> forget(List<String> keys, List<RetrievedPoint> found) {
    Map<String, Long> versions = new HashMap<>();
    for (RetrievedPoint p : found) {
      PayloadHit h = EntryPayload.read(p.id(), 0f, p.payload());
      if (h.key() != null) {
        versions.put(h.key(), h.version());
      }
    }
    Instant now = clock.instant();
    List<CacheEntry> gone = new ArrayList<>(keys.size());
    List<CacheEntry> existed = new ArrayList<>(found.size());
    for (String key : keys) {
      Long version = versions.get(key);
      CacheEntry e = new CacheEntry(key, Map.of(), version == null ? 0 : version, now);
      gone.add(e);
      if (version != null) {
        existed.add(e);
      }
    }
    CompletableFuture<Void> dropped = copies.invalidate(gone);
    CompletableFuture<Void> told = copies.publish(existed, MetadataEvent.Type.DELETED);
    long count = existed.size();
    if (count > 0) {
      counters.deleted(count);
    }
    return dropped.thenCombine(told, (x, y) -> count);
  }

  /**
   * Moves the expiry of {@code entry} (as read) to {@code expiresAt} (checked): the point's payload
   * first, then the copy, rewritten only over a copy of the same version. Nothing changes when the
   * point is gone, expired, without expiry or of another version.
   *
   * @return whether the point was moved
   */
  CompletableFuture<Boolean> extendExpiry(CacheEntry entry, Instant expiresAt) {
    PointId id = writer.pointId(entry.key());
    return vectors
        .retrieve(collection, List.of(id), EntryPayload.BOOKKEEPING, false)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.completedFuture(false);
              }
              PayloadHit h = EntryPayload.read(id, 0f, found.get(0).payload());
              if (h.version() != entry.version()
                  || h.expiresAt() == null // no expiry to move: never give it one
                  || !h.isLiveAt(clock.instant())) {
                return CompletableFuture.completedFuture(false);
              }
              CacheEntry moved =
                  new CacheEntry(entry.key(), entry.metadata(), entry.version(), expiresAt);
              return vectors
                  .setPayload(
                      collection,
                      List.of(id),
                      Map.of(EntryPayload.EXPIRES_AT, expiresAt.toEpochMilli()))
                  .thenCompose(v -> copies.refresh(moved))
                  .thenApply(refreshed -> true);
            });
  }
}
