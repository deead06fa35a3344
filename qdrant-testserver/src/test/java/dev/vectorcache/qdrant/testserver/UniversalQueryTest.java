package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.fusion;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.QueryFactory.orderBy;
import static io.qdrant.client.QueryFactory.rrf;
import static io.qdrant.client.QueryFactory.sample;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorInputFactory.vectorInput;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.ExpressionFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.Direction;
import io.qdrant.client.grpc.Points.Document;
import io.qdrant.client.grpc.Points.Fusion;
import io.qdrant.client.grpc.Points.Mmr;
import io.qdrant.client.grpc.Points.OrderBy;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.Sample;
import io.qdrant.client.grpc.Points.ScoredPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The universal Query through the official client: prefetch, fusion, re-ranking, order_by,
 * sampling, MMR. The data are six 2-d points under the dot product, so every expected order can be
 * worked out by hand (noted beside each case).
 */
class UniversalQueryTest {
  private static final float[] A = {1f, 0f};
  private static final float[] B = {0f, 1f};

  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setDistance(Distance.Dot).setSize(2).build())
        .get();
    // dot with A: 1:1, 2:0.9, 6:0.7, 3:0.5, 4:0.1, 5:0; with B the mirror image
    client
        .upsertAsync(
            "c",
            List.of(
                point(1, 1f, 0f, "a"),
                point(2, 0.9f, 0.1f, "a"),
                point(3, 0.5f, 0.5f, "a"),
                point(4, 0.1f, 0.9f, "b"),
                point(5, 0f, 1f, "b"),
                point(6, 0.7f, 0.7f, "b")))
        .get();
    client
        .createPayloadIndexAsync("c", "n", PayloadSchemaType.Integer, null, true, null, null)
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static PointStruct point(long id, float x, float y, String group) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors(x, y))
        .putAllPayload(Map.of("group", value(group), "n", value(id)))
        .build();
  }

  private static PrefetchQuery prefetch(Query q, int limit) {
    return PrefetchQuery.newBuilder().setQuery(q).setLimit(limit).build();
  }

  private static Filter group(String g) {
    return Filter.newBuilder().addMust(matchKeyword("group", g)).build();
  }

  private List<ScoredPoint> query(QueryPoints.Builder b) throws Exception {
    return client.queryAsync(b.setCollectionName("c").build()).get();
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    return hits.stream().map(p -> p.getId().getNum()).toList();
  }

  @Test
  void rrfFusesPrefetchesByRank() throws Exception {
    // A top 3: 1, 2, 6; B top 3: 5, 4, 6. 1/(rank + 2): 1, 5 and 6 (1/4 + 1/4) score 0.5,
    // 2 and 4 score 1/3; ties by id
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(A), 3))
                .addPrefetch(prefetch(nearest(B), 3))
                .setQuery(fusion(Fusion.RRF)));
    assertThat(ids(hits)).containsExactly(1L, 5L, 6L, 2L, 4L);
    assertThat(hits.get(2).getScore()).isCloseTo(0.5f, within(1e-6f));
    assertThat(hits.get(3).getScore()).isCloseTo(1f / 3, within(1e-6f));

    // weights 3:1 lift A's list: 1 and 6 (0.75 each) ahead of 2 (0.6), then 5 (0.5), 4 (1/3)
    List<ScoredPoint> weighted =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(A), 3))
                .addPrefetch(prefetch(nearest(B), 3))
                .setQuery(rrf(Rrf.newBuilder().addWeights(3f).addWeights(1f).build())));
    assertThat(ids(weighted).subList(0, 2)).containsExactlyInAnyOrder(1L, 6L);
    assertThat(ids(weighted).subList(2, 5)).containsExactly(2L, 5L, 4L);

    // k = 10: 1 / (rank + 10)
    List<ScoredPoint> k10 =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(A), 1))
                .setQuery(rrf(Rrf.newBuilder().setK(10).build())));
    assertThat(k10.get(0).getScore()).isCloseTo(0.1f, within(1e-6f));
  }

  @Test
  void dbsfNormalisesEachListByItsDistribution() throws Exception {
    // each list's scores 1, 0.9, 0.7: mean 0.8667, sample sd 0.1528, normalised over mean ± 3 sd:
    // 0.6455, 0.5364, 0.3182; 6 is in both lists: 0.6364
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(A), 3))
                .addPrefetch(prefetch(nearest(B), 3))
                .setQuery(fusion(Fusion.DBSF)));
    assertThat(ids(hits)).containsExactly(1L, 5L, 6L, 2L, 4L);
    assertThat(hits.get(0).getScore()).isCloseTo(0.6455f, within(1e-3f));
    assertThat(hits.get(2).getScore()).isCloseTo(0.6364f, within(1e-3f));
    assertThat(hits.get(3).getScore()).isCloseTo(0.5364f, within(1e-3f));

    // a score threshold keeps the leading fused scores at or above it
    List<ScoredPoint> above =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(A), 3))
                .addPrefetch(prefetch(nearest(B), 3))
                .setQuery(fusion(Fusion.DBSF))
                .setScoreThreshold(0.6f));
    assertThat(ids(above)).containsExactly(1L, 5L, 6L);
  }

  @Test
  void theMainQueryOnlyReRanksWhatThePrefetchesFound() throws Exception {
    // prefetch: group b = 4, 5, 6; nearest to A among them: 6 (0.7), 4 (0.1), 5 (0); never 1
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(PrefetchQuery.newBuilder().setFilter(group("b")).setLimit(10).build())
                .setQuery(nearest(A)));
    assertThat(ids(hits)).containsExactly(6L, 4L, 5L);
    assertThat(hits.get(0).getScore()).isCloseTo(0.7f, within(1e-6f));

    // nested: A's top 4 (1, 2, 6, 3) re-ranked by B keeps 6 (0.7) and 3 (0.5); fused with B's top 1
    PrefetchQuery nested =
        PrefetchQuery.newBuilder()
            .addPrefetch(prefetch(nearest(A), 4))
            .setQuery(nearest(B))
            .setLimit(2)
            .build();
    List<ScoredPoint> fused =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(nested)
                .addPrefetch(prefetch(nearest(B), 1))
                .setQuery(fusion(Fusion.RRF)));
    assertThat(ids(fused)).containsExactly(5L, 6L, 3L);

    // the main filter reaches the prefetches: group a by B = 3, 2; re-ranked by A: 2, 3
    List<ScoredPoint> filtered =
        query(
            QueryPoints.newBuilder()
                .setFilter(group("a"))
                .addPrefetch(prefetch(nearest(B), 2))
                .setQuery(nearest(A)));
    assertThat(ids(filtered)).containsExactly(2L, 3L);
  }

  @Test
  void pointsUsedAsInputsNeverComeBack() throws Exception {
    assertThat(ids(query(QueryPoints.newBuilder().setQuery(nearest(1L)).setLimit(3))))
        .containsExactly(2L, 6L, 3L);
    // referenced in a prefetch: excluded from every level
    List<ScoredPoint> fused =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch(nearest(1L), 2))
                .addPrefetch(prefetch(nearest(A), 2))
                .setQuery(fusion(Fusion.RRF)));
    assertThat(ids(fused)).doesNotContain(1L).containsExactly(2L, 6L);
    StatusRuntimeException missing =
        failure(() -> query(QueryPoints.newBuilder().setQuery(nearest(99L))));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void limitOffsetOrderByAndSample() throws Exception {
    assertThat(ids(query(QueryPoints.newBuilder().setQuery(nearest(A)).setLimit(2).setOffset(1))))
        .containsExactly(2L, 6L);

    List<ScoredPoint> ordered =
        query(
            QueryPoints.newBuilder()
                .setQuery(
                    orderBy(OrderBy.newBuilder().setKey("n").setDirection(Direction.Desc).build()))
                .setLimit(3));
    assertThat(ids(ordered)).containsExactly(6L, 5L, 4L);
    assertThat(ordered.get(0).getOrderValue().getInt()).isEqualTo(6);
    assertThat(ordered.get(0).getScore()).isZero();

    // order_by as a re-ranking of prefetched points: A's top 3 (1, 2, 6) by n ascending
    assertThat(
            ids(
                query(
                    QueryPoints.newBuilder()
                        .addPrefetch(prefetch(nearest(A), 3))
                        .setQuery(orderBy("n")))))
        .containsExactly(1L, 2L, 6L);

    for (int i = 0; i < 5; i++) {
      List<Long> sampled =
          ids(
              query(
                  QueryPoints.newBuilder()
                      .setQuery(sample(Sample.Random))
                      .setFilter(group("a"))
                      .setLimit(2)));
      assertThat(sampled).hasSize(2).doesNotHaveDuplicates();
      assertThat(sampled).isSubsetOf(1L, 2L, 3L);
    }
    assertThat(ids(query(QueryPoints.newBuilder().setQuery(sample(Sample.Random)).setLimit(10))))
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void mmrTradesRelevanceForDiversity() throws Exception {
    client
        .createCollectionAsync(
            "m", VectorParams.newBuilder().setDistance(Distance.Cosine).setSize(2).build())
        .get();
    // directions 0°, 8.05°, 36.87°, 53.13°, 90°; the query at 20°
    List<PointStruct> points = new ArrayList<>();
    float[][] v = {{1f, 0f}, {0.99015f, 0.14004f}, {0.8f, 0.6f}, {0.6f, 0.8f}, {0f, 1f}};
    for (int i = 0; i < v.length; i++) {
      points.add(
          PointStruct.newBuilder().setId(id(i + 1)).setVectors(vectors(v[i][0], v[i][1])).build());
    }
    client.upsertAsync("m", points).get();
    Query plain = nearest(0.9397f, 0.3420f);
    Query diverse =
        nearest(
            vectorInput(0.9397f, 0.3420f),
            Mmr.newBuilder().setDiversity(0.5f).setCandidatesLimit(5).build());

    List<ScoredPoint> near =
        client
            .queryAsync(
                QueryPoints.newBuilder().setCollectionName("m").setQuery(plain).setLimit(3).build())
            .get();
    assertThat(ids(near)).containsExactly(2L, 3L, 1L);

    // lambda 0.5: 2 first (relevance 0.978); then 5 (0.171 - 0.070) beats 4, 3 and 1, which are
    // too close to 2; then 3 (0.479 - 0.438) beats 4 (0.419 - 0.400, close to 5) and 1
    List<ScoredPoint> mmr =
        client
            .queryAsync(
                QueryPoints.newBuilder()
                    .setCollectionName("m")
                    .setQuery(diverse)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(ids(mmr)).containsExactly(2L, 5L, 3L);
    // scores stay the search scores
    assertThat(mmr.get(1).getScore()).isCloseTo(0.342f, within(1e-3f));

    // diversity 0: relevance only, the plain order
    Query relevant =
        nearest(vectorInput(0.9397f, 0.3420f), Mmr.newBuilder().setDiversity(0f).build());
    assertThat(
            ids(
                client
                    .queryAsync(
                        QueryPoints.newBuilder()
                            .setCollectionName("m")
                            .setQuery(relevant)
                            .setLimit(3)
                            .build())
                    .get()))
        .containsExactly(2L, 3L, 1L);
  }

  private List<ScoredPoint> formula(Points.Formula f) throws Exception {
    return query(
        QueryPoints.newBuilder()
            .addPrefetch(prefetch(nearest(A), 6))
            .setQuery(Query.newBuilder().setFormula(f)));
  }

  private static Points.Formula.Builder f(Points.Expression e) {
    return Points.Formula.newBuilder().setExpression(e);
  }

  private static Points.Expression sumOf(Points.Expression... e) {
    return ExpressionFactory.sum(Points.SumExpression.newBuilder().addAllSum(List.of(e)).build());
  }

  @Test
  void formulaReScoresThePrefetchedPoints() throws Exception {
    // $score (dot with A) + 0.5 for group a: 1: 1.5, 2: 1.4, 3: 1.0, 6: 0.7, 4: 0.1, 5: 0
    Points.Expression boost =
        ExpressionFactory.mult(
            Points.MultExpression.newBuilder()
                .addMult(ExpressionFactory.constant(0.5f))
                .addMult(ExpressionFactory.condition(matchKeyword("group", "a")))
                .build());
    List<ScoredPoint> boosted =
        formula(f(sumOf(ExpressionFactory.variable("$score"), boost)).build());
    assertThat(ids(boosted)).containsExactly(1L, 2L, 3L, 6L, 4L, 5L);
    assertThat(boosted.get(1).getScore()).isCloseTo(1.4f, within(1e-6f));

    // a payload number: $score + n
    assertThat(
            ids(
                formula(
                    f(sumOf(
                            ExpressionFactory.variable("$score[0]"),
                            ExpressionFactory.variable("n")))
                        .build())))
        .containsExactly(6L, 5L, 4L, 3L, 2L, 1L);

    // exponential decay around n = 3 with midpoint 0.5: 0.5^|n - 3|
    List<ScoredPoint> decay =
        formula(
            f(ExpressionFactory.expDecay(
                    Points.DecayParamsExpression.newBuilder()
                        .setX(ExpressionFactory.variable("n"))
                        .setTarget(ExpressionFactory.constant(3f))
                        .build()))
                .build());
    assertThat(ids(decay)).containsExactly(3L, 2L, 4L, 1L, 5L, 6L);
    assertThat(decay.get(1).getScore()).isCloseTo(0.5f, within(1e-6f));
    assertThat(decay.get(5).getScore()).isCloseTo(0.125f, within(1e-6f));

    // defaults fill a missing payload value; division by zero takes its default
    assertThat(
            formula(
                    f(ExpressionFactory.variable("missing"))
                        .putDefaults("missing", value(2))
                        .build())
                .get(0)
                .getScore())
        .isEqualTo(2f);
    assertThat(
            formula(
                    f(ExpressionFactory.div(
                            Points.DivExpression.newBuilder()
                                .setLeft(ExpressionFactory.constant(1f))
                                .setRight(ExpressionFactory.constant(0f))
                                .setByZeroDefault(7f)
                                .build()))
                        .build())
                .get(0)
                .getScore())
        .isEqualTo(7f);

    // one degree of longitude on the equator, from a default geo point
    Points.Expression geo =
        ExpressionFactory.geoDistance(
            Points.GeoDistance.newBuilder()
                .setOrigin(io.qdrant.client.grpc.Common.GeoPoint.newBuilder().setLat(0).setLon(0))
                .setTo("loc")
                .build());
    assertThat(
            formula(
                    f(geo)
                        .putDefaults("loc", value(Map.of("lat", value(0.0), "lon", value(1.0))))
                        .build())
                .get(0)
                .getScore())
        .isCloseTo(111_195.08f, within(1f));
    // datetimes are seconds since the epoch
    assertThat(
            formula(f(ExpressionFactory.datetime("1970-01-02T00:00:00Z")).build())
                .get(0)
                .getScore())
        .isEqualTo(86_400f);

    StatusRuntimeException missing =
        failure(() -> formula(f(ExpressionFactory.variable("missing")).build()));
    assertThat(missing.getStatus().getDescription())
        .isEqualTo(
            "Wrong input: Expected number value for missing in the payload and/or in the formula"
                + " defaults. Error: No value found in a payload nor defaults");
    StatusRuntimeException byZero =
        failure(
            () ->
                formula(
                    f(ExpressionFactory.div(
                            Points.DivExpression.newBuilder()
                                .setLeft(ExpressionFactory.constant(1f))
                                .setRight(ExpressionFactory.constant(0f))
                                .build()))
                        .build()));
    assertThat(byZero.getStatus().getDescription()).contains("produced a non-finite number");
    StatusRuntimeException reserved =
        failure(() -> formula(f(ExpressionFactory.variable("$scores")).build()));
    assertThat(reserved.getStatus().getDescription()).contains("Invalid reserved word: $scores");
    StatusRuntimeException midpoint =
        failure(
            () ->
                formula(
                    f(ExpressionFactory.gaussDecay(
                            Points.DecayParamsExpression.newBuilder()
                                .setX(ExpressionFactory.variable("n"))
                                .setMidpoint(1f)
                                .build()))
                        .build()));
    assertThat(midpoint.getStatus().getDescription())
        .isEqualTo(
            "Wrong input: Validation failed: Decay midpoint should be in the range (0.0, 1.0), got"
                + " 1.");
    StatusRuntimeException alone =
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .setQuery(
                            Query.newBuilder().setFormula(f(ExpressionFactory.constant(1f))))));
    assertThat(alone.getStatus().getDescription())
        .isEqualTo("Wrong input: Validation failed: cannot apply Formula without prefetches");
  }

  @Test
  void relevanceFeedbackPullsTowardsTheBetterExamples() throws Exception {
    // a = b = c = 1; (0, 1) rated 0.9 over (1, 0) rated 0.1: weight 0.8, so with target A each
    // point scores x + 0.8 (y - x) = 0.2 x + 0.8 y: 5: 0.8, 4: 0.74, 6: 0.7, 3: 0.5, 2: 0.26, 1:
    // 0.2
    Points.RelevanceFeedbackInput feedback =
        Points.RelevanceFeedbackInput.newBuilder()
            .setTarget(vectorInput(1f, 0f))
            .addFeedback(
                Points.FeedbackItem.newBuilder().setExample(vectorInput(0f, 1f)).setScore(0.9f))
            .addFeedback(
                Points.FeedbackItem.newBuilder().setExample(vectorInput(1f, 0f)).setScore(0.1f))
            .setStrategy(
                Points.FeedbackStrategy.newBuilder()
                    .setNaive(Points.NaiveFeedbackStrategy.newBuilder().setA(1f).setB(1f).setC(1f)))
            .build();
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .setQuery(Query.newBuilder().setRelevanceFeedback(feedback))
                .setLimit(6));
    assertThat(ids(hits)).containsExactly(5L, 4L, 6L, 3L, 2L, 1L);
    assertThat(hits.get(1).getScore()).isCloseTo(0.74f, within(1e-5f));

    // an example given by id is left out of the results
    Points.RelevanceFeedbackInput byId =
        feedback.toBuilder()
            .setFeedback(0, feedback.getFeedback(0).toBuilder().setExample(vectorInput(5L)))
            .build();
    assertThat(
            ids(
                query(
                    QueryPoints.newBuilder()
                        .setQuery(Query.newBuilder().setRelevanceFeedback(byId))
                        .setLimit(6))))
        .containsExactly(4L, 6L, 3L, 2L, 1L);
  }

  @Test
  void lookupFromReadsTheInputFromAnotherCollection() throws Exception {
    client
        .createCollectionAsync(
            "other", VectorParams.newBuilder().setDistance(Distance.Dot).setSize(2).build())
        .get();
    // id 1 in "other" points along B: nearest to it in "c" are 5, 4, 6; "c"'s own 1 may come back
    client.upsertAsync("other", List.of(point(1, 0f, 1f, "x"))).get();
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .setQuery(nearest(1L))
                .setLookupFrom(
                    io.qdrant.client.grpc.Points.LookupLocation.newBuilder()
                        .setCollectionName("other"))
                .setLimit(6));
    assertThat(ids(hits)).containsExactly(5L, 4L, 6L, 3L, 2L, 1L);
    StatusRuntimeException missing =
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .setQuery(nearest(1L))
                        .setLookupFrom(
                            io.qdrant.client.grpc.Points.LookupLocation.newBuilder()
                                .setCollectionName("nowhere"))));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void queryGroupsGroupsTheRankedPoints() throws Exception {
    // nearest to A: 1 (1), 2 (0.9), 6 (0.7), 3 (0.5), 4 (0.1), 5 (0); two per group, two groups
    List<Points.PointGroup> groups =
        client
            .queryGroupsAsync(
                Points.QueryPointGroups.newBuilder()
                    .setCollectionName("c")
                    .setQuery(nearest(A))
                    .setGroupBy("group")
                    .setGroupSize(2)
                    .setLimit(2)
                    .build())
            .get();
    assertThat(groups).extracting(g -> g.getId().getStringValue()).containsExactly("a", "b");
    assertThat(ids(groups.get(0).getHitsList())).containsExactly(1L, 2L);
    assertThat(ids(groups.get(1).getHitsList())).containsExactly(6L, 4L);

    // defaults: 3 per group, up to 10 groups; fused prefetches rank the points
    List<Points.PointGroup> fused =
        client
            .queryGroupsAsync(
                Points.QueryPointGroups.newBuilder()
                    .setCollectionName("c")
                    .addPrefetch(prefetch(nearest(A), 3))
                    .addPrefetch(prefetch(nearest(B), 3))
                    .setQuery(fusion(Fusion.RRF))
                    .setGroupBy("group")
                    .build())
            .get();
    // RRF order 1, 5, 6, 2, 4: group a = 1, 2; group b = 5, 6, 4
    assertThat(fused).extracting(g -> g.getId().getStringValue()).containsExactly("a", "b");
    assertThat(ids(fused.get(0).getHitsList())).containsExactly(1L, 2L);
    assertThat(ids(fused.get(1).getHitsList())).containsExactly(5L, 6L, 4L);
  }

  @Test
  void refusalsAreQdrants() {
    StatusRuntimeException noPrefetch =
        failure(() -> query(QueryPoints.newBuilder().setQuery(fusion(Fusion.RRF))));
    assertThat(noPrefetch.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noPrefetch.getStatus().getDescription())
        .isEqualTo("Wrong input: Validation failed: cannot apply Fusion without prefetches");

    StatusRuntimeException noQuery =
        failure(() -> query(QueryPoints.newBuilder().addPrefetch(prefetch(nearest(A), 2))));
    assertThat(noQuery.getStatus().getDescription())
        .startsWith("Bad request: A query is needed to merge the prefetches.");

    StatusRuntimeException thresholdOrder =
        failure(
            () -> query(QueryPoints.newBuilder().setQuery(orderBy("n")).setScoreThreshold(0.5f)));
    assertThat(thresholdOrder.getStatus().getDescription())
        .isEqualTo("Bad request: Can't use score_threshold with an order_by query.");

    StatusRuntimeException weights =
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .addPrefetch(prefetch(nearest(A), 2))
                        .setQuery(rrf(Rrf.newBuilder().addWeights(1f).addWeights(2f).build()))));
    assertThat(weights.getStatus().getDescription())
        .contains("Number of weights in RRF should match number of pre-fetches: got 2, expected 1");

    StatusRuntimeException inference =
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .setQuery(
                            nearest(Document.newBuilder().setText("hi").setModel("m").build()))));
    assertThat(inference.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(inference.getStatus().getDescription())
        .contains("InferenceService is not initialized");
  }
}
