package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.model.WriteOrdering;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Qdrant cluster settings over real gRPC against the test server: sent as set, read back, and shard
 * keys honoured. There is no distributed Qdrant here: what a cluster does with them is not tested,
 * only that they reach the server and come back.
 */
class QdrantClusterIT {
  private static final ShardKey A = ShardKey.of("tenant-a");
  private static final ShardKey B = ShardKey.of("tenant-b");
  private static QdrantTestServer server;
  private VectorStore store;
  private ClusterRequests cluster;

  @BeforeAll
  static void startServer() {
    server = QdrantTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void open() {
    store = QdrantVectorStore.open(VectorStoreConfig.fromUrl(server.url())).blocking();
    cluster = store.extension(ClusterRequests.class).orElseThrow();
  }

  @AfterEach
  void close() {
    for (String c : store.listCollections()) {
      store.deleteCollection(c);
    }
    store.close();
  }

  private static CollectionConfig clustered() {
    return CollectionConfig.builder(2, Distance.EUCLID)
        .shardNumber(3)
        .replicationFactor(2)
        .writeConsistencyFactor(2)
        .customSharding(A, B)
        .tenantIndex(TenantIndex.keyword("tenant"))
        .build();
  }

  private static PointStruct point(long id, float x) {
    return PointStruct.of(PointId.of(id), new float[] {x, 0}, Map.of("tenant", "t" + id));
  }

  @Test
  void settingsAreSentAndReadBack() {
    assertThat(store.isSupported(Capability.CLUSTER_REQUESTS)).isTrue();
    store.createCollection("c", clustered());

    Collections.CreateCollection sent =
        Objects.requireNonNull(server.lastRequest("Create", Collections.CreateCollection.class));
    assertThat(sent.getShardNumber()).isEqualTo(3);
    assertThat(sent.getReplicationFactor()).isEqualTo(2);
    assertThat(sent.getWriteConsistencyFactor()).isEqualTo(2);
    assertThat(sent.getShardingMethod()).isEqualTo(Collections.ShardingMethod.Custom);
    assertThat(server.requestCount("CreateShardKey")).isEqualTo(2);
    Points.CreateFieldIndexCollection index =
        Objects.requireNonNull(
            server.lastRequest("CreateFieldIndex", Points.CreateFieldIndexCollection.class));
    assertThat(index.getFieldName()).isEqualTo("tenant");
    assertThat(index.getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isTrue();

    // read back from GetCollectionInfo (+ ListShardKeys), by a store that has not seen it
    try (VectorStore other =
        QdrantVectorStore.open(VectorStoreConfig.fromUrl(server.url())).blocking()) {
      CollectionConfig back = other.collectionInfo("c").config();
      assertThat(back).isEqualTo(clustered());
    }
  }

  @Test
  void unsetSettingsAreNotSent() {
    store.createCollection("plain", CollectionConfig.builder(2, Distance.DOT).build());
    Collections.CreateCollection sent =
        Objects.requireNonNull(server.lastRequest("Create", Collections.CreateCollection.class));
    assertThat(sent.hasShardNumber()).isFalse();
    assertThat(sent.hasReplicationFactor()).isFalse();
    assertThat(sent.hasWriteConsistencyFactor()).isFalse();
    assertThat(sent.hasShardingMethod()).isFalse();
    CollectionConfig back = store.collectionInfo("plain").config();
    assertThat(back.shardingMethod()).isNull();
    assertThat(back.shardKeys()).isEmpty();
    assertThat(back.tenantIndex()).isNull();

    server.resetRequestCounts();
    cluster.count("plain", null, ReadOptions.DEFAULT).join();
    Points.CountPoints count =
        Objects.requireNonNull(server.lastRequest("Count", Points.CountPoints.class));
    assertThat(count.hasReadConsistency()).isFalse();
    assertThat(count.hasShardKeySelector()).isFalse();
  }

  @Test
  void aMismatchOfAnExistingCollectionIsReported() {
    store.createCollection("c", clustered());
    VectorCache cache =
        VectorCache.builder()
            .collection("c")
            .collectionConfig(clustered().toBuilder().replicationFactor(3).build())
            .vectorStore(QdrantVectorStore.open(VectorStoreConfig.fromUrl(server.url())))
            .metadataStore(new InMemoryMetadataStore())
            .build();
    try (cache) {
      assertThatThrownBy(cache::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("replicationFactor = 2")
          .hasMessageContaining("replicationFactor = 3");
    }
    VectorCache keys =
        VectorCache.builder()
            .collection("c")
            .collectionConfig(
                clustered().toBuilder().shardKeys(List.of(A, ShardKey.of("tenant-c"))).build())
            .vectorStore(QdrantVectorStore.open(VectorStoreConfig.fromUrl(server.url())))
            .metadataStore(new InMemoryMetadataStore())
            .build();
    try (keys) {
      assertThatThrownBy(keys::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("shardKeys");
    }
  }

  @Test
  void requestOptionsReachTheServer() {
    store.createCollection("c", clustered());
    WriteOptions write = WriteOptions.builder().ordering(WriteOrdering.STRONG).shardKeys(A).build();
    ReadOptions read =
        ReadOptions.builder().consistency(ReadConsistency.majority()).shardKeys(A).build();

    cluster.upsert("c", List.of(point(1, 1)), write).join();
    Points.UpsertPoints upsert =
        Objects.requireNonNull(server.lastRequest("Upsert", Points.UpsertPoints.class));
    assertThat(upsert.getOrdering().getType()).isEqualTo(Points.WriteOrderingType.Strong);
    assertThat(upsert.getShardKeySelector().getShardKeysList())
        .containsExactly(Collections.ShardKey.newBuilder().setKeyword("tenant-a").build());

    cluster.search("c", SearchRequest.builder(new float[] {0, 0}, 5).build(), read).join();
    Points.QueryPoints query =
        Objects.requireNonNull(server.lastRequest("Query", Points.QueryPoints.class));
    assertThat(query.getReadConsistency().getType()).isEqualTo(Points.ReadConsistencyType.Majority);
    assertThat(query.getShardKeySelector().getShardKeysCount()).isEqualTo(1);

    ReadOptions factor = read.mutate().consistency(ReadConsistency.factor(2)).build();
    cluster.retrieve("c", List.of(PointId.of(1)), PayloadSelector.ALL, false, factor).join();
    Points.GetPoints get =
        Objects.requireNonNull(server.lastRequest("Get", Points.GetPoints.class));
    assertThat(get.getReadConsistency().getFactor()).isEqualTo(2);
    assertThat(get.getShardKeySelector().getShardKeysCount()).isEqualTo(1);

    cluster.scroll("c", ScrollRequest.firstPage(5), read).join();
    assertThat(
            Objects.requireNonNull(server.lastRequest("Scroll", Points.ScrollPoints.class))
                .getShardKeySelector()
                .getShardKeysCount())
        .isEqualTo(1);
    cluster.setPayload("c", List.of(PointId.of(1)), Map.of("x", 1), write).join();
    cluster.deletePayloadKeys("c", List.of(PointId.of(1)), List.of("x"), write).join();
    cluster.clearPayload("c", List.of(PointId.of(1)), write).join();
    assertThat(
            Objects.requireNonNull(
                    server.lastRequest("ClearPayload", Points.ClearPayloadPoints.class))
                .getOrdering()
                .getType())
        .isEqualTo(Points.WriteOrderingType.Strong);
    cluster.delete("c", List.of(PointId.of(1)), write).join();
    assertThat(
            Objects.requireNonNull(server.lastRequest("Delete", Points.DeletePoints.class))
                .getShardKeySelector()
                .getShardKeysCount())
        .isEqualTo(1);
    assertThat(server.requestsWithoutDeadline()).isZero();
  }

  @Test
  void shardKeysIsolateTheirPoints() {
    store.createCollection("c", clustered());
    cluster.upsert("c", List.of(point(1, 1), point(2, 2)), to(A)).join();
    cluster.upsert("c", List.of(point(3, 3)), to(B)).join();
    SearchRequest q = SearchRequest.builder(new float[] {0, 0}, 10).build();

    assertThat(ids(cluster.search("c", q, in(A)).join())).containsExactly(1L, 2L);
    assertThat(ids(cluster.search("c", q, in(B)).join())).containsExactly(3L);
    assertThat(ids(store.search("c", q))).containsExactly(1L, 2L, 3L); // no selector: all keys
    assertThat(cluster.count("c", null, in(B)).join()).isEqualTo(1);
    assertThat(
            cluster
                .retrieve("c", List.of(PointId.of(1)), PayloadSelector.NONE, false, in(B))
                .join())
        .isEmpty();
    cluster
        .deleteByFilter(
            "c",
            dev.vectorcache.core.filter.Filter.must(
                dev.vectorcache.core.filter.Condition.hasId(PointId.of(3))),
            to(A))
        .join();
    assertThat(store.count("c", null)).isEqualTo(3); // point 3 is under B
    cluster.overwritePayload("c", List.of(PointId.of(3)), Map.of("y", 1), to(B)).join();
    assertThat(
            cluster
                .retrieve("c", List.of(PointId.of(3)), PayloadSelector.ALL, false, in(B))
                .join()
                .get(0)
                .payload())
        .containsOnlyKeys("y");

    cluster.createShardKey("c", ShardKey.of(9)).join();
    assertThat(cluster.listShardKeys("c").join()).containsExactlyInAnyOrder(A, B, ShardKey.of(9));
    cluster.deleteShardKey("c", B).join();
    assertThat(store.count("c", null)).isEqualTo(2);
  }

  @Test
  void shardKeyErrorsAreQdrantsErrors() {
    store.createCollection("c", clustered());
    // a write without a key on a custom-sharded collection, a key it does not have
    assertThatThrownBy(() -> store.upsert("c", List.of(point(1, 1))))
        .isInstanceOf(BackendRejectedException.class)
        .hasMessageContaining("shard");
    assertThatThrownBy(() -> cluster.count("c", null, in(ShardKey.of("nope"))).join())
        .hasRootCauseInstanceOf(io.grpc.StatusRuntimeException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> cluster.createShardKey("c", A).join())
        .hasCauseInstanceOf(BackendRejectedException.class);
    assertThatThrownBy(() -> cluster.listShardKeys("missing").join())
        .hasCauseInstanceOf(CollectionNotFoundException.class);
    // checked before any I/O
    server.resetRequestCounts();
    assertThatThrownBy(() -> cluster.createShardKey("bad/name", A))
        .isInstanceOf(InvalidInputException.class);
    assertThat(server.totalRequests()).isZero();
    store.createCollection("auto", CollectionConfig.builder(2, Distance.DOT).build());
    assertThatThrownBy(() -> cluster.upsert("auto", List.of(point(1, 1)), to(A)).join())
        .hasCauseInstanceOf(BackendRejectedException.class);
    assertThat(store.collectionInfo("auto").config().shardingMethod())
        .isNotEqualTo(ShardingMethod.CUSTOM);
  }

  @Test
  void aFailedCreationLeavesNoCollectionBehind() {
    // creating the shard key fails: the collection just created is deleted again
    server.resetRequestCounts();
    server.faults().injectOnce(FaultMode.UNAVAILABLE, "CreateShardKey");
    assertThatThrownBy(
            () ->
                store.createCollection(
                    "d", CollectionConfig.builder(2, Distance.DOT).customSharding(A).build()))
        .isInstanceOf(BackendUnavailableException.class);
    server.faults().clear();
    assertThat(store.collectionExists("d")).isFalse();
    assertThat(server.requestCount("Delete")).isEqualTo(1);
  }

  private static WriteOptions to(ShardKey... keys) {
    return WriteOptions.builder().shardKeys(keys).build();
  }

  private static ReadOptions in(ShardKey... keys) {
    return ReadOptions.builder().shardKeys(keys).build();
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    return hits.stream().map(h -> h.id().num()).toList();
  }
}
