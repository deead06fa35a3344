package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ReadConsistency;
import io.qdrant.client.grpc.Points.ReadConsistencyType;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchBatchPoints;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.VectorsSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SearchBatch, QueryBatch, UpdateBatch, UpdateVectors and DeleteVectors through the official Qdrant
 * Java client: results in order and equal to the single calls, one result per operation, Qdrant's
 * codes and messages.
 */
class BatchRpcsTest {
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    // DOT on two dimensions: scores against [1, 0] are 1..5, vectors come back as sent
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
        .get();
    client
        .upsertAsync(
            "c",
            List.of(
                point(1, 1f, 0.5f, "a"),
                point(2, 2f, 0.1f, "b"),
                point(3, 3f, 0.9f, "a"),
                point(4, 4f, 0.2f, "b"),
                point(5, 5f, 0.3f, "a")))
        .get();
    server.resetRequestCounts();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static PointStruct point(long id, float x, float y, String kind) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors(x, y))
        .putAllPayload(Map.of("kind", value(kind), "n", value(id)))
        .build();
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

  private static void assertStatus(Future<?> f, Status.Code code, String description) {
    StatusRuntimeException e = grpcError(f);
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(description);
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    return hits.stream().map(p -> p.getId().getNum()).toList();
  }

  private static SearchPoints.Builder search(int limit, float... vector) {
    SearchPoints.Builder b = SearchPoints.newBuilder().setCollectionName("c").setLimit(limit);
    for (float x : vector) {
      b.addVector(x);
    }
    return b;
  }

  private RetrievedPoint retrieve(long id) throws Exception {
    List<RetrievedPoint> found = client.retrieveAsync("c", List.of(id(id)), true, true, null).get();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<Float> vectorOf(RetrievedPoint p) {
    return p.getVectors().getVector().getDense().getDataList();
  }

  // ---- SearchBatch ----

  @DisplayName("SearchBatch answers each search as Search does, in order, in one call")
  @Test
  void searchBatchAnswersEachSearchAsSearchDoes() throws Exception {
    List<SearchPoints> searches =
        List.of(
            search(2, 1f, 0f).build(),
            search(10, 1f, 0f)
                .setFilter(Filter.newBuilder().addMust(matchKeyword("kind", "a")))
                .setWithPayload(enable(true))
                .build(),
            search(2, 1f, 0f).setOffset(1).setScoreThreshold(2.5f).build(),
            search(3, 0f, 1f)
                .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true))
                .build());

    List<BatchResult> results =
        client
            .searchBatchAsync(
                "c",
                searches,
                ReadConsistency.newBuilder().setType(ReadConsistencyType.Majority).build())
            .get();

    assertThat(results).hasSize(4);
    assertThat(ids(results.get(0).getResultList())).containsExactly(5L, 4L);
    assertThat(ids(results.get(1).getResultList())).containsExactly(5L, 3L, 1L);
    assertThat(results.get(1).getResult(0).getPayloadMap()).containsKey("kind");
    assertThat(ids(results.get(2).getResultList())).containsExactly(4L, 3L);
    assertThat(ids(results.get(3).getResultList())).containsExactly(3L, 1L, 5L);
    assertThat(results.get(3).getResult(0).getVectors().getVector().getDense().getDataList())
        .containsExactly(3f, 0.9f);
    assertThat(server.requestCount("SearchBatch")).isEqualTo(1);
    for (int i = 0; i < searches.size(); i++) {
      assertThat(results.get(i).getResultList())
          .as("search %d", i)
          .isEqualTo(client.searchAsync(searches.get(i)).get());
    }

    // the reverse order gives the reverse answers
    List<SearchPoints> reversed = new ArrayList<>(searches);
    Collections.reverse(reversed);
    List<BatchResult> back = client.searchBatchAsync("c", reversed, null).get();
    for (int i = 0; i < searches.size(); i++) {
      assertThat(back.get(i)).isEqualTo(results.get(searches.size() - 1 - i));
    }
  }

  @DisplayName("SearchBatch: an empty batch, a missing collection, and one bad item fail as Qdrant")
  @Test
  void searchBatchEdgesAndErrors() throws Exception {
    assertThat(client.searchBatchAsync("c", List.of(), null).get()).isEmpty();
    assertStatus(
        client.searchBatchAsync("nope", List.of(), null),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");
    SearchPoints good = search(1, 1f, 0f).build();
    assertStatus(
        client.searchBatchAsync("c", List.of(good, search(0, 1f, 0f).build()), null),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [search_points[1].limit: value 0 invalid, must be 1 or larger]");
    assertStatus(
        client.searchBatchAsync("c", List.of(good, search(1, 1f, 0f, 0f).build()), null),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Vector dimension error: expected dim: 2, got 3");
    assertStatus(
        client.searchBatchAsync("c", List.of(search(1, 1f, 0f).setVectorName("img").build()), null),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: img");
    // Qdrant validates each item as a whole SearchPoints: a raw request must name the collection
    SearchBatchPoints unnamed =
        SearchBatchPoints.newBuilder()
            .setCollectionName("c")
            .addSearchPoints(search(1, 1f, 0f).clearCollectionName())
            .build();
    assertStatus(
        client.grpcClient().points().searchBatch(unnamed),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [search_points[0].collection_name: value \"\" invalid, must be"
            + " from 1 to 255 characters]");
    // the batch's collection is the one searched, whatever an item names
    SearchBatchPoints elsewhere =
        SearchBatchPoints.newBuilder()
            .setCollectionName("c")
            .addSearchPoints(search(1, 1f, 0f).setCollectionName("other"))
            .build();
    assertThat(
            client.grpcClient().points().searchBatch(elsewhere).get().getResult(0).getResultList())
        .extracting(p -> p.getId().getNum())
        .containsExactly(5L);
  }

  // ---- QueryBatch ----

  @DisplayName("QueryBatch answers each query as Query does, in order")
  @Test
  void queryBatchAnswersEachQueryAsQueryDoes() throws Exception {
    List<QueryPoints> queries =
        List.of(
            QueryPoints.newBuilder().setCollectionName("c").setQuery(nearest(1f, 0f)).build(),
            QueryPoints.newBuilder()
                .setCollectionName("c")
                .setQuery(nearest(id(5)))
                .setLimit(2)
                .build(),
            QueryPoints.newBuilder()
                .setCollectionName("c")
                .setFilter(Filter.newBuilder().addMust(matchKeyword("kind", "b")))
                .setLimit(5)
                .build());

    List<BatchResult> results = client.queryBatchAsync("c", queries).get();

    assertThat(results).hasSize(3);
    // Query's default limit is 10
    assertThat(ids(results.get(0).getResultList())).containsExactly(5L, 4L, 3L, 2L, 1L);
    // nearest to a stored point leaves that point out
    assertThat(ids(results.get(1).getResultList())).doesNotContain(5L).hasSize(2);
    // no query: id order
    assertThat(ids(results.get(2).getResultList())).containsExactly(2L, 4L);
    assertThat(server.requestCount("QueryBatch")).isEqualTo(1);
    for (int i = 0; i < queries.size(); i++) {
      assertThat(results.get(i).getResultList())
          .as("query %d", i)
          .isEqualTo(client.queryAsync(queries.get(i)).get());
    }

    assertStatus(
        client.queryBatchAsync(
            "c",
            List.of(
                queries.get(0),
                QueryPoints.newBuilder()
                    .setCollectionName("c")
                    .setQuery(nearest(1f, 0f))
                    .setLimit(0)
                    .build())),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [query_points[1].limit: value 0 invalid, must be 1 or larger]");
    assertStatus(
        client.queryBatchAsync(
            "c",
            List.of(
                QueryPoints.newBuilder().setCollectionName("c").setQuery(nearest(id(42))).build())),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 42 found");
    assertThat(client.queryBatchAsync("c", List.of()).get()).isEmpty();
  }

  // ---- UpdateBatch ----

  private static PointsSelector ids(long... ids) {
    Points.PointsIdsList.Builder b = Points.PointsIdsList.newBuilder();
    for (long id : ids) {
      b.addIds(id(id));
    }
    return PointsSelector.newBuilder().setPoints(b).build();
  }

  @DisplayName("UpdateBatch applies every operation kind in order, one result each")
  @Test
  void updateBatchAppliesEveryOperationInOrder() throws Exception {
    List<PointsUpdateOperation> ops =
        List.of(
            PointsUpdateOperation.newBuilder()
                .setUpsert(
                    PointsUpdateOperation.PointStructList.newBuilder()
                        .addPoints(point(7, 7f, 0f, "a"))
                        .addPoints(point(8, 8f, 0f, "b")))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setSetPayload(
                    PointsUpdateOperation.SetPayload.newBuilder()
                        .putPayload("extra", value(true))
                        .setPointsSelector(ids(7)))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setUpdateVectors(
                    PointsUpdateOperation.UpdateVectors.newBuilder()
                        .addPoints(
                            PointVectors.newBuilder().setId(id(7)).setVectors(vectors(0f, 7f))))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder().setPoints(ids(8)))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setOverwritePayload(
                    PointsUpdateOperation.OverwritePayload.newBuilder()
                        .putPayload("only", value("this"))
                        .setPointsSelector(ids(1)))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setDeletePayload(
                    PointsUpdateOperation.DeletePayload.newBuilder()
                        .addKeys("kind")
                        .setPointsSelector(ids(2)))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setClearPayload(PointsUpdateOperation.ClearPayload.newBuilder().setPoints(ids(3)))
                .build(),
            PointsUpdateOperation.newBuilder()
                .setDeleteVectors(
                    PointsUpdateOperation.DeleteVectors.newBuilder()
                        .setPointsSelector(ids(4))
                        .setVectors(VectorsSelector.getDefaultInstance()))
                .build());

    List<UpdateResult> results = client.batchUpdateAsync("c", ops).get();

    assertThat(results).hasSize(ops.size());
    assertThat(results).extracting(UpdateResult::getStatus).containsOnly(UpdateStatus.Completed);
    List<Long> opIds = results.stream().map(UpdateResult::getOperationId).toList();
    assertThat(opIds).isSorted().doesNotHaveDuplicates();
    assertThat(server.requestCount("UpdateBatch")).isEqualTo(1);

    RetrievedPoint seven = retrieve(7);
    assertThat(vectorOf(seven)).containsExactly(0f, 7f);
    assertThat(seven.getPayloadMap())
        .containsEntry("kind", value("a"))
        .containsEntry("extra", value(true));
    assertThat(client.retrieveAsync("c", List.of(id(8)), null).get()).isEmpty();
    assertThat(retrieve(1).getPayloadMap()).containsOnlyKeys("only");
    assertThat(retrieve(2).getPayloadMap()).containsOnlyKeys("n");
    assertThat(retrieve(3).getPayloadMap()).isEmpty();
    assertThat(vectorOf(retrieve(4))).containsExactly(4f, 0.2f);

    // without wait, each operation is acknowledged
    List<UpdateResult> acked =
        client.batchUpdateAsync("c", ops.subList(0, 2), false, null, null).get();
    assertThat(acked).extracting(UpdateResult::getStatus).containsOnly(UpdateStatus.Acknowledged);
  }

  @DisplayName("UpdateBatch: a failing operation fails the call, the ones before it stay applied")
  @Test
  void updateBatchFailsAtTheFirstFailingOperation() throws Exception {
    PointsUpdateOperation upsert =
        PointsUpdateOperation.newBuilder()
            .setUpsert(
                PointsUpdateOperation.PointStructList.newBuilder().addPoints(point(9, 9f, 0f, "a")))
            .build();
    PointsUpdateOperation missing =
        PointsUpdateOperation.newBuilder()
            .setSetPayload(
                PointsUpdateOperation.SetPayload.newBuilder()
                    .putPayload("x", value(1))
                    .setPointsSelector(ids(99)))
            .build();
    PointsUpdateOperation clear =
        PointsUpdateOperation.newBuilder()
            .setClearPayload(PointsUpdateOperation.ClearPayload.newBuilder().setPoints(ids(1)))
            .build();
    assertStatus(
        client.batchUpdateAsync("c", List.of(upsert, missing, clear)),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 99 found");
    assertThat(retrieve(9).getPayloadMap()).containsEntry("kind", value("a"));
    assertThat(retrieve(1).getPayloadMap()).isNotEmpty();

    assertStatus(
        client.batchUpdateAsync("c", List.of()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [operations: value [] invalid, must be at least 1 characters]");
    assertStatus(
        client.batchUpdateAsync("c", List.of(PointsUpdateOperation.getDefaultInstance())),
        Status.Code.INVALID_ARGUMENT,
        "Operation is missing");
    assertStatus(
        client.batchUpdateAsync("nope", List.of(upsert)),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");
  }

  @DisplayName("UpdateBatch: the deprecated delete and clear_payload variants still work")
  @Test
  @SuppressWarnings("deprecation")
  void updateBatchDeprecatedVariants() throws Exception {
    List<UpdateResult> results =
        client
            .batchUpdateAsync(
                "c",
                List.of(
                    PointsUpdateOperation.newBuilder().setClearPayloadDeprecated(ids(1)).build(),
                    PointsUpdateOperation.newBuilder().setDeleteDeprecated(ids(2)).build()))
            .get();
    assertThat(results).hasSize(2);
    assertThat(retrieve(1).getPayloadMap()).isEmpty();
    assertThat(client.retrieveAsync("c", List.of(id(2)), null).get()).isEmpty();
  }

  // ---- UpdateVectors ----

  @DisplayName("UpdateVectors replaces the vector and keeps the payload; errors as Qdrant's")
  @Test
  void updateVectorsReplacesTheVectorAndKeepsThePayload() throws Exception {
    UpdateResult r =
        client
            .updateVectorsAsync(
                "c",
                List.of(
                    PointVectors.newBuilder().setId(id(1)).setVectors(vectors(-1f, 2f)).build(),
                    PointVectors.newBuilder().setId(id(2)).setVectors(vectors(6f, 6f)).build()))
            .get();
    assertThat(r.getStatus()).isEqualTo(UpdateStatus.Completed);
    RetrievedPoint one = retrieve(1);
    assertThat(vectorOf(one)).containsExactly(-1f, 2f);
    assertThat(one.getPayloadMap()).containsEntry("kind", value("a")).containsEntry("n", value(1));
    assertThat(vectorOf(retrieve(2))).containsExactly(6f, 6f);
    // the search sees the new vectors
    assertThat(ids(client.searchAsync(search(1, 1f, 0f).build()).get())).containsExactly(2L);

    assertStatus(
        client.updateVectorsAsync(
            "c",
            List.of(PointVectors.newBuilder().setId(id(42)).setVectors(vectors(1f, 1f)).build())),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 42 found");
    assertStatus(
        client.updateVectorsAsync(
            "c",
            List.of(
                PointVectors.newBuilder()
                    .setId(id(3))
                    .setVectors(namedVectors(Map.of("img", VectorFactory.vector(1f, 1f))))
                    .build())),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: img");
    assertStatus(
        client.updateVectorsAsync(
            "c",
            List.of(
                PointVectors.newBuilder().setId(id(3)).setVectors(vectors(1f, 1f, 1f)).build())),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Vector dimension error: expected dim: 2, got 3");
    assertStatus(
        client.updateVectorsAsync(
            "nope",
            List.of(PointVectors.newBuilder().setId(id(3)).setVectors(vectors(1f, 1f)).build())),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");
    assertThat(vectorOf(retrieve(3))).containsExactly(3f, 0.9f);
  }

  @DisplayName("UpdateVectors with update_filter updates only the points that match it")
  @Test
  void updateVectorsWithUpdateFilter() throws Exception {
    client
        .updateVectorsAsync(
            Points.UpdatePointVectors.newBuilder()
                .setCollectionName("c")
                .setWait(true)
                .addPoints(PointVectors.newBuilder().setId(id(1)).setVectors(vectors(0f, 1f)))
                .addPoints(PointVectors.newBuilder().setId(id(2)).setVectors(vectors(0f, 2f)))
                .setUpdateFilter(Filter.newBuilder().addMust(matchKeyword("kind", "b")))
                .build())
        .get();
    assertThat(vectorOf(retrieve(1))).containsExactly(1f, 0.5f);
    assertThat(vectorOf(retrieve(2))).containsExactly(0f, 2f);
  }

  @DisplayName("UpdateVectors and payload writes running together lose no payload write")
  @Test
  void updateVectorsLosesNoConcurrentPayloadWrite() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        calls.add(
            pool.submit(
                () ->
                    client
                        .setPayloadAsync(
                            "c", Map.of("k" + n, value(n)), List.of(id(5)), true, null, null)
                        .get()));
        calls.add(
            pool.submit(
                () ->
                    client
                        .updateVectorsAsync(
                            "c",
                            List.of(
                                PointVectors.newBuilder()
                                    .setId(id(5))
                                    .setVectors(vectors(n, 1f))
                                    .build()))
                        .get()));
      }
      for (Future<?> f : calls) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Value> payload = retrieve(5).getPayloadMap();
    for (int i = 0; i < 100; i++) {
      assertThat(payload).containsEntry("k" + i, value(i));
    }
    assertThat(payload).containsEntry("kind", value("a"));
  }

  // ---- DeleteVectors ----

  @DisplayName("DeleteVectors answers as Qdrant; deleting the only vector keeps the point")
  @Test
  void deleteVectorsAnswersAsQdrant() throws Exception {
    List<PointId> three = List.of(id(3));
    assertStatus(
        client.deleteVectorsAsync("c", List.of("img"), three),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: img");
    assertThat(vectorOf(retrieve(3))).containsExactly(3f, 0.9f);

    assertStatus(
        client.deleteVectorsAsync("c", List.of(""), List.of(id(42))),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 42 found");
    // no name, or a filter that matches nothing: nothing to do
    assertThat(client.deleteVectorsAsync("c", List.of(), three).get().getStatus())
        .isEqualTo(UpdateStatus.Completed);
    assertThat(
            client
                .deleteVectorsAsync(
                    "c",
                    List.of(""),
                    Filter.newBuilder().addMust(matchKeyword("kind", "z")).build())
                .get()
                .getStatus())
        .isEqualTo(UpdateStatus.Completed);
    assertThat(vectorOf(retrieve(3))).containsExactly(3f, 0.9f);
    assertStatus(
        client.deleteVectorsAsync("nope", List.of(""), three),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");

    // the unnamed vector deleted: the point stays, with its payload and no vector, and is no hit
    long before = client.countAsync("c").get();
    client.deleteVectorsAsync("c", List.of(""), three).get();
    RetrievedPoint kept = retrieve(3);
    assertThat(kept.getVectors().hasVector()).isFalse();
    assertThat(kept.getPayloadMap()).isNotEmpty();
    assertThat(client.countAsync("c").get()).isEqualTo(before);
    assertThat(
            client
                .searchAsync(
                    Points.SearchPoints.newBuilder()
                        .setCollectionName("c")
                        .addAllVector(List.of(3f, 0.9f))
                        .setLimit(100)
                        .build())
                .get())
        .extracting(p -> p.getId().getNum())
        .isNotEmpty()
        .doesNotContain(3L);
    // and it takes a vector again
    client
        .updateVectorsAsync(
            "c",
            List.of(PointVectors.newBuilder().setId(id(3)).setVectors(vectors(1f, 1f)).build()))
        .get();
    assertThat(vectorOf(retrieve(3))).containsExactly(1f, 1f);
  }

  @DisplayName("The batch of UpdateBatch carries its wait to every operation")
  @Test
  void updateBatchRequestAsSent() throws Exception {
    client
        .batchUpdateAsync(
            UpdateBatchPoints.newBuilder()
                .setCollectionName("c")
                .setWait(true)
                .addOperations(
                    PointsUpdateOperation.newBuilder()
                        .setClearPayload(
                            PointsUpdateOperation.ClearPayload.newBuilder().setPoints(ids(4))))
                .build(),
            null)
        .get();
    assertThat(server.lastRequest("UpdateBatch", UpdateBatchPoints.class).getOperationsCount())
        .isEqualTo(1);
    assertThat(retrieve(4).getPayloadMap()).isEmpty();
  }
}
