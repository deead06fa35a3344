package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.ClusterRequests;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * {@link ClusterRequests} of the embedded engine, run inline like its async form. Shard keys are
 * honoured for real ({@link MemShards}). Read consistency and write ordering are accepted and have
 * nothing to change: the engine is one node holding one copy of each shard, so every read already
 * sees all replicas (ALL, MAJORITY, QUORUM and any factor hold) and every write is ordered by the
 * one copy it is applied to before it returns (WEAK, MEDIUM and STRONG coincide).
 */
final class EmbeddedClusterRequests implements ClusterRequests {
  private final InMemoryVectorStore store;

  EmbeddedClusterRequests(InMemoryVectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> createShardKey(String collection, ShardKey key) {
    return Futures.run(() -> store.createShardKey(collection, key));
  }

  @Override
  public CompletableFuture<Void> deleteShardKey(String collection, ShardKey key) {
    return Futures.run(() -> store.deleteShardKey(collection, key));
  }

  @Override
  public CompletableFuture<List<ShardKey>> listShardKeys(String collection) {
    return Futures.now(() -> store.listShardKeys(collection));
  }

  @Override
  public CompletableFuture<Void> upsert(
      String collection, List<PointStruct> points, WriteOptions options) {
    return Futures.run(() -> store.upsert(collection, points, checked(options)));
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors,
      ReadOptions options) {
    return Futures.now(
        () -> store.retrieve(collection, ids, withPayload, withVectors, checked(options)));
  }

  @Override
  public CompletableFuture<Void> delete(
      String collection, Collection<PointId> ids, WriteOptions options) {
    return Futures.run(() -> store.delete(collection, ids, checked(options)));
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(
      String collection, Filter filter, WriteOptions options) {
    return Futures.run(() -> store.deleteByFilter(collection, filter, checked(options)));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(
      String collection, SearchRequest request, ReadOptions options) {
    return Futures.now(() -> store.search(collection, request, checked(options)));
  }

  @Override
  public CompletableFuture<Long> count(
      String collection, @Nullable Filter filter, ReadOptions options) {
    return Futures.now(() -> store.count(collection, filter, checked(options)));
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(
      String collection, ScrollRequest request, ReadOptions options) {
    return Futures.now(() -> store.scroll(collection, request, checked(options)));
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    return Futures.run(() -> store.setPayload(collection, ids, payload, checked(options)));
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    return Futures.run(() -> store.overwritePayload(collection, ids, payload, checked(options)));
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options) {
    return Futures.run(() -> store.deletePayloadKeys(collection, ids, keys, checked(options)));
  }

  @Override
  public CompletableFuture<Void> clearPayload(
      String collection, Collection<PointId> ids, WriteOptions options) {
    return Futures.run(() -> store.clearPayload(collection, ids, checked(options)));
  }

  private static <T> T checked(T options) {
    return Objects.requireNonNull(options, "options");
  }
}
