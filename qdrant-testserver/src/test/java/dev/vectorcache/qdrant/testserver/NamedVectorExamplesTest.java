package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.dense;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.denseInput;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.ids;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.named;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.nearest;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.only;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.ContextExamplePair;
import io.qdrant.client.grpc.Points.DiscoverPoints;
import io.qdrant.client.grpc.Points.LookupLocation;
import io.qdrant.client.grpc.Points.PointGroup;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RecommendPointGroups;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchMatrixPair;
import io.qdrant.client.grpc.Points.SearchMatrixPoints;
import io.qdrant.client.grpc.Points.SearchPointGroups;
import io.qdrant.client.grpc.Points.VectorExample;
import io.qdrant.client.grpc.Points.VectorInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Queries by example, groups, distance matrices, MMR, relevance feedback and {@code lookup_from} on
 * a collection with named vectors: each reads the dense space its {@code using} names, and a point
 * without a vector there is never a hit. Collection "n": dense "a" (2-d, Dot), dense "b" (2-d,
 * Euclid, the points on a line), sparse "s".
 *
 * <pre>
 *   id  a           b       g
 *   1   (1, 0)      (0, 0)  x
 *   2   (0.9, 0.1)  (1, 0)  x
 *   3   (0, 1)      (3, 0)  y
 *   4   (0.5, 0.5)  -       y
 *   5   -           (7, 0)  z
 * </pre>
 */
class NamedVectorExamplesTest extends ServerPerTest {
  @BeforeEach
  void collections() throws Exception {
    client
        .createCollectionAsync(collection("n", Map.of("a", Distance.Dot, "b", Distance.Euclid)))
        .get();
    client
        .upsertAsync(
            "n",
            List.of(
                point(1, "x", Map.of("a", dense(1f, 0f), "b", dense(0f, 0f))),
                point(2, "x", Map.of("a", dense(0.9f, 0.1f), "b", dense(1f, 0f))),
                point(3, "y", Map.of("a", dense(0f, 1f), "b", dense(3f, 0f))),
                point(4, "y", Map.of("a", dense(0.5f, 0.5f))),
                point(5, "z", Map.of("b", dense(7f, 0f)))))
        .get();
  }

