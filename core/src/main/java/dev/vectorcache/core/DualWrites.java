package dev.vectorcache.core;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The second half of a cache's writes while a migration runs ({@link Route.DualWrite}): the new
 * model's points of a store, and the deletes and expiry moves mirrored into the new collection.
 * Each runs after the same write to the old collection has been applied, the order the migration's
 * backfill relies on.
 */
final class DualWrites {
  private final AsyncVectorStore vectors;

  DualWrites(AsyncVectorStore vectors) {
    this.vectors = vectors;
  }

  /** The new model's points of a store, computed and checked before any I/O. */
  static List<PointStruct> points(Route.DualWrite dual, EntryWriter.Batch batch) {
    List<PointStruct> out = new ArrayList<>(batch.points().size());
    for (int i = 0; i < batch.points().size(); i++) {
      PointStruct p = batch.points().get(i);
      CacheEntry entry = batch.entries().get(i);
      PointStruct next = reembedded(dual, entry, p.id(), p.vector(), p.payload());
      if (next != null) { // null: the entry is left behind, as the backfill does
        out.add(next);
      }
    }
    return out;
  }

  /**
   * The new model's point of {@code entry} (its vector from the plan's function, checked against
   * the new collection's rules; its payload with the new model id), or {@code null} when the
   * function leaves the entry behind.
   */
  static @Nullable PointStruct reembedded(
      Route.DualWrite dual,
      CacheEntry entry,
      PointId id,
      float[] previous,
      Map<String, Object> payload) {
    float[] v = dual.reembedder().reEmbed(entry, previous);
    if (v == null) {
      return null;
    }
    float[] checked = dual.checks().vector(v, "reembedder result for key \"" + entry.key() + "\"");
    return new PointStruct(id, checked, EntryPayload.withModel(payload, dual.modelId()));
  }

  /** {@code first}, then the new model's points into the new collection. */
  CompletableFuture<Void> store(
      CompletableFuture<Void> first, Route.@Nullable DualWrite dual, List<PointStruct> second) {
    if (dual == null || second.isEmpty()) {
      return first;
    }
    String target = dual.target();
    return first.thenCompose(v -> vectors.upsert(target, second));
  }

  /** {@code deleted}, then the ids of the same keys deleted from the new collection. */
  CompletableFuture<Long> delete(
      CompletableFuture<Long> deleted,
      Route.@Nullable DualWrite dual,
      List<String> keys,
      Function<String, PointId> idOf) {
    if (dual == null) {
      return deleted; // no migration: no ids to derive
    }
    String target = dual.target();
    List<PointId> ids = keys.stream().map(idOf).toList();
    return deleted.thenCompose(n -> vectors.delete(target, ids).thenApply(v -> n));
  }

  /** {@code deleted}, then what {@code filter} matches (every entry when null) in the new one. */
  CompletableFuture<Long> deleteWhere(
      CompletableFuture<Long> deleted, Route.@Nullable DualWrite dual, @Nullable Filter filter) {
    if (dual == null) {
      return deleted;
    }
    String target = dual.target();
    // every cache entry has a key: "has a key" matches them all
    Filter what = filter != null ? filter : Filter.mustNot(Condition.isEmpty(EntryPayload.KEY));
    return deleted.thenCompose(n -> vectors.deleteByFilter(target, what).thenApply(v -> n));
  }

  /**
   * {@code moved}, then, when it moved the old collection's point, the new collection's point of
   * the same version moved too (a point copied at another version is left alone).
   */
  CompletableFuture<Boolean> extendExpiry(
      CompletableFuture<Boolean> moved,
      Route.@Nullable DualWrite dual,
      PointId id,
      long version,
      Instant expiresAt) {
    if (dual == null) {
      return moved;
    }
    String target = dual.target();
    return moved.thenCompose(
        ok -> {
          if (!ok) {
            return CompletableFuture.completedFuture(false);
          }
          return vectors
              .retrieve(target, List.of(id), EntryPayload.VERSION_ONLY, false)
              .thenCompose(
                  found -> {
                    if (found.isEmpty()
                        || EntryPayload.version(found.get(0).payload(), -1) != version) {
                      return CompletableFuture.completedFuture(true);
                    }
                    return vectors
                        .setPayload(
                            target,
                            List.of(id),
                            Map.of(EntryPayload.EXPIRES_AT, expiresAt.toEpochMilli()))
                        .thenApply(v -> true);
                  });
        });
  }
}
