package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Custom sharding, read consistency and write ordering through the official client's stubs. */
class ShardKeysTest {
  private static final ShardKey A = ShardKey.newBuilder().setKeyword("a").build();
  private static final ShardKey B = ShardKey.newBuilder().setKeyword("b").build();
  private static final ShardKey N = ShardKey.newBuilder().setNumber(7).build();

  private QdrantTestServer server;
  private QdrantClient client;

  private void start(QdrantTestServer s) {
    server = s;
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private CollectionsGrpc.CollectionsBlockingStub collections() {
    return CollectionsGrpc.newBlockingStub(client.grpcClient().channel());
  }

  private PointsGrpc.PointsBlockingStub points() {
    return PointsGrpc.newBlockingStub(client.grpcClient().channel());
  }

  private void createCustom(String name) {
    collections()
        .create(
            Collections.CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(
                    Collections.VectorsConfig.newBuilder()
                        .setParams(
                            Collections.VectorParams.newBuilder()
                                .setSize(2)
                                .setDistance(Collections.Distance.Euclid)))
                .setShardNumber(2)
                .setReplicationFactor(3)
                .setWriteConsistencyFactor(2)
                .setShardingMethod(Collections.ShardingMethod.Custom)
                .build());
  }

  private void createKey(String name, ShardKey key) {
    collections()
        .createShardKey(
            Collections.CreateShardKeyRequest.newBuilder()
                .setCollectionName(name)
                .setRequest(Collections.CreateShardKey.newBuilder().setShardKey(key))
                .build());
  }

  private static Points.ShardKeySelector sel(ShardKey... keys) {
    return Points.ShardKeySelector.newBuilder().addAllShardKeys(List.of(keys)).build();
  }

  private void upsert(ShardKey key, long... ids) {
    Points.UpsertPoints.Builder b =
        Points.UpsertPoints.newBuilder()
            .setCollectionName("c")
            .setWait(true)
            .setShardKeySelector(sel(key))
            .setOrdering(
                Points.WriteOrdering.newBuilder().setType(Points.WriteOrderingType.Strong));
    for (long id : ids) {
      b.addPoints(
          Points.PointStruct.newBuilder().setId(id(id)).setVectors(vectors((float) id, 0f)));
    }
    points().upsert(b.build());
  }

  private long count(Points.ShardKeySelector selector) {
    Points.CountPoints.Builder b =
        Points.CountPoints.newBuilder()
            .setCollectionName("c")
            .setReadConsistency(
                Points.ReadConsistency.newBuilder().setType(Points.ReadConsistencyType.All));
    if (selector != null) {
      b.setShardKeySelector(selector);
    }
    return points().count(b.build()).getResult().getCount();
  }

  private static Status.Code code(Runnable call) {
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call::run);
    return e.getStatus().getCode();
  }

