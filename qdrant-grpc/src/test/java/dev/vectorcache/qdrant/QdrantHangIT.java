package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter's deadline discipline against a server that accepts calls and never answers ({@link
 * FaultMode#HANG}): every operation fails with a {@link BackendTimeoutException} within twice the
 * timeout (the promise; asserted loosely, never as a speed), every call carries a deadline,
 * and retries stay within one deadline.
 */
@ExtendWith(QdrantTestServerExtension.class)
class QdrantHangIT {
  /** Not too short: the first connection of a cold JVM on a loaded machine takes some of it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** The promise: a typed failure within twice the timeout; plus room for a loaded CI machine. */
  private static final Duration BOUND = TIMEOUT.multipliedBy(2).plusMillis(1_500);

  private static final float[] V = {1, 0};

  private final QdrantTestServer server;
  private QdrantVectorStore async;
  private VectorStore store;

  QdrantHangIT(QdrantTestServer server) {
    this.server = server;
  }

  private VectorStoreConfig config() {
    return VectorStoreConfig.builder()
        .url(server.url())
        .timeout(TIMEOUT)
        .adapterOptions(QdrantGrpcOptions.builder().maxRetries(2).checkCompatibility(false).build())
        .build();
  }

  /**
   * The first channel of a JVM loads the transport's classes, which on a loaded CI machine can take
   * longer than {@link #TIMEOUT}: that is start-up, not the deadline discipline under test.
   */
  @BeforeAll
  static void warmUp(QdrantTestServer server) {
    VectorStoreConfig patient =
        VectorStoreConfig.builder().url(server.url()).timeout(Duration.ofSeconds(30)).build();
    try (QdrantVectorStore warm = QdrantVectorStore.open(patient)) {
      warm.blocking().listCollections();
    }
  }

  @BeforeEach
  void open() {
    async = QdrantVectorStore.open(config());
    store = async.blocking();
    if (!store.collectionExists("h")) {
      store.createCollection("h", CollectionConfig.builder(2, Distance.DOT).build());
    }
    store.upsert("h", List.of(PointStruct.of(PointId.of(1), V, Map.of("n", 1L))));
    server.resetRequestCounts();
  }

  @AfterEach
  void close() {
    server.faults().clear();
    store.deleteCollection("h");
    store.close();
  }

  static Stream<Arguments> operations() {
    Filter any = Filter.must(Condition.match("n", 99L));
    return Stream.of(
        op("search", s -> s.search("h", SearchRequest.builder(V, 3).build())),
        op("retrieve", s -> s.retrieve("h", List.of(PointId.of(1)), PayloadSelector.ALL, false)),
        op("upsert", s -> s.upsert("h", List.of(PointStruct.of(PointId.of(2), V, Map.of())))),
        op("delete", s -> s.delete("h", List.of(PointId.of(1)))),
        op("delete by filter", s -> s.deleteByFilter("h", any)),
        op("collection info", s -> s.collectionInfo("h")),
        op("collection exists", s -> s.collectionExists("h")),
        op("list collections", VectorStore::listCollections),
        op(
            "create collection",
            s -> s.createCollection("g", CollectionConfig.builder(2, Distance.DOT).build())),
        op("delete collection", s -> s.deleteCollection("g")),
        op("count", s -> s.count("h", null)),
        op("scroll", s -> s.scroll("h", ScrollRequest.firstPage(10))),
        op("set payload", s -> s.setPayload("h", List.of(PointId.of(1)), Map.of("m", 2L))),
        op("create index", s -> s.createPayloadIndex("h", "n", PayloadSchemaType.INTEGER)),
        op("ping", VectorStore::ping),
        // MultiVectors: reading the collection's spaces first hangs, within the same deadline
        op(
            "multi-vector search",
            s -> Futures.join(multi(s).search("h", "", SearchRequest.builder(V, 3).build()))),
        op(
            "multi-vector retrieve",
            s -> Futures.join(multi(s).retrieve("h", List.of(PointId.of(1)), null, true))),
        op(
            "create vector name",
            s ->
                Futures.join(
                    multi(s).createVectorName("h", "x", DenseVectorConfig.of(2, Distance.DOT)))));
  }

  private static MultiVectors multi(VectorStore s) {
    return s.extension(MultiVectors.class).orElseThrow();
  }

