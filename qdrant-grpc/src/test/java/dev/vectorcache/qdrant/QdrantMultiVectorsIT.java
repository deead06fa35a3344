package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiVectors} of the adapter against the test server: the messages sent (named and sparse
 * spaces, {@code using}, prefetches and fusion), bad input refused with no call, retries as the
 * docs' table says. (The answers themselves are the contract's, {@code
 * QdrantTestServerContractIT}.)
 */
class QdrantMultiVectorsIT {
  private static QdrantTestServer server;
  private VectorStore store;
  private MultiVectors mv;

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
    mv = store.extension(MultiVectors.class).orElseThrow();
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

  private static MultiVectorConfig spaces() {
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    dense.put("text", DenseVectorConfig.of(2, Distance.DOT));
    dense.put("image", DenseVectorConfig.of(3, Distance.COSINE).withStorageMode(StorageMode.MMAP));
    Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
    sparse.put("bm25", SparseVectorParams.IDF);
    sparse.put("kw", SparseVectorParams.DEFAULT);
    return MultiVectorConfig.of(dense, sparse);
  }

  private static SparseVector sparse(int index, float value) {
    return SparseVector.of(new int[] {index}, new float[] {value});
  }

  private static MultiVectorPoint point(long id, float x) {
    return MultiVectorPoint.of(
        PointId.of(id),
        Map.of("text", new float[] {x, 0}),
        Map.of("bm25", sparse(1, x)),
        Map.of("n", id));
  }

  @Test
  void createSendsNamedAndSparseSpacesAndReadsThemBack() {
    assertThat(store.isSupported(Capability.NAMED_VECTORS)).isTrue();
    assertThat(store.isSupported(Capability.SPARSE_VECTORS)).isTrue();
    assertThat(store.isSupported(Capability.FUSION_QUERIES)).isTrue();
    Futures.join(mv.createCollection("c", spaces()));

    Collections.CreateCollection sent =
        Objects.requireNonNull(server.lastRequest("Create", Collections.CreateCollection.class));
    Map<String, Collections.VectorParams> named =
        sent.getVectorsConfig().getParamsMap().getMapMap();
    assertThat(named.keySet()).containsExactlyInAnyOrder("text", "image");
    assertThat(named.get("text").getSize()).isEqualTo(2);
    assertThat(named.get("text").getDistance()).isEqualTo(Collections.Distance.Dot);
    assertThat(named.get("image").getOnDisk()).isTrue();
    assertThat(named.get("text").hasOnDisk()).isTrue();
    assertThat(named.get("text").getOnDisk()).isFalse();
    Map<String, Collections.SparseVectorParams> sparse = sent.getSparseVectorsConfig().getMapMap();
    assertThat(sparse.get("bm25").getModifier()).isEqualTo(Collections.Modifier.Idf);
    assertThat(sparse.get("kw").hasModifier()).isFalse();
    assertThat(sent.getMetadataMap().get("vectorcache.storage_mode.image").getStringValue())
        .isEqualTo("MMAP");

    // under a memmap_threshold an in-memory space leaves on_disk unset (false would pin it in RAM)
    MultiVectorConfig plain = spaces();
    Futures.join(
        mv.createCollection(
            "t",
            new MultiVectorConfig(
                plain.dense(), plain.sparse(), true, new OptimizersConfig(64L, null, null))));
    Collections.CreateCollection threshold =
        Objects.requireNonNull(server.lastRequest("Create", Collections.CreateCollection.class));
    Map<String, Collections.VectorParams> thresholdNamed =
        threshold.getVectorsConfig().getParamsMap().getMapMap();
    assertThat(thresholdNamed.get("text").hasOnDisk()).isFalse();
    assertThat(thresholdNamed.get("image").getOnDisk()).isTrue();
    assertThat(threshold.getOptimizersConfig().getMemmapThreshold()).isEqualTo(64L);

    // only the dense name "" is sent as the unnamed vector
    Futures.join(
        mv.createCollection(
            "u",
            MultiVectorConfig.of(
                Map.of("", DenseVectorConfig.of(2, Distance.DOT)),
                Map.of("kw", SparseVectorParams.DEFAULT))));
    Collections.CreateCollection unnamed =
        Objects.requireNonNull(server.lastRequest("Create", Collections.CreateCollection.class));
    assertThat(unnamed.getVectorsConfig().hasParams()).isTrue();

    // a store that has not seen the collection reads its spaces first, then sends the search
    VectorStore other = QdrantVectorStore.open(VectorStoreConfig.fromUrl(server.url())).blocking();
    try {
      MultiVectors fresh = other.extension(MultiVectors.class).orElseThrow();
      assertThat(Futures.join(fresh.vectorsConfig("c")).dense().get("image").storageMode())
          .isEqualTo(StorageMode.MMAP);
      server.resetRequestCounts();
      assertThatThrownBy(
              () ->
                  Futures.join(
                      fresh.search(
                          "c", "image", SearchRequest.builder(new float[] {1, 0}, 1).build())))
          .isInstanceOf(DimensionMismatchException.class);
      assertThat(server.totalRequests()).isZero(); // the spaces were cached by vectorsConfig
    } finally {
      other.close();
    }
  }