  @Test
  void customShardingOverTheWire() {
    start(QdrantTestServer.start());
    createCustom("c");
    createKey("c", A);
    createKey("c", B);
    createKey("c", N);
    assertThat(
            collections()
                .listShardKeys(
                    Collections.ListShardKeysRequest.newBuilder().setCollectionName("c").build())
                .getShardKeysList())
        .extracting(Collections.ShardKeyDescription::getKey)
        .containsExactly(N, A, B);
    Collections.CollectionParams params =
        collections()
            .get(Collections.GetCollectionInfoRequest.newBuilder().setCollectionName("c").build())
            .getResult()
            .getConfig()
            .getParams();
    assertThat(params.getShardingMethod()).isEqualTo(Collections.ShardingMethod.Custom);
    assertThat(params.getShardNumber()).isEqualTo(2);
    assertThat(params.getReplicationFactor()).isEqualTo(3);
    assertThat(params.getWriteConsistencyFactor()).isEqualTo(2);

    upsert(A, 1, 2);
    upsert(B, 3);
    assertThat(count(sel(A))).isEqualTo(2);
    assertThat(count(sel(B))).isEqualTo(1);
    assertThat(count(null)).isEqualTo(3);

    Points.QueryPoints query =
        Points.QueryPoints.newBuilder()
            .setCollectionName("c")
            .setQuery(
                Points.Query.newBuilder()
                    .setNearest(
                        Points.VectorInput.newBuilder()
                            .setDense(Points.DenseVector.newBuilder().addData(0).addData(0))))
            .setShardKeySelector(sel(B))
            .setReadConsistency(Points.ReadConsistency.newBuilder().setFactor(2))
            .build();
    assertThat(points().query(query).getResultList())
        .extracting(p -> p.getId().getNum())
        .containsExactly(3L);
    Points.SearchPoints search =
        Points.SearchPoints.newBuilder()
            .setCollectionName("c")
            .addVector(0)
            .addVector(0)
            .setLimit(5)
            .setShardKeySelector(sel(A))
            .build();
    assertThat(points().search(search).getResultCount()).isEqualTo(2);
    assertThat(
            points()
                .get(
                    Points.GetPoints.newBuilder()
                        .setCollectionName("c")
                        .addIds(id(3))
                        .setShardKeySelector(sel(A))
                        .build())
                .getResultCount())
        .isZero();
    assertThat(
            points()
                .scroll(
                    Points.ScrollPoints.newBuilder()
                        .setCollectionName("c")
                        .setShardKeySelector(sel(A, B))
                        .setReadConsistency(
                            Points.ReadConsistency.newBuilder()
                                .setType(Points.ReadConsistencyType.Quorum))
                        .build())
                .getResultCount())
        .isEqualTo(3);

    Points.PointsSelector byFilter =
        Points.PointsSelector.newBuilder()
            .setFilter(
                Common.Filter.newBuilder()
                    .addMust(
                        Common.Condition.newBuilder()
                            .setHasId(Common.HasIdCondition.newBuilder().addHasId(id(1)))))
            .build();
    points()
        .setPayload(
            Points.SetPayloadPoints.newBuilder()
                .setCollectionName("c")
                .putPayload("k", io.qdrant.client.ValueFactory.value("v"))
                .setPointsSelector(byFilter)
                .setShardKeySelector(sel(A))
                .build());
    points()
        .deletePayload(
            Points.DeletePayloadPoints.newBuilder()
                .setCollectionName("c")
                .addKeys("k")
                .setPointsSelector(byFilter)
                .setShardKeySelector(sel(A))
                .build());
    points()
        .clearPayload(
            Points.ClearPayloadPoints.newBuilder()
                .setCollectionName("c")
                .setPoints(byFilter)
                .setShardKeySelector(sel(A))
                .build());
    points()
        .delete(
            Points.DeletePoints.newBuilder()
                .setCollectionName("c")
                .setPoints(byFilter)
                .setShardKeySelector(sel(A))
                .setOrdering(
                    Points.WriteOrdering.newBuilder().setType(Points.WriteOrderingType.Medium))
                .build());
    assertThat(count(sel(A))).isEqualTo(1);
    points()
        .delete(
            Points.DeletePoints.newBuilder()
                .setCollectionName("c")
                .setPoints(
                    Points.PointsSelector.newBuilder()
                        .setFilter(Common.Filter.getDefaultInstance()))
                .setShardKeySelector(sel(A))
                .build());
    assertThat(count(sel(A))).isZero();

    collections()
        .deleteShardKey(
            Collections.DeleteShardKeyRequest.newBuilder()
                .setCollectionName("c")
                .setRequest(Collections.DeleteShardKey.newBuilder().setShardKey(B))
                .build());
    assertThat(count(null)).isZero();
  }

