package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.context;
import static io.qdrant.client.QueryFactory.discover;
import static io.qdrant.client.QueryFactory.recommend;
import static io.qdrant.client.TargetVectorFactory.targetVector;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorInputFactory.vectorInput;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.ContextExamplePair;
import io.qdrant.client.grpc.Points.ContextInput;
import io.qdrant.client.grpc.Points.ContextInputPair;
import io.qdrant.client.grpc.Points.DiscoverInput;
import io.qdrant.client.grpc.Points.DiscoverPoints;
import io.qdrant.client.grpc.Points.LookupLocation;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RecommendInput;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.RecommendStrategy;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.VectorExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recommend, Discover, their batches and the Query API's recommend, discover and context queries,
 * through the official client, on hand-made data whose orders and scores are worked out below.
 *
 * <p>Collection "docs" (Dot, 2 dimensions): 1 (1,0), 2 (0,1), 3 (1,1), 4 (-1,0.5), 5 (2,0), 6
 * (0,-3), 7 (1,3), 8 (-1,-2), 9 (-2,2). With positive 1 = (1,0) and negative 2 = (0,1), a point (x,
 * y) has similarity x to the positive and y to the negative:
 *
 * <ul>
 *   <li>average vector: query 2·(1,0) − (0,1) = (2,−1), score 2x − y: 5 (4), 6 (3), 3 (1), 8 (0), 7
 *       (−1), 4 (−2.5), 9 (−6);
 *   <li>best score: sigmoid(x) when x &gt; y, else −sigmoid(y), with sigmoid(s) = (s/(1+|s|) +
 *       1)/2: 5 (0.8333), 6 (0.5), 8 (0.25), 4 (−0.6667), 3 (−0.75), 9 (−0.8333), 7 (−0.875);
 *   <li>sum scores: x − y: 6 (3), 5 (2), 8 (1), 3 (0), 4 (−1.5), 7 (−2), 9 (−4).
 * </ul>
 */
class ExampleQueriesTest {
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    create("docs", Distance.Dot);
    client
        .upsertAsync(
            "docs",
            List.of(
                point(1, "a", 1, 0),
                point(2, "b", 0, 1),
                point(3, "a", 1, 1),
                point(4, "b", -1, 0.5f),
                point(5, "a", 2, 0),
                point(6, "b", 0, -3),
                point(7, "a", 1, 3),
                point(8, "b", -1, -2),
                point(9, "a", -2, 2)))
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void create(String name, Distance distance) throws Exception {
    client
        .createCollectionAsync(
            name, VectorParams.newBuilder().setSize(2).setDistance(distance).build())
        .get();
  }

