package dev.vectorcache.qdrant;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.ClusterRequests;
import io.qdrant.client.grpc.Collections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * {@link ClusterRequests} of {@link QdrantVectorStore}: the store's own operations with the options
 * set on the request ({@link QdrantClusterMapping}), and Qdrant's shard-key calls. Creating and
 * deleting a shard key is sent once (a second attempt after a lost reply would fail on a key that
 * now exists, or no longer does); listing keys is retried like any read.
 */
final class QdrantClusterRequests implements ClusterRequests {
  private final QdrantVectorStore store;

  QdrantClusterRequests(QdrantVectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> createShardKey(String collection, ShardKey key) {
    QdrantRequests.checkName(collection);
    var request =
        Collections.CreateShardKeyRequest.newBuilder()
            .setCollectionName(collection)
            .setRequest(
                Collections.CreateShardKey.newBuilder()
                    .setShardKey(QdrantClusterMapping.shardKey(Objects.requireNonNull(key, "key"))))
            .build();
    return QdrantVectorStore.done(
        store.callOnce(
            "create shard key " + key,
            collection,
            t -> store.stubs.collections(t).createShardKey(request)));
  }

  @Override
  public CompletableFuture<Void> deleteShardKey(String collection, ShardKey key) {
    QdrantRequests.checkName(collection);
    var request =
        Collections.DeleteShardKeyRequest.newBuilder()
            .setCollectionName(collection)
            .setRequest(
                Collections.DeleteShardKey.newBuilder()
                    .setShardKey(QdrantClusterMapping.shardKey(Objects.requireNonNull(key, "key"))))
            .build();
    return QdrantVectorStore.done(
        store.callOnce(
            "delete shard key " + key,
            collection,
            t -> store.stubs.collections(t).deleteShardKey(request)));
  }

  @Override
  public CompletableFuture<List<ShardKey>> listShardKeys(String collection) {
    QdrantRequests.checkName(collection);
    return listShardKeys(collection, store.newDeadline());
  }

  CompletableFuture<List<ShardKey>> listShardKeys(String collection, long deadline) {
    var request =
        Collections.ListShardKeysRequest.newBuilder().setCollectionName(collection).build();
    return store
        .call(
            "list shard keys",
            collection,
            t -> store.stubs.collections(t).listShardKeys(request),
            deadline)
        .thenApply(
            r -> {
              List<ShardKey> keys = new ArrayList<>(r.getShardKeysCount());
              for (Collections.ShardKeyDescription d : r.getShardKeysList()) {
                keys.add(QdrantClusterMapping.shardKey(d.getKey()));
              }
              return keys;
            });
  }

  /**
   * What Qdrant creates apart from the collection: its shard keys, then its tenant index. Should
   * one of them fail, the collection just created is deleted again (once, its outcome ignored), so
   * no half-configured collection stays behind, and the first failure is reported.
   */
  CompletableFuture<Void> completeCreation(String collection, CollectionConfig config) {
    TenantIndex tenant = config.tenantIndex();
    if (config.shardKeys().isEmpty() && tenant == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
    for (ShardKey key : config.shardKeys()) {
      steps = steps.thenCompose(v -> createShardKey(collection, key));
    }
    if (tenant != null) {
      var request = QdrantClusterMapping.tenantIndex(collection, tenant);
      steps =
          steps.thenCompose(
              v ->
                  QdrantVectorStore.done(
                      store.call(
                          "create tenant index",
                          collection,
                          t -> store.stubs.points(t).createFieldIndex(request))));
    }
    return steps.exceptionallyCompose(
        e -> {
          Throwable cause = Futures.unwrap(e);
          return store
              .deleteCollection(collection)
              .handle((deleted, ignored) -> (Void) null)
              .thenCompose(v -> CompletableFuture.failedFuture(cause));
        });
  }

  @Override
  public CompletableFuture<Void> upsert(
      String collection, List<PointStruct> points, WriteOptions options) {
    return store.upsert(collection, points, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector withPayload,
      boolean withVectors,
      ReadOptions options) {
    return store.retrieve(
        collection, ids, withPayload, withVectors, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> delete(
      String collection, Collection<PointId> ids, WriteOptions options) {
    return store.delete(collection, ids, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(
      String collection, Filter filter, WriteOptions options) {
    return store.deleteByFilter(collection, filter, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(
      String collection, SearchRequest request, ReadOptions options) {
    return store.search(collection, request, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Long> count(
      String collection, @Nullable Filter filter, ReadOptions options) {
    return store.count(collection, filter, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(
      String collection, ScrollRequest request, ReadOptions options) {
    return store.scroll(collection, request, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    return store.payloadWrite(
        "set payload", collection, ids, payload, false, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    return store.payloadWrite(
        "overwrite payload",
        collection,
        ids,
        payload,
        true,
        Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options) {
    return store.deletePayloadKeys(
        collection, ids, keys, Objects.requireNonNull(options, "options"));
  }

  @Override
  public CompletableFuture<Void> clearPayload(
      String collection, Collection<PointId> ids, WriteOptions options) {
    return store.clearPayload(collection, ids, Objects.requireNonNull(options, "options"));
  }
}
