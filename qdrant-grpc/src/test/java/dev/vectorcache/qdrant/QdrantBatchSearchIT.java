package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.grpc.Points;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchSearch} of the adapter against the test server: one SearchBatch call per batch, bad
 * input refused with no call, the read options where Qdrant reads them, retried like any read. (The
 * answers themselves are the contract's, {@code QdrantTestServerContractIT}.)
 */
class QdrantBatchSearchIT {
  private static QdrantTestServer server;
  private VectorStore store;
  private BatchSearch batch;

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
    batch = store.extension(BatchSearch.class).orElseThrow();
    server.faults().clear();
  }

  @AfterEach
  void close() {
    server.faults().clear();
    for (String c : store.listCollections()) {
      store.deleteCollection(c);
    }
    store.close();
  }

  private static PointStruct point(long id, float x) {
    return PointStruct.of(PointId.of(id), new float[] {x, 0}, Map.of());
  }

  private static SearchRequest nearest(float x, int limit) {
    return SearchRequest.builder(new float[] {x, 0}, limit).build();
  }

  @Test
  void oneCallPerBatchAndNoneForBadInput() {
    assertThat(store.isSupported(Capability.BATCH_SEARCH)).isTrue();
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("c", List.of(point(1, 1), point(2, 2), point(3, 3)));
    server.resetRequestCounts();

    List<List<ScoredPoint>> hits =
        Futures.join(batch.searchBatch("c", List.of(nearest(1, 1), nearest(-1, 1), nearest(1, 3))));

    assertThat(hits).hasSize(3);
    assertThat(hits.get(0)).extracting(ScoredPoint::id).containsExactly(PointId.of(3));
    assertThat(hits.get(1)).extracting(ScoredPoint::id).containsExactly(PointId.of(1));
    assertThat(hits.get(2)).hasSize(3);
    assertThat(server.requestCount("SearchBatch")).isEqualTo(1);
    assertThat(server.totalRequests()).isEqualTo(1);
    Points.SearchBatchPoints sent =
        Objects.requireNonNull(server.lastRequest("SearchBatch", Points.SearchBatchPoints.class));
    assertThat(sent.getSearchPointsList())
        .extracting(Points.SearchPoints::getCollectionName)
        .containsOnly("c");
    assertThat(sent.hasReadConsistency()).isFalse();

    // the collection's params are cached: bad input is refused before any call
    server.resetRequestCounts();
    SearchRequest wrongDimension = SearchRequest.builder(new float[] {1, 0, 0}, 1).build();
    assertThatThrownBy(() -> batch.searchBatch("c", List.of(nearest(1, 1), wrongDimension)))
        .isInstanceOf(DimensionMismatchException.class);
    assertThatThrownBy(() -> batch.searchBatch("c", Arrays.asList(nearest(1, 1), null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("requests[1]");
    assertThatThrownBy(() -> batch.searchBatch("bad/name", List.of(nearest(1, 1))))
        .isInstanceOf(InvalidInputException.class);
    assertThat(server.totalRequests()).isZero();
  }

  @Test
  void readConsistencyGoesOnTheBatchAndShardKeysOnEachSearch() {
    ShardKey a = ShardKey.of("a");
    ShardKey b = ShardKey.of("b");
    store.createCollection(
        "tenants", CollectionConfig.builder(2, Distance.DOT).customSharding(a, b).build());
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    cluster
        .upsert(
            "tenants",
            List.of(point(1, 1), point(2, 2)),
            WriteOptions.builder().shardKeys(a).build())
        .join();

    ReadOptions inA =
        ReadOptions.builder().shardKeys(a).consistency(ReadConsistency.majority()).build();
    List<List<ScoredPoint>> fromA =
        Futures.join(batch.searchBatch("tenants", List.of(nearest(1, 5), nearest(1, 1)), inA));
    assertThat(fromA.get(0)).hasSize(2);
    assertThat(fromA.get(1)).extracting(ScoredPoint::id).containsExactly(PointId.of(2));

    Points.SearchBatchPoints sent =
        Objects.requireNonNull(server.lastRequest("SearchBatch", Points.SearchBatchPoints.class));
    assertThat(sent.getReadConsistency().getType()).isEqualTo(Points.ReadConsistencyType.Majority);
    for (Points.SearchPoints s : sent.getSearchPointsList()) {
      assertThat(s.hasReadConsistency()).isFalse();
      assertThat(s.getShardKeySelector().getShardKeys(0).getKeyword()).isEqualTo("a");
    }

    ReadOptions inB = ReadOptions.builder().shardKeys(b).build();
    assertThat(Futures.join(batch.searchBatch("tenants", List.of(nearest(1, 5)), inB)))
        .isEqualTo(List.of(List.of()));
  }

  @Test
  void aBatchIsRetriedLikeAnyRead() {
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("c", List.of(point(1, 1)));
    server.resetRequestCounts();
    server.faults().injectOnce(FaultMode.UNAVAILABLE, "SearchBatch");

    assertThat(Futures.join(batch.searchBatch("c", List.of(nearest(1, 1)))))
        .isEqualTo(List.of(Futures.join(store.async().search("c", nearest(1, 1)))));
    assertThat(server.requestCount("SearchBatch")).isEqualTo(2);
  }
}
