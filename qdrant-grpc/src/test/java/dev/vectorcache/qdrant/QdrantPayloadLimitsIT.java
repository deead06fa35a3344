package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.common.PayloadCodec;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The payload limits of the gRPC path, end to end: the deepest nesting protobuf carries
 * round-trips, one level more is refused typed before any I/O, a request the server cannot decode
 * is a typed rejection (never "UNKNOWN"), and a lone surrogate is refused instead of coming back as
 * {@code '?'}.
 */
@ExtendWith(QdrantTestServerExtension.class)
class QdrantPayloadLimitsIT {
  private static final float[] V = {1, 0};
  private final QdrantTestServer server;
  private QdrantVectorStore async;
  private VectorStore store;

  QdrantPayloadLimitsIT(QdrantTestServer server) {
    this.server = server;
  }

  @BeforeEach
  void open() {
    async =
        QdrantVectorStore.open(
            VectorStoreConfig.builder().url(server.url()).timeout(Duration.ofSeconds(5)).build());
    store = async.blocking();
    store.createCollection("p", CollectionConfig.builder(2, Distance.DOT).build());
    server.resetRequestCounts();
  }

  @AfterEach
  void close() {
    store.deleteCollection("p");
    store.close();
  }

  /** Maps nested so that the deepest sits at depth {@code depth} (the payload map is depth 0). */
  private static Map<String, Object> nested(int depth) {
    Object inner = "leaf";
    for (int i = 1; i < depth; i++) {
      inner = Map.of("k", inner);
    }
    return Map.of("k", Map.of("k", inner));
  }

  @Test
  void theCodecAndTheCoreAgreeOnTheLimit() {
    assertThat(PayloadCodec.MAX_DEPTH).isEqualTo(Payloads.MAX_DEPTH).isEqualTo(32);
  }

  @Test
  void theDeepestAcceptedPayloadRoundTripsAndOneLevelMoreIsRefusedBeforeIo() {
    Map<String, Object> deepest = nested(PayloadCodec.MAX_DEPTH - 1);
    store.upsert("p", List.of(PointStruct.of(PointId.of(1), V, deepest)));
    assertThat(store.retrieve("p", List.of(PointId.of(1)), PayloadSelector.ALL, false))
        .singleElement()
        .satisfies(r -> assertThat(r.payload()).isEqualTo(deepest));

    server.resetRequestCounts();
    Map<String, Object> tooDeep = nested(PayloadCodec.MAX_DEPTH);
    assertThatThrownBy(() -> store.upsert("p", List.of(PointStruct.of(PointId.of(2), V, tooDeep))))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("nesting of at most " + PayloadCodec.MAX_DEPTH + " levels");
    assertThatThrownBy(() -> store.setPayload("p", List.of(PointId.of(1)), tooDeep))
        .isInstanceOf(InvalidMetadataException.class);
    assertThat(server.totalRequests()).isZero();
  }

  @Test
  void aRequestTooDeepForTheServersParserIsATypedRejection() throws Exception {
    // past the codec, with the raw client, as another client could: 33 levels of maps put the
    // innermost values at message level 3 x 33 + 3 = 102, past protobuf's 100
    Value v = Value.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < 34; i++) {
      v = Value.newBuilder().setStructValue(Struct.newBuilder().putFields("k", v)).build();
    }
    Points.UpsertPoints request =
        Points.UpsertPoints.newBuilder()
            .setCollectionName("p")
            .setWait(true)
            .addPoints(
                Points.PointStruct.newBuilder()
                    .setId(QdrantMapping.id(PointId.of(3)))
                    .setVectors(QdrantMapping.vectors(V))
                    .putPayload("k", v.getStructValue().getFieldsOrThrow("k")))
            .build();
    QdrantClient client = async.unwrap(QdrantClient.class);
    ExecutionException raw =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> client.upsertAsync(request).get());
    assertThat(QdrantErrors.translate(raw, "upsert", "p", "127.0.0.1:" + server.port()))
        .isInstanceOf(BackendRejectedException.class)
        .hasMessageContaining("could not decode or process the request of upsert")
        .hasMessageContaining("100 message levels");
    assertThat(store.count("p", null)).isZero();
  }

  @Test
  void loneSurrogatesAreRefusedBeforeIoInsteadOfComingBackChanged() {
    assertThatThrownBy(
            () ->
                store.upsert(
                    "p", List.of(PointStruct.of(PointId.of(1), V, Map.of("s", "a\uD800b")))))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.s: expected well-formed UTF-16")
        .hasMessageContaining("lone surrogate");
    assertThatThrownBy(
            () ->
                store.setPayload(
                    "p", List.of(PointId.of(1)), Map.of("tags", List.of("ok", "user\uD83D"))))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.tags[1]:");
    assertThat(server.totalRequests()).isZero();

    // a well-formed pair goes through unchanged
    store.upsert("p", List.of(PointStruct.of(PointId.of(1), V, Map.of("s", "a\uD83D\uDE80b"))));
    assertThat(store.retrieve("p", List.of(PointId.of(1)), PayloadSelector.ALL, false))
        .singleElement()
        .satisfies(r -> assertThat(r.payload()).containsEntry("s", "a\uD83D\uDE80b"));
  }
}
