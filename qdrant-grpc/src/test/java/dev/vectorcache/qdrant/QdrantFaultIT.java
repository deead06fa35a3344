package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.spi.VectorStoreConfig;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault modes of the test server against the adapter: typed failures within about twice the
 * deadline, bounded retries of idempotent calls only, and recovery once the fault is cleared.
 */
@ExtendWith(QdrantTestServerExtension.class)
class QdrantFaultIT {
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  /** Twice the deadline plus room for a slow CI machine; never a speed assertion. */
  private static final Duration BOUND = TIMEOUT.multipliedBy(2).plusSeconds(2);

  private final QdrantTestServer server;
  private VectorStore store;

  QdrantFaultIT(QdrantTestServer server) {
    this.server = server;
  }

  @BeforeEach
  void open() {
    store =
        QdrantVectorStore.open(
                VectorStoreConfig.builder()
                    .url(server.url())
                    .timeout(TIMEOUT)
                    .adapterOptions(QdrantGrpcOptions.builder().maxRetries(2).build())
                    .build())
            .blocking();
    if (!store.collectionExists("f")) {
      store.createCollection("f", CollectionConfig.builder(2, Distance.DOT).build());
    }
    store.upsert("f", List.of(PointStruct.of(1, new float[] {1, 0})));
    server.resetRequestCounts();
  }

  @AfterEach
  void close() {
    server.faults().clear();
    store.deleteCollection("f");
    store.close();
  }

  @Test
  void unavailableIsTypedAndRetriedBoundedly() {
    server.faults().inject(FaultMode.UNAVAILABLE);
    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(() -> store.count("f", null))
                .isInstanceOf(BackendUnavailableException.class)
                .hasCauseInstanceOf(StatusRuntimeException.class));
    assertThat(server.requestCount("Count")).isBetween(1L, 3L);

    server.faults().clear();
    assertThat(store.count("f", null)).isEqualTo(1);
  }

  @Test
  void aSingleUnavailableIsRetriedAwayForReads() {
    server.faults().injectOnce(FaultMode.UNAVAILABLE, "Count");
    assertThat(store.count("f", null)).isEqualTo(1);
    assertThat(server.requestCount("Count")).isEqualTo(2);
  }

  @Test
  void createCollectionIsNeverRetried() {
    server.faults().injectOnce(FaultMode.UNAVAILABLE, "Create");
    assertThatThrownBy(
            () -> store.createCollection("g", CollectionConfig.builder(2, Distance.DOT).build()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(server.requestCount("Create")).isEqualTo(1);
    assertThat(store.collectionExists("g")).isFalse();
  }

  @Test
  void deadlineExceededIsTypedWithinTheBoundAndNotRetried() {
    server.faults().inject(FaultMode.DEADLINE_EXCEEDED);
    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(() -> store.count("f", null))
                .isInstanceOf(BackendTimeoutException.class));
    assertThat(server.requestCount("Count")).isEqualTo(1);
    server.faults().clear();
    assertThat(store.count("f", null)).isEqualTo(1);
  }

  @Test
  void slowRepliesPastTheDeadlineTimeOut() {
    server.faults().inject(FaultMode.slow(TIMEOUT.multipliedBy(2)), "Upsert");
    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(
                    () -> store.upsert("f", List.of(PointStruct.of(2, new float[] {0, 1}))))
                .isInstanceOf(BackendTimeoutException.class));
    server.faults().clear();
    // the write was applied before its reply was held back: the outcome of a timeout is unknown
    assertThat(store.count("f", null)).isEqualTo(2);
  }

  @Test
  void applyThenFailSurfacesAsATypedFailureWithTheWriteApplied() {
    server.faults().inject(FaultMode.APPLY_THEN_FAIL, "Upsert");
    assertThatThrownBy(() -> store.upsert("f", List.of(PointStruct.of(2, new float[] {0, 1}))))
        .isInstanceOf(BackendUnavailableException.class);
    server.faults().clear();
    assertThat(store.count("f", null)).isEqualTo(2);
  }

  @Test
  void aRetriedUpsertIsIdempotent() {
    server.faults().injectOnce(FaultMode.APPLY_THEN_FAIL, "Upsert");
    store.upsert("f", List.of(PointStruct.of(2, new float[] {0, 1})));
    assertThat(server.requestCount("Upsert")).isEqualTo(2);
    assertThat(store.count("f", null)).isEqualTo(2);
  }

  @Test
  void openFailsFastWhileTheServerIsUnavailableAndNamesIt() {
    server.faults().inject(FaultMode.UNAVAILABLE, "HealthCheck");
    VectorStoreConfig config =
        VectorStoreConfig.builder()
            .url(server.url())
            .timeout(TIMEOUT)
            .adapterOptions(
                QdrantGrpcOptions.builder().maxRetries(2).checkCompatibility(false).build())
            .build();
    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(() -> QdrantVectorStore.open(config))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("Qdrant at " + server.host() + ":" + server.port())
                .hasMessageContaining("injected fault"));
    // one health call, not retried: open fails fast
    assertThat(server.requestCount("HealthCheck")).isEqualTo(1);
    server.faults().clear();
    try (QdrantVectorStore reopened = QdrantVectorStore.open(config)) {
      assertThat(reopened.blocking().count("f", null)).isEqualTo(1);
    }
  }

  @Test
  void aFailedCallNamesTheServer() {
    server.faults().inject(FaultMode.UNAVAILABLE, "Count");
    assertThatThrownBy(() -> store.count("f", null))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageStartingWith(
            "Qdrant at " + server.host() + ":" + server.port() + " is unavailable (UNAVAILABLE:");
  }
}