  @Test
  void badInputSendsNothing() {
    Futures.join(mv.createCollection("c", spaces()));
    Futures.join(mv.upsert("c", List.of(point(1, 1))));
    server.resetRequestCounts();

    SearchRequest ok = SearchRequest.builder(new float[] {1, 0}, 1).build();
    assertThatThrownBy(() -> mv.search("c", "nope", ok))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("using");
    assertThatThrownBy(() -> mv.search("c", "bm25", ok)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> mv.searchSparse("c", "text", SparseSearch.of(sparse(1, 1), 1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> mv.search("c", "image", SearchRequest.builder(new float[] {0, 0, 0}, 1).build()))
        .isInstanceOf(InvalidVectorException.class);
    MultiVectorPoint badName =
        MultiVectorPoint.of(PointId.of(2), Map.of("nope", new float[] {1, 0}), Map.of(), Map.of());
    assertThatThrownBy(() -> mv.upsert("c", List.of(point(3, 1), badName)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("points[1]");
    assertThatThrownBy(() -> mv.updateVectors("c", List.of(badName)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> mv.deleteVectors("c", List.of(PointId.of(1)), Set.of("nope")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                HybridQuery.of(
                    Fusion.RRF,
                    5,
                    VectorSearch.dense(
                        "text", SearchRequest.builder(new float[] {1, 0}, 3).offset(1).build())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("searches[0].offset");
    assertThatThrownBy(
            () -> mv.createVectorName("c", "text", DenseVectorConfig.of(2, Distance.DOT)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                mv.createVectorName(
                    "c",
                    "more",
                    DenseVectorConfig.of(2, Distance.DOT).withStorageMode(StorageMode.MMAP)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> mv.createSparseVectorName("c", "", SparseVectorParams.DEFAULT))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> mv.deleteVectorName("c", "nope"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> mv.createVectorName("c", "a/b", DenseVectorConfig.of(2, Distance.DOT)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(server.totalRequests()).isZero();

    // the port's upsert needs the vector "", which this collection lacks: refused after reading
    // the collection's info once, then with no call at all
    List<PointStruct> plain = List.of(PointStruct.of(PointId.of(5), new float[] {1, 0}, Map.of()));
    assertThatThrownBy(() -> store.upsert("c", plain))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("named vectors only");
    assertThat(server.requestCount("Upsert")).isZero();
    server.resetRequestCounts();
    assertThatThrownBy(() -> store.upsert("c", plain)).isInstanceOf(InvalidInputException.class);
    assertThat(server.totalRequests()).isZero();
  }

  @Test
  void searchesSendUsingAndAHybridQueryIsOneQueryWithPrefetches() {
    Futures.join(mv.createCollection("c", spaces()));
    Futures.join(mv.upsert("c", List.of(point(1, 1), point(2, 2))));
    server.resetRequestCounts();

    List<ScoredPoint> hits =
        Futures.join(
            mv.search(
                "c",
                "text",
                SearchRequest.builder(new float[] {1, 0}, 1).withVectors(true).build()));
    assertThat(hits.get(0).vector()).containsExactly(2f, 0f);
    Points.QueryPoints search =
        Objects.requireNonNull(server.lastRequest("Query", Points.QueryPoints.class));
    assertThat(search.getUsing()).isEqualTo("text");
    assertThat(search.getWithVectors().getInclude().getNamesList()).containsExactly("text");

    Futures.join(mv.searchSparse("c", "bm25", SparseSearch.of(sparse(1, 1), 3)));
    Points.QueryPoints sparseSearch =
        Objects.requireNonNull(server.lastRequest("Query", Points.QueryPoints.class));
    assertThat(sparseSearch.getUsing()).isEqualTo("bm25");
    assertThat(sparseSearch.getQuery().getNearest().getSparse().getIndicesList())
        .containsExactly(1);

    server.resetRequestCounts();
    HybridQuery q =
        HybridQuery.of(
                Fusion.DBSF,
                7,
                VectorSearch.dense(
                    "text",
                    SearchRequest.builder(new float[] {1, 0}, 4)
                        .filter(Filter.must(Condition.match("n", 1L)))
                        .scoreThreshold(0.5f)
                        .build()),
                VectorSearch.sparse("bm25", SparseSearch.of(sparse(1, 1), 5)))
            .withPayload(PayloadSelector.ALL);
    Futures.join(mv.query("c", q));
    assertThat(server.totalRequests()).isEqualTo(1);
    Points.QueryPoints sent =
        Objects.requireNonNull(server.lastRequest("Query", Points.QueryPoints.class));
    assertThat(sent.getQuery().getFusion()).isEqualTo(Points.Fusion.DBSF);
    assertThat(sent.getLimit()).isEqualTo(7);
    assertThat(sent.getWithPayload().getEnable()).isTrue();
    assertThat(sent.getPrefetchList()).hasSize(2);
    Points.PrefetchQuery dense = sent.getPrefetch(0);
    assertThat(dense.getUsing()).isEqualTo("text");
    assertThat(dense.getLimit()).isEqualTo(4);
    assertThat(dense.getScoreThreshold()).isEqualTo(0.5f);
    assertThat(dense.hasFilter()).isTrue();
    assertThat(dense.getQuery().getNearest().getDense().getDataList()).containsExactly(1f, 0f);
    Points.PrefetchQuery sparse = sent.getPrefetch(1);
    assertThat(sparse.getUsing()).isEqualTo("bm25");
    assertThat(sparse.getLimit()).isEqualTo(5);
    assertThat(sparse.hasFilter()).isFalse();
  }

  @Test
  void readsAndIdempotentWritesAreRetriedAndSpaceChangesAreNot() {
    Futures.join(mv.createCollection("c", spaces()));
    Futures.join(mv.upsert("c", List.of(point(1, 1))));

    server.resetRequestCounts();
    server.faults().injectOnce(FaultMode.UNAVAILABLE, "Query");
    assertThat(
            Futures.join(
                mv.search("c", "text", SearchRequest.builder(new float[] {1, 0}, 1).build())))
        .hasSize(1);
    assertThat(server.requestCount("Query")).isEqualTo(2);

    server.faults().injectOnce(FaultMode.UNAVAILABLE, "DeleteVectors");
    Futures.join(mv.deleteVectors("c", List.of(PointId.of(1)), Set.of("bm25")));
    assertThat(server.requestCount("DeleteVectors")).isEqualTo(2);

    server.faults().injectOnce(FaultMode.UNAVAILABLE, "CreateVectorName");
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.createVectorName("c", "more", DenseVectorConfig.of(2, Distance.DOT))))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(server.requestCount("CreateVectorName")).isEqualTo(1);

    server.faults().injectOnce(FaultMode.UNAVAILABLE, "Create");
    assertThatThrownBy(() -> Futures.join(mv.createCollection("d", spaces())))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(server.requestCount("Create")).isEqualTo(1);
  }
}
