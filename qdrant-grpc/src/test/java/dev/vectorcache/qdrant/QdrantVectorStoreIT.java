package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.spi.VectorStoreConfig;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What is particular to the Qdrant adapter, against the test server over loopback gRPC. */
class QdrantVectorStoreIT {
  private static final String CANARY = "canary-key-7f3a9c";
  private static QdrantTestServer server;
  private VectorStore store;

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
  }

  @AfterEach
  void close() {
    for (String c : store.listCollections()) {
      store.deleteCollection(c);
    }
    store.close();
  }

  static Stream<CollectionConfig> memoryConfigs() {
    return Stream.of(
        CollectionConfig.memoryOptimized(384, Distance.COSINE),
        CollectionConfig.builder(8, Distance.EUCLID).storageMode(StorageMode.ON_DISK).build(),
        CollectionConfig.builder(8, Distance.DOT)
            .storageMode(StorageMode.MMAP)
            .quantization(QuantizationConfig.product(QuantizationConfig.Compression.X16, false))
            .hnsw(new HnswConfig(32, 256, 5000, false))
            .optimizers(new OptimizersConfig(20_000L, 10_000L, 2))
            .shardNumber(2)
            .replicationFactor(1)
            .writeConsistencyFactor(1)
            .build(),
        CollectionConfig.builder(16, Distance.MANHATTAN)
            .quantization(QuantizationConfig.binary(true))
            .indexType(IndexType.FLAT)
            .onDiskPayload(false)
            .build(),
        CollectionConfig.builder(4, Distance.COSINE)
            .quantization(QuantizationConfig.scalarInt8(0.95f, false))
            .build(),
        CollectionConfig.builder(6, Distance.COSINE)
            .optimizers(new OptimizersConfig(64L, null, null))
            .build());
  }

  @ParameterizedTest
  @MethodSource("memoryConfigs")
  void everyMemorySettingReachesTheServerAndReadsBackExactly(CollectionConfig config)
      throws Exception {
    store.createCollection("mem", config);
    Collections.CreateCollection sent =
        server.lastRequest("Create", Collections.CreateCollection.class);
    Collections.VectorParams vp = sent.getVectorsConfig().getParams();
    assertThat(vp.getSize()).isEqualTo(config.dimension());
    assertThat(vp.getOnDisk()).isEqualTo(config.storageMode() != StorageMode.IN_MEMORY);
    // an explicit on_disk=false would pin the vectors in RAM past memmap_threshold on Qdrant
    boolean thresholdMovesThem =
        config.storageMode() == StorageMode.IN_MEMORY
            && config.optimizers().memmapThresholdKb() != null;
    assertThat(vp.hasOnDisk()).isEqualTo(!thresholdMovesThem);
    assertThat(sent.getHnswConfig().getOnDisk()).isEqualTo(config.hnsw().onDisk());
    assertThat(sent.getHnswConfig().getM()).isEqualTo(config.hnsw().m());
    assertThat(sent.getHnswConfig().getEfConstruct()).isEqualTo(config.hnsw().efConstruct());
    assertThat(sent.getOnDiskPayload()).isEqualTo(config.onDiskPayload());
    if (config.storageMode() == StorageMode.ON_DISK) {
      assertThat(vp.getOnDisk()).isTrue();
      assertThat(sent.getHnswConfig().getOnDisk()).isTrue();
      assertThat(sent.getOnDiskPayload()).isTrue();
    }
    if (config.quantization() != null) {
      assertThat(sent.hasQuantizationConfig()).isTrue();
    }

    // read back through the official client ...
    QdrantClient client = store.unwrap(QdrantClient.class);
    Collections.CollectionConfig echoed = client.getCollectionInfoAsync("mem").get().getConfig();
    assertThat(echoed.getParams().getVectorsConfig().getParams().getOnDisk())
        .isEqualTo(vp.getOnDisk());
    assertThat(echoed.getHnswConfig()).isEqualTo(sent.getHnswConfig());
    assertThat(echoed.getOptimizerConfig()).isEqualTo(sent.getOptimizersConfig());
    assertThat(echoed.getQuantizationConfig()).isEqualTo(sent.getQuantizationConfig());
    // ... and through collectionInfo: an exact round trip
    assertThat(store.collectionInfo("mem").config()).isEqualTo(config);
    assertThat(store.collectionInfo("mem").memory().isKnown()).isFalse();
  }

  @Test
  void memoryOptimizedMapsToMmapInt8OnDiskPayloadAndHnsw() {
    store.createCollection("m", CollectionConfig.memoryOptimized(384, Distance.COSINE));
    Collections.CreateCollection sent =
        server.lastRequest("Create", Collections.CreateCollection.class);
    assertThat(sent.getVectorsConfig().getParams().getOnDisk()).isTrue();
    assertThat(sent.getQuantizationConfig().getScalar().getType())
        .isEqualTo(Collections.QuantizationType.Int8);
    assertThat(sent.getQuantizationConfig().getScalar().getQuantile()).isEqualTo(0.99f);
    assertThat(sent.getQuantizationConfig().getScalar().getAlwaysRam()).isTrue();
    assertThat(sent.getOnDiskPayload()).isTrue();
    assertThat(sent.getHnswConfig().getOnDisk()).isTrue();
  }

  @Test
  void searchParamsAndFlatIndexReachTheServer() {
    store.createCollection(
        "flat", CollectionConfig.builder(2, Distance.DOT).indexType(IndexType.FLAT).build());
    store.upsert("flat", List.of(PointStruct.of(1, new float[] {1, 0})));
    store.search("flat", SearchRequest.builder(new float[] {1, 0}, 3).build());
    Points.QueryPoints q = server.lastRequest("Query", Points.QueryPoints.class);
    assertThat(q.getParams().getExact()).isTrue();

    store.createCollection("hnsw", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("hnsw", List.of(PointStruct.of(1, new float[] {1, 0})));
    store.search(
        "hnsw",
        SearchRequest.builder(new float[] {1, 0}, 3)
            .params(new SearchParams(128, false, true, true, 2.0))
            .build());
    q = server.lastRequest("Query", Points.QueryPoints.class);
    assertThat(q.getParams().getExact()).isFalse();
    assertThat(q.getParams().getHnswEf()).isEqualTo(128);
    assertThat(q.getParams().getQuantization().getIgnore()).isTrue();
    assertThat(q.getParams().getQuantization().getRescore()).isTrue();
    assertThat(q.getParams().getQuantization().getOversampling()).isEqualTo(2.0);
  }

  @Test
  void writesWaitAndThePayloadIndexIsCreated() {
    store.createCollection("w", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("w", List.of(PointStruct.of(1, new float[] {1, 0})));
    assertThat(server.lastRequest("Upsert", Points.UpsertPoints.class).getWait()).isTrue();
    store.createPayloadIndex("w", "expires_at", PayloadSchemaType.INTEGER);
    Points.CreateFieldIndexCollection idx =
        server.lastRequest("CreateFieldIndex", Points.CreateFieldIndexCollection.class);
    assertThat(idx.getFieldType()).isEqualTo(Points.FieldType.FieldTypeInteger);
    assertThat(idx.getWait()).isTrue();
  }

  @Test
  void badInputSendsNoRequest() {
    store.createCollection("v", CollectionConfig.builder(4, Distance.COSINE).build());
    server.resetRequestCounts();
    assertThatThrownBy(() -> store.upsert("v", List.of(PointStruct.of(1, new float[] {1, 2, 3}))))
        .isInstanceOf(DimensionMismatchException.class);
    assertThatThrownBy(
            () -> store.upsert("v", List.of(PointStruct.of(1, new float[] {0, 0, 0, 0}))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> store.search("v", SearchRequest.builder(new float[] {1, 2}, 3).build()))
        .isInstanceOf(DimensionMismatchException.class);
    assertThatThrownBy(() -> PointStruct.of(1, new float[] {1, Float.NaN, 0, 0}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> SearchRequest.builder(new float[] {1, 0, 0, 0}, 0).build())
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.count("a/b", null)).isInstanceOf(InvalidInputException.class);
    // the async form throws at once too, with no future
    AsyncVectorStore async = store.async();
    assertThatThrownBy(() -> async.upsert("v", List.of(PointStruct.of(1, new float[] {1}))))
        .isInstanceOf(DimensionMismatchException.class);
    assertThat(server.totalRequests()).isZero();
  }

  @Test
  void grpcErrorsBecomeTypedExceptionsWithTheCauseKept() throws Exception {
    assertThatThrownBy(() -> store.count("missing", null))
        .isInstanceOf(CollectionNotFoundException.class)
        .hasCauseInstanceOf(StatusRuntimeException.class);
    store.createCollection("e", CollectionConfig.builder(4, Distance.DOT).build());
    assertThatThrownBy(
            () -> store.createCollection("e", CollectionConfig.builder(4, Distance.DOT).build()))
        .isInstanceOf(CollectionAlreadyExistsException.class)
        .hasCauseInstanceOf(StatusRuntimeException.class);
    assertThat(store.deleteCollection("never")).isFalse();

    // another client recreates the collection with another dimension: the server's dimension
    // error is parsed into a DimensionMismatchException
    QdrantClient client = store.unwrap(QdrantClient.class);
    client.deleteCollectionAsync("e").get();
    client
        .createCollectionAsync(
            "e",
            Collections.VectorParams.newBuilder()
                .setSize(3)
                .setDistance(Collections.Distance.Dot)
                .build())
        .get();
    assertThatThrownBy(
            () -> store.upsert("e", List.of(PointStruct.of(1, new float[] {1, 2, 3, 4}))))
        .isInstanceOfSatisfying(
            DimensionMismatchException.class,
            e -> {
              assertThat(e.expectedDimension()).isEqualTo(3);
              assertThat(e.actualDimension()).isEqualTo(4);
            })
        .hasCauseInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void apiKeyIsSentAndNeverShown() {
    try (QdrantTestServer secured = QdrantTestServer.builder().apiKey(CANARY).start()) {
      String url = "grpc://127.0.0.1:" + secured.port();
      try (VectorStore anonymous =
              QdrantVectorStore.open(VectorStoreConfig.fromUrl(url)).blocking();
          VectorStore wrong =
              QdrantVectorStore.open(
                      VectorStoreConfig.builder()
                          .url(url)
                          .apiKey("wrong-" + CANARY.substring(7))
                          .build())
                  .blocking();
          VectorStore right =
              QdrantVectorStore.open(VectorStoreConfig.builder().url(url).apiKey(CANARY).build())
                  .blocking()) {
        Throwable missing = catchFailure(anonymous::listCollections);
        assertThat(missing).isInstanceOf(AuthenticationException.class);
        Throwable refused = catchFailure(wrong::listCollections);
        assertThat(refused).isInstanceOf(AuthenticationException.class);
        for (Throwable t : List.of(missing, refused)) {
          for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(CANARY);
          }
        }
        assertThat(right.listCollections()).isEmpty();
        assertThat(right.toString()).doesNotContain(CANARY);
        assertThat(right.async().toString()).doesNotContain(CANARY).contains("apiKey=****");
      }
    }
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void providerIsDiscoveredAndUnwrapsToTheClient() {
    Backends backends = Backends.discover();
    VectorStoreConfig config = VectorStoreConfig.fromUrl(server.url());
    assertThat(backends.resolveVectorStore(config).provider().name()).isEqualTo("qdrant-grpc");
    assertThat(
            backends
                .resolveVectorStore(VectorStoreConfig.fromUrl("http://localhost:6333"))
                .provider())
        .isInstanceOf(QdrantVectorStoreProvider.class);
    assertThat(VectorStoreConfig.fromUrl("http://localhost:6333").topology())
        .contains(Topology.standalone(HostAndPort.of("localhost", 6334)));
    try (VectorStore blocking = backends.openVectorStore(config);
        AsyncVectorStore async = backends.openAsyncVectorStore(config)) {
      assertThat(async).isInstanceOf(QdrantVectorStore.class);
      assertThat(blocking.unwrap(QdrantClient.class)).isNotNull();
      assertThat(async.unwrap(QdrantClient.class)).isNotNull();
      assertThat(blocking.ping().serverVersion()).isEqualTo(QdrantTestServer.VERSION);
      assertThat(async.ping().join().backend()).isEqualTo("qdrant");
    }
  }

  @Test
  void asyncCallsCompleteFutures() {
    AsyncVectorStore async = store.async();
    async.createCollection("a", CollectionConfig.builder(2, Distance.DOT).build()).join();
    async
        .upsert("a", List.of(PointStruct.of(PointId.of(5), new float[] {1, 1}, Map.of("k", "v"))))
        .join();
    assertThat(async.count("a", null).join()).isEqualTo(1);
    assertThat(async.collectionExists("a").join()).isTrue();
    assertThat(async.collectionInfo("a").join().pointsCount()).isEqualTo(1);
    assertThat(server.lastRequest("Upsert", Points.UpsertPoints.class).getTimeout()).isZero();
    assertThat(Duration.ofSeconds(10)).isEqualTo(VectorStoreConfig.fromUrl(server.url()).timeout());
  }
}