  private static Arguments op(String name, Consumer<VectorStore> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void aHungServerFailsEveryOperationTypedWithinTwiceTheTimeout(
      String name, Consumer<VectorStore> call) {
    server.faults().inject(FaultMode.HANG);
    long start = System.nanoTime();
    assertThatThrownBy(() -> call.accept(store))
        .as(name)
        .isInstanceOf(BackendTimeoutException.class)
        .hasMessageContaining("Qdrant at " + server.host() + ":" + server.port());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(name).isLessThan(BOUND);
    // a timed-out call is never retried: its outcome is unknown and the deadline is spent
    assertThat(server.totalRequests() + server.requestCount("HealthCheck")).as(name).isEqualTo(1);
  }

  @Test
  void openFailsTypedWithinTwiceTheTimeoutWhenTheHealthCheckHangs() {
    server.faults().inject(FaultMode.HANG, "HealthCheck");
    long start = System.nanoTime();
    assertThatThrownBy(() -> QdrantVectorStore.open(config()))
        .isInstanceOf(BackendTimeoutException.class)
        .hasMessageContaining("health check on open");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }

  @Test
  void aWriteThatWasAppliedAndThenHungTimesOutWithTheWriteApplied() {
    server.faults().inject(FaultMode.APPLY_THEN_HANG, "Upsert");
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.upsert("h", List.of(PointStruct.of(PointId.of(2), V, Map.of()))))
        .isInstanceOf(BackendTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    server.faults().clear();
    assertThat(store.count("h", null)).isEqualTo(2);
  }

  @Test
  void readingACollectionsParametersAndWritingShareOneDeadline() {
    // a new store has not seen "h": its first upsert reads the collection's info, then writes.
    // Each call alone takes 60 % of the timeout and would succeed; together they exceed it.
    try (QdrantVectorStore fresh = QdrantVectorStore.open(config())) {
      server.faults().inject(FaultMode.slow(TIMEOUT.multipliedBy(6).dividedBy(10)));
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  fresh.blocking().upsert("h", List.of(PointStruct.of(PointId.of(3), V, Map.of()))))
          .isInstanceOf(BackendTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }
  }

  @Test
  void everyCallCarriesADeadlineEvenThroughTheUnwrappedClient() throws Exception {
    operations().forEach(a -> runQuietly((Consumer<?>) a.get()[1]));
    QdrantClient client = store.unwrap(QdrantClient.class);
    // the raw stub has no deadline of its own: the channel gives it the configured timeout
    client
        .grpcClient()
        .points()
        .count(Points.CountPoints.newBuilder().setCollectionName("h").build())
        .get();
    // the operations reached the server (a few fail before I/O or are not counted: ping)
    assertThat(server.totalRequests()).isGreaterThan(operations().count() / 2);
    assertThat(server.requestsWithoutDeadline()).isZero();
  }

  @SuppressWarnings("unchecked")
  private void runQuietly(Consumer<?> call) {
    try {
      ((Consumer<VectorStore>) call).accept(store);
    } catch (RuntimeException e) {
      // some operations fail here (the collection "g" may not exist): only the deadline counts
    }
  }

  @Test
  void tenPercentOfRandomFaultsOfEveryModeFailTypedWithinTheBoundAndRetriesAreBounded() {
    // short timeouts: a hung or held call costs one timeout each
    Duration timeout = Duration.ofMillis(400);
    Duration bound = timeout.multipliedBy(2).plusMillis(1_500);
    int retries = 2;
    try (QdrantVectorStore s =
        QdrantVectorStore.open(
            config()
                .mutate()
                .timeout(timeout)
                .adapterOptions(
                    QdrantGrpcOptions.builder()
                        .maxRetries(retries)
                        .checkCompatibility(false)
                        .build())
                .build())) {
      VectorStore faulty = s.blocking();
      // cached, so each operation below is one logical call; no fault is injected yet, but the
      // first call of a new channel may miss the short deadline on a busy machine: try again
      for (int attempt = 1; ; attempt++) {
        try {
          faulty.collectionInfo("h");
          break;
        } catch (BackendTimeoutException e) {
          if (attempt == 5) {
            throw e;
          }
        }
      }
      server.resetRequestCounts();
      server.faults().resetInjected();
      server.faults().injectRandomly(42, 0.10, FaultMode.all(Duration.ofMillis(100)));
      Random random = new Random(7);
      int ops = 300;
      int failed = 0;
      for (int i = 0; i < ops; i++) {
        PointId id = PointId.of(random.nextInt(50));
        long start = System.nanoTime();
        try {
          switch (random.nextInt(4)) {
            case 0 -> faulty.upsert("h", List.of(PointStruct.of(id, V, Map.of("i", (long) i))));
            case 1 -> faulty.search("h", SearchRequest.builder(V, 5).build());
            case 2 -> faulty.retrieve("h", List.of(id), PayloadSelector.ALL, false);
            default -> faulty.delete("h", List.of(id));
          }
        } catch (RuntimeException e) {
          failed++;
          assertThat(e).as("operation %d", i).isInstanceOf(BackendException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("operation %d", i)
            .isLessThan(bound);
      }
      Map<FaultMode, Long> injected = server.faults().injected();
      server.faults().clear();
      assertThat(injected.keySet())
          .containsExactlyInAnyOrderElementsOf(FaultMode.all(Duration.ofMillis(100)));
      assertThat(failed).isPositive().isLessThanOrEqualTo((int) server.faults().injectedTotal());
      assertThat(server.totalRequests()).isLessThanOrEqualTo((long) ops * (1 + retries));
    }
  }
}