  private static PointStruct point(long id, String tag, float x, float y) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors(x, y))
        .putAllPayload(Map.of("tag", value(tag)))
        .build();
  }

  private static RecommendPoints.Builder reco(RecommendStrategy strategy) {
    return RecommendPoints.newBuilder()
        .setCollectionName("docs")
        .addPositive(id(1))
        .addNegative(id(2))
        .setStrategy(strategy)
        .setLimit(10);
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    List<Long> out = new ArrayList<>();
    for (ScoredPoint p : hits) {
      out.add(p.getId().getNum());
    }
    return out;
  }

  private static List<Float> scores(List<ScoredPoint> hits) {
    List<Float> out = new ArrayList<>();
    for (ScoredPoint p : hits) {
      out.add(p.getScore());
    }
    return out;
  }

  private static void assertScores(List<ScoredPoint> hits, double... expected) {
    assertThat(hits).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) hits.get(i).getScore())
          .as("score %d", i)
          .isCloseTo(expected[i], within(1e-5));
    }
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

  private static void assertError(Future<?> f, Status.Code code, String message) {
    StatusRuntimeException e = grpcError(f);
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(message);
  }

  // ---- Recommend ----

  @Test
  void averageVectorSearchesTwiceThePositivesMinusTheNegatives() throws Exception {
    List<ScoredPoint> hits =
        client.recommendAsync(reco(RecommendStrategy.AverageVector).build()).get();
    assertThat(ids(hits)).containsExactly(5L, 6L, 3L, 8L, 7L, 4L, 9L); // 1 and 2 left out
    assertScores(hits, 4, 3, 1, 0, -1, -2.5, -6);
    // the default strategy is the average vector
    RecommendPoints noStrategy = reco(RecommendStrategy.AverageVector).clearStrategy().build();
    assertThat(ids(client.recommendAsync(noStrategy).get()))
        .containsExactly(5L, 6L, 3L, 8L, 7L, 4L, 9L);
  }

  @Test
  void bestScoreAndSumScoresRankByTheirOwnObjectives() throws Exception {
    List<ScoredPoint> best = client.recommendAsync(reco(RecommendStrategy.BestScore).build()).get();
    assertThat(ids(best)).containsExactly(5L, 6L, 8L, 4L, 3L, 9L, 7L);
    assertScores(best, 5.0 / 6, 0.5, 0.25, -2.0 / 3, -0.75, -5.0 / 6, -0.875);

    List<ScoredPoint> sum = client.recommendAsync(reco(RecommendStrategy.SumScores).build()).get();
    assertThat(ids(sum)).containsExactly(6L, 5L, 8L, 3L, 4L, 7L, 9L);
    assertScores(sum, 3, 2, 1, 0, -1.5, -2, -4);
  }

  @Test
  void limitOffsetThresholdFilterPayloadAndVectorsApply() throws Exception {
    List<ScoredPoint> page =
        client
            .recommendAsync(
                reco(RecommendStrategy.AverageVector)
                    .setLimit(2)
                    .setOffset(1)
                    .setWithPayload(WithPayloadSelectorFactory.enable(true))
                    .setWithVectors(WithVectorsSelectorFactory.enable(true))
                    .build())
            .get();
    assertThat(ids(page)).containsExactly(6L, 3L);
    assertThat(page.get(0).getPayloadMap().get("tag").getStringValue()).isEqualTo("b");
    assertThat(page.get(0).getVectors().getVector().getDense().getDataList())
        .containsExactly(0f, -3f);

    // strictly better than the threshold, custom scores included
    assertThat(
            ids(
                client
                    .recommendAsync(
                        reco(RecommendStrategy.AverageVector).setScoreThreshold(1).build())
                    .get()))
        .containsExactly(5L, 6L);
    assertThat(
            ids(
                client
                    .recommendAsync(
                        reco(RecommendStrategy.BestScore).setScoreThreshold(0.3f).build())
                    .get()))
        .containsExactly(5L, 6L);

    Filter onlyA =
        Filter.newBuilder()
            .addMust(io.qdrant.client.ConditionFactory.matchKeyword("tag", "a"))
            .build();
    List<ScoredPoint> filtered =
        client.recommendAsync(reco(RecommendStrategy.SumScores).setFilter(onlyA).build()).get();
    assertThat(ids(filtered)).containsExactly(5L, 3L, 7L, 9L);
    assertThat(filtered.get(0).getPayloadMap()).isEmpty(); // no payload unless asked

    // a limit of 0 is no result, as in Qdrant
    assertThat(client.recommendAsync(reco(RecommendStrategy.BestScore).setLimit(0).build()).get())
        .isEmpty();
  }

  @Test
  void examplesGivenAsVectorsAreNotLeftOut() throws Exception {
    RecommendPoints byVector =
        RecommendPoints.newBuilder()
            .setCollectionName("docs")
            .addPositiveVectors(vector(1, 0))
            .addNegativeVectors(vector(0, 1))
            .setLimit(3)
            .build();
    // query (2,-1): 5 (4), 6 (3), 1 (2)
    assertThat(ids(client.recommendAsync(byVector).get())).containsExactly(5L, 6L, 1L);

    // an id and a vector together: only the id is left out
    RecommendPoints mixed =
        RecommendPoints.newBuilder()
            .setCollectionName("docs")
            .addPositive(id(1))
            .addNegativeVectors(vector(0, 1))
            .setStrategy(RecommendStrategy.SumScores)
            .setLimit(10)
            .build();
    assertThat(ids(client.recommendAsync(mixed).get()))
        .containsExactly(6L, 5L, 8L, 3L, 2L, 4L, 7L, 9L); // x - y; 2 scores -1
  }

  @Test
  void lookupFromReadsTheExamplesOfAnotherCollection() throws Exception {
    create("examples", Distance.Dot);
    client.upsertAsync("examples", List.of(point(100, "x", 1, 0), point(101, "x", 0, 1))).get();
    RecommendPoints fromExamples =
        RecommendPoints.newBuilder()
            .setCollectionName("docs")
            .addPositive(id(100))
            .addNegative(id(101))
            .setLookupFrom(LookupLocation.newBuilder().setCollectionName("examples"))
            .setLimit(3)
            .build();
    assertThat(ids(client.recommendAsync(fromExamples).get())).containsExactly(5L, 6L, 1L);

    assertError(
        client.recommendAsync(
            fromExamples.toBuilder()
                .setLookupFrom(LookupLocation.newBuilder().setCollectionName("nope"))
                .build()),
        Status.Code.NOT_FOUND,
        "Not found: Collection nope not found");
  }

  @Test
  void recommendErrorsAreQdrants() throws Exception {
    assertError(
        client.recommendAsync(reco(RecommendStrategy.BestScore).addPositive(id(42)).build()),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 42 found");
    assertError(
        client.recommendAsync(reco(RecommendStrategy.BestScore).setCollectionName("nope").build()),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");
    assertError(
        client.recommendAsync(
            RecommendPoints.newBuilder()
                .setCollectionName("docs")
                .addNegative(id(2))
                .setLimit(3)
                .build()),
        Status.Code.INVALID_ARGUMENT,
        "Bad request: At least one positive vector ID required with this strategy");
    assertError(
        client.recommendAsync(
            RecommendPoints.newBuilder()
                .setCollectionName("docs")
                .setStrategy(RecommendStrategy.BestScore)
                .setLimit(3)
                .build()),
        Status.Code.INVALID_ARGUMENT,
        "Bad request: At least one positive or negative vector ID required with this strategy");
    assertError(
        client.recommendAsync(reco(RecommendStrategy.BestScore).setUsing("image").build()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: image");
    assertError(
        client.recommendAsync(
            reco(RecommendStrategy.BestScore).addPositiveVectors(vector(1, 2, 3)).build()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Vector dimension error: expected dim: 2, got 3");
  }

  @Test
  void recommendBatchAnswersEachRequest() throws Exception {
    List<BatchResult> results =
        client
            .recommendBatchAsync(
                "docs",
                List.of(
                    reco(RecommendStrategy.AverageVector).setLimit(2).build(),
                    reco(RecommendStrategy.SumScores).setLimit(2).build()),
                null)
            .get();
    assertThat(results).hasSize(2);
    assertThat(ids(results.get(0).getResultList())).containsExactly(5L, 6L);
    assertThat(ids(results.get(1).getResultList())).containsExactly(6L, 5L);
  }

  @Test
  void bestScoreWorksOnQdrantsRawSimilarityForDistances() throws Exception {
    // Euclid: the similarity is minus the squared distance, and the score is never turned back
    // into a distance: sigmoid(0) = 0.5, sigmoid(-1) = 0.25, sigmoid(-9) = 0.05
    create("line", Distance.Euclid);
    client
        .upsertAsync("line", List.of(point(1, "a", 0, 0), point(2, "a", 1, 0), point(3, "a", 3, 0)))
        .get();
    List<ScoredPoint> hits =
        client
            .recommendAsync(
                RecommendPoints.newBuilder()
                    .setCollectionName("line")
                    .addPositiveVectors(vector(0, 0))
                    .setStrategy(RecommendStrategy.BestScore)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(ids(hits)).containsExactly(1L, 2L, 3L);
    assertScores(hits, 0.5, 0.25, 0.05);
  }

  // ---- Discover ----

  /*
   * Target (0,1), one context pair: positive 1 = (1,0), negative 4 = (-1,0.5). The rank of (x, y)
   * is +1 when x > -x + y/2, else -1 (no tie here); the score is rank + sigmoid(y): 7 (1.875),
   * 3 (1.75), 5 (1.5), 6 (1.125), 9 (-0.1667), 2 (-0.25), 8 (-0.8333); 1 and 4 are left out.
   */
  private static DiscoverPoints.Builder disco() {
    return DiscoverPoints.newBuilder()
        .setCollectionName("docs")
        .setTarget(targetVector(vector(0, 1)))
        .addContext(pair(1, 4))
        .setLimit(10);
  }

  private static ContextExamplePair pair(long positive, long negative) {
    return ContextExamplePair.newBuilder()
        .setPositive(VectorExample.newBuilder().setId(id(positive)))
        .setNegative(VectorExample.newBuilder().setId(id(negative)))
        .build();
  }

  @Test
  void discoverRanksByContextThenTarget() throws Exception {
    List<ScoredPoint> hits = client.discoverAsync(disco().build()).get();
    assertThat(ids(hits)).containsExactly(7L, 3L, 5L, 6L, 9L, 2L, 8L);
    assertScores(hits, 1.875, 1.75, 1.5, 1.125, -1.0 / 6, -0.25, -5.0 / 6);

    assertThat(ids(client.discoverAsync(disco().setLimit(2).setOffset(1).build()).get()))
        .containsExactly(3L, 5L);
    // without context it is a search ranked by sigmoid(similarity to the target)
    assertThat(ids(client.discoverAsync(disco().clearContext().setLimit(2).build()).get()))
        .containsExactly(7L, 9L);
  }

  /*
   * Context alone, pairs (1, 4) and (2, 6): a point scores the sum over the pairs of
   * fastSigmoid(min(sim(pos) - sim(neg) - EPSILON, 0)): 3 and 7 are on the positive side of both
   * (0), 5 sits on the border of the second (-1.2e-7), 9 is on the wrong side of the first
   * (fastSigmoid(-5) = -5/6), 8 of both (fastSigmoid(-1) + fastSigmoid(-8) = -1/2 - 8/9); 1, 2, 4
   * and 6 are left out.
   */
  @Test
  void discoverWithoutTargetIsAContextSearch() throws Exception {
    List<ScoredPoint> hits =
        client
            .discoverAsync(
                DiscoverPoints.newBuilder()
                    .setCollectionName("docs")
                    .addContext(pair(1, 4))
                    .addContext(pair(2, 6))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(hits).subList(0, 2)).containsExactlyInAnyOrder(3L, 7L);
    assertThat(ids(hits).subList(2, 5)).containsExactly(5L, 9L, 8L);
    assertScores(hits, 0, 0, 0, -5.0 / 6, -0.5 - 8.0 / 9);
    assertThat(hits.get(2).getScore()).isNegative();
  }

  @Test
  void discoverErrorsAndBatch() throws Exception {
    assertError(
        client.discoverAsync(
            DiscoverPoints.newBuilder().setCollectionName("docs").setLimit(3).build()),
        Status.Code.INVALID_ARGUMENT,
        "Bad request: target and/or context_pairs must be specified");
    assertError(
        client.discoverAsync(
            disco()
                .addContext(
                    ContextExamplePair.newBuilder()
                        .setPositive(VectorExample.newBuilder().setId(id(1))))
                .build()),
        Status.Code.INVALID_ARGUMENT,
        "Both positive and negative are required in a context pair");
    assertError(
        client.discoverAsync(disco().addContext(pair(1, 77)).build()),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 77 found");
    assertError(
        client.discoverAsync(disco().setLimit(0).build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [limit: value 0 invalid, must be 1 or larger]");

    List<BatchResult> batch =
        client
            .discoverBatchAsync(
                "docs", List.of(disco().setLimit(1).build(), disco().setLimit(2).build()), null)
            .get();
    assertThat(ids(batch.get(0).getResultList())).containsExactly(7L);
    assertThat(ids(batch.get(1).getResultList())).containsExactly(7L, 3L);
  }

  // ---- the Query API ----

  @Test
  void queryRecommendDiscoverAndContextScoreLikeTheirRpcs() throws Exception {
    for (RecommendStrategy strategy :
        List.of(
            RecommendStrategy.AverageVector,
            RecommendStrategy.BestScore,
            RecommendStrategy.SumScores)) {
      List<ScoredPoint> query =
          client
              .queryAsync(
                  QueryPoints.newBuilder()
                      .setCollectionName("docs")
                      .setQuery(
                          recommend(
                              RecommendInput.newBuilder()
                                  .addPositive(vectorInput(1))
                                  .addNegative(vectorInput(2))
                                  .setStrategy(strategy)
                                  .build()))
                      .build())
              .get();
      List<ScoredPoint> rpc = client.recommendAsync(reco(strategy).build()).get();
      assertThat(ids(query)).as("%s", strategy).isEqualTo(ids(rpc));
      assertThat(scores(query)).as("%s", strategy).isEqualTo(scores(rpc));
    }

    List<ScoredPoint> discovered =
        client
            .queryAsync(
                QueryPoints.newBuilder()
                    .setCollectionName("docs")
                    .setQuery(
                        discover(
                            DiscoverInput.newBuilder()
                                .setTarget(vectorInput(0, 1))
                                .setContext(
                                    ContextInput.newBuilder()
                                        .addPairs(
                                            ContextInputPair.newBuilder()
                                                .setPositive(vectorInput(1))
                                                .setNegative(vectorInput(4))))
                                .build()))
                    .setLimit(3)
                    .build())
            .get();
    assertThat(ids(discovered)).containsExactly(7L, 3L, 5L);

    List<ScoredPoint> inContext =
        client
            .queryAsync(
                QueryPoints.newBuilder()
                    .setCollectionName("docs")
                    .setQuery(
                        context(
                            ContextInput.newBuilder()
                                .addPairs(
                                    ContextInputPair.newBuilder()
                                        .setPositive(vectorInput(1))
                                        .setNegative(vectorInput(4)))
                                .addPairs(
                                    ContextInputPair.newBuilder()
                                        .setPositive(vectorInput(2))
                                        .setNegative(vectorInput(6)))
                                .build()))
                    .setScoreThreshold(-0.5f)
                    .build())
            .get();
    assertThat(ids(inContext)).containsExactlyInAnyOrder(3L, 7L, 5L);
    assertThat(ids(inContext).get(2)).isEqualTo(5L);
  }

  @Test
  void queryExampleErrorsAreQdrants() throws Exception {
    assertError(
        client.queryAsync(
            QueryPoints.newBuilder()
                .setCollectionName("docs")
                .setQuery(
                    discover(
                        DiscoverInput.newBuilder()
                            .setContext(ContextInput.getDefaultInstance())
                            .build()))
                .build()),
        Status.Code.INVALID_ARGUMENT,
        "DiscoverInput target is missing");
    assertError(
        client.queryAsync(
            QueryPoints.newBuilder()
                .setCollectionName("docs")
                .setQuery(
                    recommend(RecommendInput.newBuilder().addNegative(vectorInput(2)).build()))
                .build()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Positive vectors should not be empty with `average` strategy");
    assertError(
        client.queryAsync(
            QueryPoints.newBuilder()
                .setCollectionName("docs")
                .setQuery(
                    recommend(RecommendInput.newBuilder().addPositive(vectorInput(55)).build()))
                .build()),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 55 found");
  }

  @Test
  void queryNearestByIdHonoursLookupFrom() throws Exception {
    create("examples", Distance.Dot);
    client.upsertAsync("examples", List.of(point(1, "x", 0, 1))).get();
    List<ScoredPoint> hits =
        client
            .queryAsync(
                QueryPoints.newBuilder()
                    .setCollectionName("docs")
                    .setQuery(io.qdrant.client.QueryFactory.nearest(1L))
                    .setLookupFrom(LookupLocation.newBuilder().setCollectionName("examples"))
                    .setLimit(2)
                    .build())
            .get();
    // the vector of examples' point 1, (0,1): 7 (3), 9 (2); docs' point 1 is not left out
    assertThat(ids(hits)).containsExactly(7L, 9L);
  }
}