  @Test
  void errorsAreQdrants() {
    start(QdrantTestServer.start());
    createCustom("c");
    createKey("c", A);
    // a write without a key, a key the collection lacks, a duplicate key
    assertThat(
            code(
                () ->
                    points()
                        .upsert(
                            Points.UpsertPoints.newBuilder()
                                .setCollectionName("c")
                                .addPoints(
                                    Points.PointStruct.newBuilder()
                                        .setId(id(1))
                                        .setVectors(vectors(1f, 0f)))
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> count(sel(B)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> createKey("c", A))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> count(Points.ShardKeySelector.getDefaultInstance())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> count(sel(ShardKey.getDefaultInstance()))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> count(sel(A).toBuilder().setFallback(B).build())))
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(
            code(
                () ->
                    collections()
                        .createShardKey(
                            Collections.CreateShardKeyRequest.newBuilder()
                                .setCollectionName("c")
                                .setRequest(
                                    Collections.CreateShardKey.newBuilder()
                                        .setShardKey(B)
                                        .addPlacement(2))
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT); // "Peer 2 does not exist", as Qdrant
    assertThat(
            code(
                () ->
                    collections()
                        .createShardKey(
                            Collections.CreateShardKeyRequest.newBuilder()
                                .setCollectionName("c")
                                .setRequest(
                                    Collections.CreateShardKey.newBuilder()
                                        .setShardKey(B)
                                        .setShardsNumber(0))
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    collections()
                        .deleteShardKey(
                            Collections.DeleteShardKeyRequest.newBuilder()
                                .setCollectionName("c")
                                .setRequest(Collections.DeleteShardKey.newBuilder().setShardKey(B))
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void tenantIndexParamsAreEchoed() {
    start(QdrantTestServer.start());
    createCustom("c");
    points()
        .createFieldIndex(
            Points.CreateFieldIndexCollection.newBuilder()
                .setCollectionName("c")
                .setWait(true)
                .setFieldName("tenant")
                .setFieldType(Points.FieldType.FieldTypeKeyword)
                .setFieldIndexParams(
                    Collections.PayloadIndexParams.newBuilder()
                        .setKeywordIndexParams(
                            Collections.KeywordIndexParams.newBuilder().setIsTenant(true)))
                .setOrdering(
                    Points.WriteOrdering.newBuilder().setType(Points.WriteOrderingType.Strong))
                .build());
    Collections.PayloadSchemaInfo info =
        collections()
            .get(Collections.GetCollectionInfoRequest.newBuilder().setCollectionName("c").build())
            .getResult()
            .getPayloadSchemaMap()
            .get("tenant");
    assertThat(info.getParams().getKeywordIndexParams().getIsTenant()).isTrue();
  }

  @Test
  void aStoreWithoutClusterRequestsRefusesShardKeysNeverIgnoresThem() {
    InMemoryVectorStore engine = new InMemoryVectorStore();
    VectorStore plain =
        (VectorStore)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {VectorStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("extension")) {
                    return Optional.empty();
                  }
                  if (method.getName().equals("isSupported")
                      && args[0] == Capability.CLUSTER_REQUESTS) {
                    return false;
                  }
                  return method.invoke(engine, args);
                });
    start(QdrantTestServer.builder().port(0).backend(plain).start());
    assertThat(code(() -> createCustom("c"))).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(code(() -> createKey("c", A))).isEqualTo(Status.Code.UNIMPLEMENTED);
    collections()
        .create(
            Collections.CreateCollection.newBuilder()
                .setCollectionName("c")
                .setVectorsConfig(
                    Collections.VectorsConfig.newBuilder()
                        .setParams(
                            Collections.VectorParams.newBuilder()
                                .setSize(2)
                                .setDistance(Collections.Distance.Dot)))
                .build());
    // consistency and ordering hold on one node; a shard key cannot be honoured: refused
    assertThat(count(null)).isZero();
    assertThat(code(() -> count(sel(A)))).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThatThrownBy(() -> upsert(A, 1)).isInstanceOf(StatusRuntimeException.class);
    engine.close();
  }
}
