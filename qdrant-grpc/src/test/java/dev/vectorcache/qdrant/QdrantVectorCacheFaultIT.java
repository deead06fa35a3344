package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.spi.VectorStoreConfig;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VectorCache over Qdrant when Qdrant fails: a failed or ambiguous write fails {@code store} with a
 * typed exception within a bounded time and leaves no metadata behind; reads recover once the fault
 * is cleared.
 */
@ExtendWith(QdrantTestServerExtension.class)
class QdrantVectorCacheFaultIT {
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  /** Retries happen within one deadline; twice it plus room for a slow machine. */
  private static final Duration BOUND = TIMEOUT.multipliedBy(2).plusSeconds(3);

  private final QdrantTestServer server;
  private InMemoryMetadataStore metadata;
  private VectorCache cache;

  QdrantVectorCacheFaultIT(QdrantTestServer server) {
    this.server = server;
  }

  @BeforeEach
  void open() {
    metadata = new InMemoryMetadataStore();
    cache =
        VectorCache.builder()
            .collection("faults")
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(
                QdrantVectorStore.open(
                    VectorStoreConfig.builder()
                        .url(server.url())
                        .timeout(TIMEOUT)
                        .adapterOptions(QdrantGrpcOptions.builder().maxRetries(2).build())
                        .build()))
            .metadataStore(metadata)
            .build();
    cache.initialize();
  }

  @AfterEach
  void close() {
    server.faults().clear();
    cache.vectorStore().blocking().deleteCollection("faults");
    cache.close();
  }

  static Stream<Arguments> writeFaults() {
    return Stream.of(
        Arguments.of(FaultMode.UNAVAILABLE, BackendUnavailableException.class),
        Arguments.of(FaultMode.APPLY_THEN_FAIL, BackendUnavailableException.class),
        Arguments.of(FaultMode.DEADLINE_EXCEEDED, BackendTimeoutException.class),
        Arguments.of(FaultMode.HANG, BackendTimeoutException.class),
        Arguments.of(FaultMode.APPLY_THEN_HANG, BackendTimeoutException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeFaults")
  void aFailedQdrantWriteFailsTheStoreAndLeavesNoMetadata(
      FaultMode fault, Class<? extends BackendException> expected) {
    server.faults().inject(fault, "Upsert");

    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(
                    () ->
                        cache.store(
                            "new-key",
                            new float[] {1, 0, 0},
                            Map.of("v", 1L),
                            Duration.ofMinutes(5)))
                .isInstanceOf(expected));

    assertThat(metadata.get("faults:new-key")).isEmpty();
    assertThat(metadata.operationCount("put")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeFaults")
  void aFailedOverwriteDropsTheOldMetadataCopyAndReadsStayConsistent(
      FaultMode fault, Class<? extends BackendException> expected) {
    cache.store("k", new float[] {1, 0, 0}, Map.of("v", 1L), Duration.ofMinutes(5));
    server.faults().inject(fault, "Upsert");

    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(
                    () ->
                        cache.store(
                            "k", new float[] {0, 1, 0}, Map.of("v", 2L), Duration.ofMinutes(5)))
                .isInstanceOf(expected));

    assertThat(metadata.get("faults:k")).isEmpty();
    server.faults().clear();
    // whatever Qdrant holds now is what readers see, never the dropped copy
    Object v = cache.get("k").orElseThrow().metadata().get("v");
    if (fault.equals(FaultMode.UNAVAILABLE) || fault.equals(FaultMode.HANG)) {
      assertThat(v).as("rejected or held before applying").isEqualTo(1L);
    } else if (fault.applies()) {
      assertThat(v).as("applied, then failed or held").isEqualTo(2L);
    } else {
      assertThat(v).as("outcome unknown after a timeout").isIn(1L, 2L);
    }
  }

  @Test
  void initializeCreatesThePayloadIndexTheTtlFilterUses() {
    // open() ran initialize(); the indexes reached the server over gRPC (CreateFieldIndex)
    assertThat(server.requestCount("CreateFieldIndex")).isGreaterThanOrEqualTo(2);
    assertThat(server.backend().unwrap(InMemoryVectorStore.class).payloadIndexes("faults"))
        .containsEntry(EntryPayload.EXPIRES_AT, PayloadSchemaType.INTEGER)
        .containsEntry(EntryPayload.KEY, PayloadSchemaType.KEYWORD);
  }

  @Test
  void aSlowQdrantTimesOutInsteadOfHanging() {
    cache.store("k", new float[] {1, 0, 0}, Map.of(), Duration.ofMinutes(5));
    server.faults().inject(FaultMode.slow(Duration.ofSeconds(20)));

    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThatThrownBy(() -> cache.searchSimilar(new float[] {1, 0, 0}, 3))
                .isInstanceOf(BackendTimeoutException.class));

    server.faults().clear();
    assertThat(cache.searchSimilar(new float[] {1, 0, 0}, 3)).hasSize(1);
  }
}