  private static CreateCollection collection(String name, Map<String, Distance> spaces) {
    VectorParamsMap.Builder map = VectorParamsMap.newBuilder();
    spaces.forEach(
        (space, distance) ->
            map.putMap(space, VectorParams.newBuilder().setSize(2).setDistance(distance).build()));
    return CreateCollection.newBuilder()
        .setCollectionName(name)
        .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(map))
        .setSparseVectorsConfig(
            SparseVectorConfig.newBuilder().putMap("s", SparseVectorParams.getDefaultInstance()))
        .build();
  }

  private static PointStruct point(long id, String group, Map<String, Points.Vector> vectors) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(named(vectors))
        .putPayload("g", value(group))
        .build();
  }

  private static RecommendPoints.Builder recommend(String using, long... positive) {
    RecommendPoints.Builder b =
        RecommendPoints.newBuilder().setCollectionName("n").setUsing(using).setLimit(10);
    for (long p : positive) {
      b.addPositive(id(p));
    }
    return b;
  }

  private static List<Float> scores(List<ScoredPoint> hits) {
    return hits.stream().map(ScoredPoint::getScore).toList();
  }

  private List<ScoredPoint> query(QueryPoints.Builder b) throws Exception {
    return client.queryAsync(b.setCollectionName("n").build()).get();
  }

  private static VectorInput byId(long id) {
    return VectorInput.newBuilder().setId(id(id)).build();
  }

  @DisplayName("Recommend reads the space it names; examples without a vector there add none")
  @Test
  void recommendReadsTheNamedSpace() throws Exception {
    // the average of 1's "a" is (1, 0); 5 has no "a" and adds nothing, and neither is a hit
    List<ScoredPoint> onA =
        client.recommendAsync(recommend("a", 1, 5).setWithVectors(only("b")).build()).get();
    assertThat(ids(onA)).containsExactly(2L, 4L, 3L);
    assertThat(scores(onA)).containsExactly(0.9f, 0.5f, 0f);
    assertThat(onA.get(0).getVectors().getVectors().getVectorsMap().keySet()).containsExactly("b");
    assertThat(
            onA.get(0).getVectors().getVectors().getVectorsMap().get("b").getDense().getDataList())
        .containsExactly(1f, 0f);

    // on "b" (Euclid), from 2's (1, 0): 1 at 1, 3 at 2, 5 at 6; 4 has no "b"
    List<ScoredPoint> onB = client.recommendAsync(recommend("b", 2).build()).get();
    assertThat(ids(onB)).containsExactly(1L, 3L, 5L);
    assertThat(scores(onB)).containsExactly(1f, 2f, 6f);

    List<List<ScoredPoint>> batch =
        client
            .recommendBatchAsync(
                "n", List.of(recommend("a", 1).build(), recommend("b", 2).build()), null)
            .get()
            .stream()
            .map(Points.BatchResult::getResultList)
            .toList();
    assertThat(batch).extracting(NamedFixtures::ids).containsExactly(List.of(2L, 4L, 3L), ids(onB));
  }

  @DisplayName("Discover scores in the named space; a context pair needs both vectors")
  @Test
  void discoverReadsTheNamedSpace() throws Exception {
    // pair (4, 1) on "a": 3 is nearer 4 (+1), 2 nearer 1 (-1); plus Qdrant's scaled sigmoid of
    // the target score
    List<ScoredPoint> hits =
        client
            .discoverAsync(
                DiscoverPoints.newBuilder()
                    .setCollectionName("n")
                    .setUsing("a")
                    .setTarget(
                        Points.TargetVector.newBuilder()
                            .setSingle(VectorExample.newBuilder().setVector(dense(0f, 1f))))
                    .addContext(pair(4, 1))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(hits)).containsExactly(3L, 2L);
    assertThat(hits.get(0).getScore())
        .isCloseTo(1f + ExampleScoring.scaledFastSigmoid(1f), within(1e-5f));
    assertThat(hits.get(1).getScore())
        .isCloseTo(-1f + ExampleScoring.scaledFastSigmoid(0.1f), within(1e-5f));

    StatusRuntimeException noVector =
        failure(
            () ->
                client
                    .discoverAsync(
                        DiscoverPoints.newBuilder()
                            .setCollectionName("n")
                            .setUsing("a")
                            .addContext(pair(5, 1))
                            .setLimit(10)
                            .build())
                    .get());
    assertThat(noVector.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noVector.getStatus().getDescription())
        .isEqualTo("Bad request: the point 5 has no vector \"a\" for a context pair");
  }

  private static ContextExamplePair pair(long positive, long negative) {
    return ContextExamplePair.newBuilder()
        .setPositive(VectorExample.newBuilder().setId(id(positive)))
        .setNegative(VectorExample.newBuilder().setId(id(negative)))
        .build();
  }

  @DisplayName("SearchGroups and RecommendGroups group the hits of the named space")
  @Test
  void groupsReadTheNamedSpace() throws Exception {
    List<PointGroup> search =
        client
            .searchGroupsAsync(
                SearchPointGroups.newBuilder()
                    .setCollectionName("n")
                    .setVectorName("b")
                    .addAllVector(List.of(0f, 0f))
                    .setGroupBy("g")
                    .setGroupSize(2)
                    .setLimit(3)
                    .setWithVectors(only("a"))
                    .build())
            .get();
    assertThat(search).extracting(g -> g.getId().getStringValue()).containsExactly("x", "y", "z");
    assertThat(search)
        .extracting(g -> ids(g.getHitsList()))
        .containsExactly(List.of(1L, 2L), List.of(3L), List.of(5L));
    assertThat(search.get(0).getHits(0).getVectors().getVectors().getVectorsMap().keySet())
        .containsExactly("a");

    List<PointGroup> recommend =
        client
            .recommendGroupsAsync(
                RecommendPointGroups.newBuilder()
                    .setCollectionName("n")
                    .setUsing("a")
                    .addPositive(id(1))
                    .setGroupBy("g")
                    .setGroupSize(2)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(recommend)
        .extracting(g -> ids(g.getHitsList()))
        .containsExactly(List.of(2L), List.of(4L, 3L));
  }

  @DisplayName("SearchMatrixPairs pairs the points that have a vector in the named space")
  @Test
  void matrixReadsTheNamedSpace() throws Exception {
    Points.SearchMatrixPairs pairs =
        client
            .searchMatrixPairsAsync(
                SearchMatrixPoints.newBuilder()
                    .setCollectionName("n")
                    .setUsing("b")
                    .setLimit(2)
                    .build())
            .get();
    List<String> got = new ArrayList<>();
    for (SearchMatrixPair p : pairs.getPairsList()) {
      got.add(p.getA().getNum() + "-" + p.getB().getNum() + ":" + p.getScore());
    }
    // 4 has no "b": the points 1, 2, 3 and 5 lie at 0, 1, 3 and 7
    assertThat(got)
        .containsExactly(
            "1-2:1.0", "1-3:3.0", "2-1:1.0", "2-3:2.0", "3-2:2.0", "3-1:3.0", "5-3:4.0", "5-2:6.0");

    // no point holds the sparse "s": no pairs (NamedVectorSparseExamplesTest pairs sparse points)
    Points.SearchMatrixPairs sparse =
        client
            .searchMatrixPairsAsync(
                SearchMatrixPoints.newBuilder().setCollectionName("n").setUsing("s").build())
            .get();
    assertThat(sparse.getPairsList()).isEmpty();
  }

  @DisplayName("The Query API's MMR, recommend and relevance feedback read the named space")
  @Test
  void queryVariantsReadTheNamedSpace() throws Exception {
    List<ScoredPoint> mmr =
        query(
            QueryPoints.newBuilder()
                .setUsing("a")
                .setLimit(3)
                .setQuery(
                    Query.newBuilder()
                        .setNearestWithMmr(
                            Points.NearestInputWithMmr.newBuilder()
                                .setNearest(denseInput(1f, 0f))
                                .setMmr(Points.Mmr.newBuilder().setDiversity(0f)))));
    assertThat(ids(mmr)).containsExactly(1L, 2L, 4L);

    List<ScoredPoint> recommend =
        query(
            QueryPoints.newBuilder()
                .setUsing("b")
                .setQuery(
                    Query.newBuilder()
                        .setRecommend(Points.RecommendInput.newBuilder().addPositive(byId(2)))));
    assertThat(ids(recommend)).containsExactly(1L, 3L, 5L);

    // a=b=c=1, feedback 3 (score 1) over 1 (score 0): x + (y - x) = y; 1 and 3 are left out
    List<ScoredPoint> feedback =
        query(
            QueryPoints.newBuilder()
                .setUsing("a")
                .setQuery(
                    Query.newBuilder()
                        .setRelevanceFeedback(
                            Points.RelevanceFeedbackInput.newBuilder()
                                .setTarget(denseInput(1f, 0f))
                                .addFeedback(
                                    Points.FeedbackItem.newBuilder()
                                        .setExample(byId(3))
                                        .setScore(1f))
                                .addFeedback(
                                    Points.FeedbackItem.newBuilder()
                                        .setExample(byId(1))
                                        .setScore(0f))
                                .setStrategy(
                                    Points.FeedbackStrategy.newBuilder()
                                        .setNaive(
                                            Points.NaiveFeedbackStrategy.newBuilder()
                                                .setA(1f)
                                                .setB(1f)
                                                .setC(1f))))));
    assertThat(ids(feedback)).containsExactly(4L, 2L);
    assertThat(feedback.get(0).getScore()).isCloseTo(0.5f, within(1e-6f));
    assertThat(feedback.get(1).getScore()).isCloseTo(0.1f, within(1e-6f));
  }

  @DisplayName("lookup_from reads another collection's named vector")
  @Test
  void lookupFromReadsANamedVector() throws Exception {
    client.createCollectionAsync(collection("src", Map.of("a", Distance.Dot))).get();
    client.upsertAsync("src", List.of(point(100, "w", Map.of("a", dense(0f, 1f))))).get();
    LookupLocation src = LookupLocation.newBuilder().setCollectionName("src").build();

    // the level's "a" is read when the lookup names no vector: (0, 1) ranks 3, 4, 2, 1
    List<ScoredPoint> nearest =
        query(
            QueryPoints.newBuilder()
                .setUsing("a")
                .setLimit(2)
                .setQuery(nearest(byId(100)))
                .setLookupFrom(src));
    assertThat(ids(nearest)).containsExactly(3L, 4L);

    List<ScoredPoint> recommended =
        client
            .recommendAsync(
                recommend("a", 100)
                    .setLimit(2)
                    .setLookupFrom(src.toBuilder().setVectorName("a"))
                    .build())
            .get();
    assertThat(ids(recommended)).containsExactly(3L, 4L);

    StatusRuntimeException unknown =
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .setUsing("a")
                        .setQuery(nearest(byId(100)))
                        .setLookupFrom(src.toBuilder().setVectorName("zz"))));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unknown.getStatus().getDescription())
        .isEqualTo("Wrong input: Not existing vector name error: zz");
  }

  @DisplayName("Sparse indices aimed at a dense vector fail as Qdrant's failed conversion")
  @Test
  void sparseIndicesOnADenseVectorFail() throws Exception {
    client
        .createCollectionAsync(
            "plain", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
        .get();
    StatusRuntimeException plain =
        failure(
            () ->
                client
                    .searchAsync(
                        Points.SearchPoints.newBuilder()
                            .setCollectionName("plain")
                            .addAllVector(List.of(1f))
                            .setSparseIndices(Points.SparseIndices.newBuilder().addData(3))
                            .setLimit(1)
                            .build())
                    .get());
    StatusRuntimeException grouped =
        failure(
            () ->
                client
                    .searchGroupsAsync(
                        SearchPointGroups.newBuilder()
                            .setCollectionName("n")
                            .setVectorName("a")
                            .addAllVector(List.of(1f))
                            .setSparseIndices(Points.SparseIndices.newBuilder().addData(3))
                            .setGroupBy("g")
                            .setGroupSize(1)
                            .setLimit(1)
                            .build())
                    .get());
    for (StatusRuntimeException e : List.of(plain, grouped)) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription())
          .isEqualTo("Wrong input: Conversion between sparse and regular vectors failed");
    }
  }
}
