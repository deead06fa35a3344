package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpdateStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test server, operation by operation, through the official Qdrant Java client. */
class QdrantTestServerTest {
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.get();
  }

  private static StatusRuntimeException grpcError(Future<?> f) {
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
    Throwable c = t.getCause();
    while (c != null && !(c instanceof StatusRuntimeException)) {
      c = c.getCause();
    }
    assertThat(c).as("a gRPC status error in %s", t).isInstanceOf(StatusRuntimeException.class);
    return (StatusRuntimeException) c;
  }

  private void create(String name, int dim, Distance distance) throws Exception {
    get(
        client.createCollectionAsync(
            name, VectorParams.newBuilder().setSize(dim).setDistance(distance).build()));
  }

  private static PointStruct point(
      long id, Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload, float... v) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors(v))
        .putAllPayload(payload)
        .build();
  }

  @Test
  void healthCheckReportsACompatibleVersion() throws Exception {
    assertThat(get(client.healthCheckAsync()).getVersion()).isEqualTo("1.18.3");
  }

  @Test
  void collectionLifecycleWithQdrantCodesAndMessages() throws Exception {
    create("c", 4, Distance.Cosine);
    assertThat(get(client.collectionExistsAsync("c"))).isTrue();
    assertThat(get(client.listCollectionsAsync())).containsExactly("c");

    StatusRuntimeException exists =
        grpcError(
            client.createCollectionAsync(
                "c", VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build()));
    assertThat(exists.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(exists.getStatus().getDescription())
        .isEqualTo("Wrong input: Collection `c` already exists!");

    StatusRuntimeException missing = grpcError(client.getCollectionInfoAsync("nope"));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getDescription())
        .isEqualTo("Not found: Collection `nope` doesn't exist!");

    // a missing collection deletes with OK and result=false
    var raw = client.grpcClient().collections();
    assertThat(
            raw.delete(Collections.DeleteCollection.newBuilder().setCollectionName("nope").build())
                .get()
                .getResult())
        .isFalse();
    assertThat(
            raw.delete(Collections.DeleteCollection.newBuilder().setCollectionName("c").build())
                .get()
                .getResult())
        .isTrue();
    assertThat(get(client.collectionExistsAsync("c"))).isFalse();
  }

  @Test
  void getEchoesTheCreateRequestConfigExactly() throws Exception {
    CreateCollection req =
        CreateCollection.newBuilder()
            .setCollectionName("mem")
            .setVectorsConfig(
                Collections.VectorsConfig.newBuilder()
                    .setParams(
                        VectorParams.newBuilder()
                            .setSize(8)
                            .setDistance(Distance.Dot)
                            .setOnDisk(true)))
            .setHnswConfig(
                Collections.HnswConfigDiff.newBuilder()
                    .setM(32)
                    .setEfConstruct(200)
                    .setFullScanThreshold(5000)
                    .setOnDisk(true))
            .setOptimizersConfig(
                Collections.OptimizersConfigDiff.newBuilder()
                    .setMemmapThreshold(20000)
                    .setIndexingThreshold(10000)
                    .setDefaultSegmentNumber(2))
            .setQuantizationConfig(
                Collections.QuantizationConfig.newBuilder()
                    .setScalar(
                        Collections.ScalarQuantization.newBuilder()
                            .setType(Collections.QuantizationType.Int8)
                            .setQuantile(0.99f)
                            .setAlwaysRam(true)))
            .setOnDiskPayload(true)
            .setShardNumber(2)
            .setReplicationFactor(1)
            .setWriteConsistencyFactor(1)
            .putMetadata("owner", value("tests"))
            .build();
    get(client.createCollectionAsync(req));
    Collections.CollectionInfo info = get(client.getCollectionInfoAsync("mem"));
    Collections.CollectionConfig cfg = info.getConfig();
    assertThat(cfg.getParams().getVectorsConfig()).isEqualTo(req.getVectorsConfig());
    assertThat(cfg.getHnswConfig()).isEqualTo(req.getHnswConfig());
    assertThat(cfg.getOptimizerConfig()).isEqualTo(req.getOptimizersConfig());
    assertThat(cfg.getQuantizationConfig()).isEqualTo(req.getQuantizationConfig());
    assertThat(cfg.getParams().getOnDiskPayload()).isTrue();
    assertThat(cfg.getParams().getShardNumber()).isEqualTo(2);
    assertThat(cfg.getParams().getReplicationFactor()).isEqualTo(1);
    assertThat(cfg.getParams().getWriteConsistencyFactor()).isEqualTo(1);
    assertThat(cfg.getMetadataMap()).containsEntry("owner", value("tests"));
    assertThat(info.getStatus()).isEqualTo(Collections.CollectionStatus.Green);
    assertThat(info.getPointsCount()).isZero();
  }

  @Test
  void upsertChecksDimensionAndReportsStatusByWait() throws Exception {
    create("d", 4, Distance.Euclid);
    StatusRuntimeException dim =
        grpcError(client.upsertAsync("d", List.of(point(1, Map.of(), 1, 2, 3))));
    assertThat(dim.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(dim.getStatus().getDescription())
        .isEqualTo("Wrong input: Vector dimension error: expected dim: 4, got 3");

    Points.UpdateResult waited =
        get(client.upsertAsync("d", List.of(point(1, Map.of(), 1, 2, 3, 4))));
    assertThat(waited.getStatus()).isEqualTo(UpdateStatus.Completed);
    Points.UpdateResult acked =
        get(
            client.upsertAsync(
                Points.UpsertPoints.newBuilder()
                    .setCollectionName("d")
                    .setWait(false)
                    .addPoints(point(2, Map.of(), 1, 1, 1, 1))
                    .build()));
    assertThat(acked.getStatus()).isEqualTo(UpdateStatus.Acknowledged);
    assertThat(get(client.countAsync("d"))).isEqualTo(2);

    StatusRuntimeException noCollection =
        grpcError(client.upsertAsync("missing", List.of(point(1, Map.of(), 1, 2, 3, 4))));
    assertThat(noCollection.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void cosineVectorsComeBackNormalisedAndDefaultsFollowTheServer() throws Exception {
    create("cos", 2, Distance.Cosine);
    get(client.upsertAsync("cos", List.of(point(7, Map.of("k", value("v")), 3, 4))));

    List<Points.RetrievedPoint> got =
        get(
            client.retrieveAsync(
                Points.GetPoints.newBuilder()
                    .setCollectionName("cos")
                    .addIds(id(7))
                    .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true))
                    .build(),
                null));
    assertThat(got).hasSize(1);
    // Get's with_payload defaults to false
    assertThat(got.get(0).getPayloadMap()).isEmpty();
    assertThat(got.get(0).getVectors().getVector().getDense().getDataList())
        .containsExactly(0.6f, 0.8f);

    // Query and Search: no payload unless asked
    List<ScoredPoint> hits =
        get(
            client.queryAsync(
                Points.QueryPoints.newBuilder()
                    .setCollectionName("cos")
                    .setQuery(QueryFactory.nearest(3f, 4f))
                    .build()));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).getPayloadMap()).isEmpty();
    assertThat(hits.get(0).getScore()).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-5f));
    List<ScoredPoint> searched =
        get(
            client.searchAsync(
                Points.SearchPoints.newBuilder()
                    .setCollectionName("cos")
                    .addAllVector(List.of(3f, 4f))
                    .setLimit(5)
                    .build()));
    assertThat(searched.get(0).getPayloadMap()).isEmpty();
  }

  @Test
  void scrollPagesWithNextOffsetAndDefaultLimitTen() throws Exception {
    create("s", 2, Distance.Dot);
    List<PointStruct> points = new ArrayList<>();
    for (long i = 1; i <= 25; i++) {
      points.add(point(i, Map.of("n", value(i)), 1, (float) i));
    }
    get(client.upsertAsync("s", points));
    Points.ScrollResponse first =
        get(client.scrollAsync(Points.ScrollPoints.newBuilder().setCollectionName("s").build()));
    assertThat(first.getResultList()).hasSize(10);
    assertThat(first.getResult(0).getPayloadMap()).containsKey("n"); // with_payload defaults true
    assertThat(first.getNextPageOffset()).isEqualTo(id(11));
    Points.ScrollResponse last =
        get(
            client.scrollAsync(
                Points.ScrollPoints.newBuilder()
                    .setCollectionName("s")
                    .setOffset(id(21))
                    .setLimit(10)
                    .build()));
    assertThat(last.getResultList()).hasSize(5);
    assertThat(last.hasNextPageOffset()).isFalse();

    // Query without limit returns 10
    assertThat(
            get(
                client.queryAsync(
                    Points.QueryPoints.newBuilder()
                        .setCollectionName("s")
                        .setQuery(QueryFactory.nearest(1f, 1f))
                        .build())))
        .hasSize(10);
  }

  @Test
  void thresholdsAreStrictAndFiltersFollowTheServer() throws Exception {
    create("f", 2, Distance.Dot);
    get(
        client.upsertAsync(
            "f",
            List.of(
                point(1, Map.of("color", value("red"), "price", value(10)), 1, 0),
                point(2, Map.of("color", value("blue"), "price", value(20)), 2, 0),
                point(3, Map.of("color", value("red"), "price", value(30)), 3, 0))));
    // scores are 1, 2, 3 for the query (1, 0); a threshold of 2 keeps only the 3
    List<ScoredPoint> above =
        get(
            client.queryAsync(
                Points.QueryPoints.newBuilder()
                    .setCollectionName("f")
                    .setQuery(QueryFactory.nearest(1f, 0f))
                    .setScoreThreshold(2f)
                    .build()));
    assertThat(above).extracting(p -> p.getId().getNum()).containsExactly(3L);

    Filter red = Filter.newBuilder().addMust(matchKeyword("color", "red")).build();
    List<ScoredPoint> reds =
        get(
            client.queryAsync(
                Points.QueryPoints.newBuilder()
                    .setCollectionName("f")
                    .setQuery(QueryFactory.nearest(1f, 0f))
                    .setFilter(red)
                    .build()));
    assertThat(reds).extracting(p -> p.getId().getNum()).containsExactly(3L, 1L);
    assertThat(get(client.countAsync("f", red, true))).isEqualTo(2);
    Filter cheap =
        Filter.newBuilder()
            .addMust(range("price", Common.Range.newBuilder().setLt(25).build()))
            .build();
    assertThat(get(client.countAsync("f", cheap, true))).isEqualTo(2);
    // an empty should list is no constraint
    Filter emptyShould =
        Filter.newBuilder().addShould(Common.Condition.getDefaultInstance()).build();
    assertThat(get(client.countAsync("f", emptyShould, true))).isEqualTo(3);

    Filter noCondition =
        Filter.newBuilder()
            .addMust(
                Common.Condition.newBuilder()
                    .setField(Common.FieldCondition.newBuilder().setKey("color")))
            .build();
    StatusRuntimeException bad = grpcError(client.countAsync("f", noCondition, true));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    Filter emptyMatch =
        Filter.newBuilder()
            .addMust(
                Common.Condition.newBuilder()
                    .setField(
                        Common.FieldCondition.newBuilder()
                            .setKey("color")
                            .setMatch(Common.Match.getDefaultInstance())))
            .build();
    StatusRuntimeException malformed = grpcError(client.countAsync("f", emptyMatch, true));
    assertThat(malformed.getStatus().getDescription()).isEqualTo("Malformed Match condition");

    get(client.deleteAsync("f", red));
    assertThat(get(client.countAsync("f"))).isEqualTo(1);
  }

  @Test
  void payloadOperationsAndFieldIndexes() throws Exception {
    create("p", 2, Distance.Dot);
    get(client.upsertAsync("p", List.of(point(1, Map.of("a", value(1), "b", value(2)), 1, 0))));
    get(client.setPayloadAsync("p", Map.of("c", value("x")), id(1), true, null, null));
    get(client.deletePayloadAsync("p", List.of("a"), id(1), true, null, null));
    Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload =
        get(client.retrieveAsync("p", id(1), true, false, null)).get(0).getPayloadMap();
    assertThat(payload).containsOnlyKeys("b", "c");
    get(client.overwritePayloadAsync("p", Map.of("z", value(true)), id(1), true, null, null));
    assertThat(get(client.retrieveAsync("p", id(1), true, false, null)).get(0).getPayloadMap())
        .containsOnlyKeys("z");
    get(client.clearPayloadAsync("p", id(1), true, null, null));
    assertThat(get(client.retrieveAsync("p", id(1), true, false, null)).get(0).getPayloadMap())
        .isEmpty();

    StatusRuntimeException noPoint =
        grpcError(client.setPayloadAsync("p", Map.of("c", value("x")), id(99), true, null, null));
    assertThat(noPoint.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(noPoint.getStatus().getDescription())
        .isEqualTo("Not found: No point with id 99 found");

    get(
        client.createPayloadIndexAsync(
            "p", "expires_at", Collections.PayloadSchemaType.Integer, null, true, null, null));
    assertThat(get(client.getCollectionInfoAsync("p")).getPayloadSchemaMap())
        .containsKey("expires_at");
    get(client.deletePayloadIndexAsync("p", "expires_at", true, null, null));
    assertThat(get(client.getCollectionInfoAsync("p")).getPayloadSchemaMap()).isEmpty();
  }

  @Test
  void apiKeyIsEnforcedExceptForHealthCheck() throws Exception {
    try (QdrantTestServer secured = QdrantTestServer.builder().apiKey("s3cret").start();
        QdrantClient anonymous =
            new QdrantClient(
                QdrantGrpcClient.newBuilder("127.0.0.1", secured.port(), false).build());
        QdrantClient wrong =
            new QdrantClient(
                QdrantGrpcClient.newBuilder("127.0.0.1", secured.port(), false)
                    .withApiKey("nope")
                    .build());
        QdrantClient right =
            new QdrantClient(
                QdrantGrpcClient.newBuilder("127.0.0.1", secured.port(), false)
                    .withApiKey("s3cret")
                    .build())) {
      assertThat(get(anonymous.healthCheckAsync()).getVersion()).isEqualTo("1.18.3");
      StatusRuntimeException missing = grpcError(anonymous.listCollectionsAsync());
      assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(missing.getStatus().getDescription())
          .isEqualTo("Must provide an API key or an Authorization bearer token");
      assertThat(grpcError(wrong.listCollectionsAsync()).getStatus().getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(get(right.listCollectionsAsync())).isEmpty();
    }
  }

  @Test
  void faultModesAndRequestCounters() throws Exception {
    create("x", 2, Distance.Dot);
    server.resetRequestCounts();

    server.faults().inject(FaultMode.UNAVAILABLE);
    assertThat(grpcError(client.countAsync("x")).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(grpcError(client.countAsync("x")).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    server.faults().clear();
    assertThat(get(client.countAsync("x"))).isZero();
    assertThat(server.requestCount("Count")).isEqualTo(3);

    // applied, then answered UNAVAILABLE; only the next Upsert is affected
    server.faults().injectOnce(FaultMode.APPLY_THEN_FAIL, "Upsert");
    assertThat(
            grpcError(client.upsertAsync("x", List.of(point(1, Map.of(), 1, 1))))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(get(client.countAsync("x"))).isEqualTo(1);
    assertThat(server.faults().active()).isNull();

    server.faults().inject(FaultMode.DEADLINE_EXCEEDED, "Count");
    assertThat(grpcError(client.countAsync("x", Duration.ofMillis(200))).getStatus().getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    server.faults().clear();

    server.faults().inject(FaultMode.slow(Duration.ofMillis(100)));
    assertThat(get(client.countAsync("x"))).isEqualTo(1);
    server.faults().clear();

    assertThat(server.requestCounts()).containsKeys("Count", "Upsert");
    assertThat(server.totalRequests())
        .isEqualTo(server.requestCounts().values().stream().mapToLong(Long::longValue).sum());
    server.resetRequestCounts();
    assertThat(server.totalRequests()).isZero();
  }

  @Test
  void serverStopsOnClose() {
    int port = server.port();
    server.close();
    assertThat(server.isRunning()).isFalse();
    try (QdrantTestServer again = QdrantTestServer.start(port)) {
      assertThat(again.port()).isEqualTo(port);
    }
  }

  @Test
  void unsupportedInputIsRejectedNotIgnored() {
    // named vectors are served (NamedVectorsTest); multivectors are not
    assertThatThrownBy(
            () ->
                get(
                    client.createCollectionAsync(
                        "named",
                        Map.of(
                            "a",
                            VectorParams.newBuilder()
                                .setSize(2)
                                .setDistance(Distance.Dot)
                                .setMultivectorConfig(
                                    io.qdrant.client.grpc.Collections.MultiVectorConfig
                                        .getDefaultInstance())
                                .build()))))
        .hasRootCauseInstanceOf(StatusRuntimeException.class)
        .rootCause()
        .hasMessageContaining("UNIMPLEMENTED")
        .hasMessageContaining("multivectors");
  }

  @Test
  void payloadValuesRoundTripWithTheirKindsAndNonFiniteNumbersAreRefused() throws Exception {
    create("v", 2, Distance.Dot);
    Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload =
        Map.of(
            "i", value(2),
            "d", value(2.0),
            "z", value(-0.0),
            "s", value("日本語 \uD83D\uDE80"),
            "l", value(List.of(value(1), value("x"))),
            "n", io.qdrant.client.ValueFactory.nullValue());
    get(client.upsertAsync("v", List.of(point(1, payload, 1, 0))));
    var back = get(client.retrieveAsync("v", id(1), true, false, null)).get(0).getPayloadMap();
    assertThat(back).isEqualTo(payload);
    assertThat(back.get("d").getKindCase())
        .isEqualTo(io.qdrant.client.grpc.JsonWithInt.Value.KindCase.DOUBLE_VALUE);

    StatusRuntimeException nan =
        grpcError(client.upsertAsync("v", List.of(point(2, Map.of("x", value(Double.NaN)), 0, 1))));
    assertThat(nan.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(nan.getStatus().getDescription()).startsWith("cannot convert to json number");
  }
}
