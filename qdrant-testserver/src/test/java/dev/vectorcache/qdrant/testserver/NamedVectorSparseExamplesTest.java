package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.NamedFixtures.dense;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.ids;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.named;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.ContextExamplePair;
import io.qdrant.client.grpc.Points.DiscoverPoints;
import io.qdrant.client.grpc.Points.PointGroup;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RecommendPointGroups;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.RecommendStrategy;
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
 * Queries by example, groups, distance matrices, MMR and relevance feedback on <em>sparse</em>
 * spaces, as Qdrant 1.18 answers them: the similarity is the dot product over the indices both
 * vectors hold (0 when they share none), every example weighted by IDF when the space has that
 * modifier; the average vector is combined over the union of the indices and searched normally
 * (only points sharing an index are hits). Collection "sp": sparse "s" (no modifier), sparse "t"
 * (IDF) and dense "a".
 *
 * <pre>
 *   id  s = t           g
 *   1   {1: 1, 2: 1}    x
 *   2   {1: 2}          x
 *   3   {2: 1, 3: 1}    y
 *   4   {3: 2}          y
 *   5   - (t: {1: 1})   z   (and dense "a")
 * </pre>
 *
 * In "t" (N = 5): index 1 is held by 1, 2 and 5, so idf(1) = ln(1 + 2.5 / 3.5) = 0.538997; index 2
 * by 1 and 3, idf(2) = ln(1 + 3.5 / 2.5) = 0.875469.
 */
class NamedVectorSparseExamplesTest extends ServerPerTest {
  private static final float IDF1 = (float) Math.log(1 + 2.5 / 3.5);
  private static final float IDF2 = (float) Math.log(1 + 3.5 / 2.5);

  @BeforeEach
  void collections() throws Exception {
    client
        .createCollectionAsync(
            CreateCollection.newBuilder()
                .setCollectionName("sp")
                .setVectorsConfig(
                    VectorsConfig.newBuilder()
                        .setParamsMap(
                            VectorParamsMap.newBuilder()
                                .putMap(
                                    "a",
                                    VectorParams.newBuilder()
                                        .setSize(2)
                                        .setDistance(Distance.Dot)
                                        .build())))
                .setSparseVectorsConfig(
                    SparseVectorConfig.newBuilder()
                        .putMap("s", SparseVectorParams.getDefaultInstance())
                        .putMap(
                            "t", SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()))
                .build())
        .get();
    client
        .upsertAsync(
            "sp",
            List.of(
                point(1, "x", sparse(new int[] {1, 2}, 1f, 1f), true),
                point(2, "x", sparse(new int[] {1}, 2f), true),
                point(3, "y", sparse(new int[] {2, 3}, 1f, 1f), true),
                point(4, "y", sparse(new int[] {3}, 2f), true),
                point(5, "z", sparse(new int[] {1}, 1f), false)))
        .get();
  }

  /** A point holding {@code v} in "t", and in "s" too when {@code inS} (else dense "a"). */
  private static PointStruct point(long id, String group, Points.Vector v, boolean inS) {
    Map<String, Points.Vector> vectors =
        inS ? Map.of("s", v, "t", v) : Map.of("t", v, "a", dense(1f, 0f));
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(named(vectors))
        .putPayload("g", value(group))
        .build();
  }

  private static Points.Vector sparse(int[] indices, float... values) {
    return Points.Vector.newBuilder().setSparse(sparseOf(indices, values)).build();
  }

  private static Points.SparseVector sparseOf(int[] indices, float... values) {
    Points.SparseVector.Builder b = Points.SparseVector.newBuilder();
    for (int i = 0; i < indices.length; i++) {
      b.addIndices(indices[i]).addValues(values[i]);
    }
    return b.build();
  }

  private static VectorInput input(int[] indices, float... values) {
    return VectorInput.newBuilder().setSparse(sparseOf(indices, values)).build();
  }

  private static VectorExample example(int[] indices, float... values) {
    return VectorExample.newBuilder().setVector(sparse(indices, values)).build();
  }

  private List<ScoredPoint> query(String using, Query q, int limit) throws Exception {
    return client
        .queryAsync(
            QueryPoints.newBuilder()
                .setCollectionName("sp")
                .setUsing(using)
                .setQuery(q)
                .setLimit(limit)
                .build())
        .get();
  }

  private static void assertScores(List<ScoredPoint> hits, float... expected) {
    assertThat(hits).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(hits.get(i).getScore()).as("score %d", i).isCloseTo(expected[i], within(1e-5f));
    }
  }

  @DisplayName("Recommend on a sparse space: the average vector, best score and sum scores")
  @Test
  void recommendOnSparse() throws Exception {
    // average: 2 * {1: 1, 2: 1} - {3: 2} = {1: 2, 2: 2, 3: -2}, searched: only points sharing an
    // index are hits; 2 scores 2 * 2 = 4, 3 scores 2 * 1 - 2 * 1 = 0; 5 has no "s"
    List<ScoredPoint> average =
        client
            .recommendAsync(
                RecommendPoints.newBuilder()
                    .setCollectionName("sp")
                    .setUsing("s")
                    .addPositive(id(1))
                    .addNegative(id(4))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(average)).containsExactly(2L, 3L);
    assertScores(average, 4f, 0f);

    // best score, positive 2 = {1: 2}, negative 4 = {3: 2}: 1 is nearer the positive (2 > 0):
    // sigmoid(2) = (2/3 + 1) / 2; 3 is nearer the negative (0 < 2): -sigmoid(2)
    List<ScoredPoint> best =
        client
            .recommendAsync(
                RecommendPoints.newBuilder()
                    .setCollectionName("sp")
                    .setUsing("s")
                    .addPositive(id(2))
                    .addNegative(id(4))
                    .setStrategy(RecommendStrategy.BestScore)
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(best)).containsExactly(1L, 3L);
    assertScores(best, 5f / 6f, -5f / 6f);

    // sum scores (Query API), positive 1 = {1: 1, 2: 1}, negative the vector {3: 1}:
    // 2: 2 - 0 = 2; 3: 1 - 1 = 0; 4: 0 - 2 = -2
    List<ScoredPoint> sum =
        query(
            "s",
            Query.newBuilder()
                .setRecommend(
                    Points.RecommendInput.newBuilder()
                        .addPositive(VectorInput.newBuilder().setId(id(1)))
                        .addNegative(input(new int[] {3}, 1f))
                        .setStrategy(RecommendStrategy.SumScores))
                .build(),
            10);
    assertThat(ids(sum)).containsExactly(2L, 3L, 4L);
    assertScores(sum, 2f, 0f, -2f);
  }

  @DisplayName("On a sparse space with IDF every example is weighted, as the search weights it")
  @Test
  void idfWeightsTheExamples() throws Exception {
    // sum scores of the one positive {1: 1, 2: 1} in "t": sum over shared indices of idf * values
    // 1: idf1 + idf2; 2: 2 * idf1; 3: idf2; 5: idf1; 4 shares none: 0
    List<ScoredPoint> sum =
        query(
            "t",
            Query.newBuilder()
                .setRecommend(
                    Points.RecommendInput.newBuilder()
                        .addPositive(input(new int[] {1, 2}, 1f, 1f))
                        .setStrategy(RecommendStrategy.SumScores))
                .build(),
            10);
    assertThat(ids(sum)).containsExactly(1L, 2L, 3L, 5L, 4L);
    assertScores(sum, IDF1 + IDF2, 2 * IDF1, IDF2, IDF1, 0f);

    // the nearest search of the same vector scores the points it finds alike
    List<ScoredPoint> nearest =
        query("t", Query.newBuilder().setNearest(input(new int[] {1, 2}, 1f, 1f)).build(), 10);
    assertThat(ids(nearest)).containsExactly(1L, 2L, 3L, 5L);
    assertScores(nearest, IDF1 + IDF2, 2 * IDF1, IDF2, IDF1);
  }

  @DisplayName("Discover and context search on a sparse space")
  @Test
  void discoverOnSparse() throws Exception {
    // target {2: 1, 3: 1}, pair (+{1: 1}, -{3: 1}):
    // 1: pair 1 > 0 -> +1, target 1 -> 1 + sigmoid(1) = 1.75
    // 2: pair 2 > 0 -> +1, target 0 -> 1.5
    // 3: pair 0 < 1 -> -1, target 2 -> -1 + 5/6; 4: pair 0 < 2 -> -1, target 2 -> the same
    List<ScoredPoint> discover =
        client
            .discoverAsync(
                DiscoverPoints.newBuilder()
                    .setCollectionName("sp")
                    .setUsing("s")
                    .setTarget(
                        Points.TargetVector.newBuilder()
                            .setSingle(example(new int[] {2, 3}, 1f, 1f)))
                    .addContext(
                        ContextExamplePair.newBuilder()
                            .setPositive(example(new int[] {1}, 1f))
                            .setNegative(example(new int[] {3}, 1f)))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(discover)).containsExactly(1L, 2L, 3L, 4L);
    assertScores(discover, 1.75f, 1.5f, -1f / 6f, -1f / 6f);

    // context alone: fastSigmoid(min(sim(+) - sim(-) - eps, 0)) -> 1: 0; 2: 0; 3: 0 - 1 -> -0.5;
    // 4: 0 - 2 -> -2/3
    List<ScoredPoint> context =
        query(
            "s",
            Query.newBuilder()
                .setContext(
                    Points.ContextInput.newBuilder()
                        .addPairs(
                            Points.ContextInputPair.newBuilder()
                                .setPositive(input(new int[] {1}, 1f))
                                .setNegative(input(new int[] {3}, 1f))))
                .build(),
            10);
    assertThat(ids(context)).containsExactly(1L, 2L, 3L, 4L);
    assertScores(context, 0f, 0f, -0.5f, -2f / 3f);
  }

  @DisplayName("SearchGroups with sparse indices and RecommendGroups on a sparse space")
  @Test
  void groupsOnSparse() throws Exception {
    // the query {1: 1}: 2 scores 2, 1 scores 1, both in group x
    List<PointGroup> search =
        client
            .searchGroupsAsync(
                SearchPointGroups.newBuilder()
                    .setCollectionName("sp")
                    .setVectorName("s")
                    .addVector(1f)
                    .setSparseIndices(Points.SparseIndices.newBuilder().addData(1))
                    .setGroupBy("g")
                    .setGroupSize(2)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(search).extracting(g -> g.getId().getStringValue()).containsExactly("x");
    assertThat(ids(search.get(0).getHitsList())).containsExactly(2L, 1L);
    assertScores(search.get(0).getHitsList(), 2f, 1f);

    // the average of 3 = {2: 1, 3: 1}: 4 scores 2 (group y), 1 scores 1 (group x); 3 is left out
    List<PointGroup> recommend =
        client
            .recommendGroupsAsync(
                RecommendPointGroups.newBuilder()
                    .setCollectionName("sp")
                    .setUsing("s")
                    .addPositive(id(3))
                    .setGroupBy("g")
                    .setGroupSize(2)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(recommend)
        .extracting(g -> ids(g.getHitsList()))
        .containsExactly(List.of(4L), List.of(1L));
  }

  @DisplayName("SearchMatrixPairs on a sparse space pairs the points sharing an index")
  @Test
  void matrixOnSparse() throws Exception {
    // each point's nearest other point by the dot product: 1 and 2 (2), 3 and 4 (2);
    // 1 and 4 share no index, 5 has no "s"
    Points.SearchMatrixPairs pairs =
        client
            .searchMatrixPairsAsync(
                SearchMatrixPoints.newBuilder()
                    .setCollectionName("sp")
                    .setUsing("s")
                    .setLimit(1)
                    .build())
            .get();
    List<String> got = new ArrayList<>();
    for (SearchMatrixPair p : pairs.getPairsList()) {
      got.add(p.getA().getNum() + "-" + p.getB().getNum() + ":" + p.getScore());
    }
    assertThat(got).containsExactly("1-2:2.0", "2-1:2.0", "3-4:2.0", "4-3:2.0");
  }

  @DisplayName("MMR and relevance feedback on a sparse space")
  @Test
  void mmrAndFeedbackOnSparse() throws Exception {
    // query {1: 1, 2: 1}: the 3 candidates 1 (2), 2 (2), 3 (1). 1 is picked first; with
    // diversity 0.8: 2 -> 0.2 * 2 - 0.8 * sim(2, 1) = 0.4 - 1.6 = -1.2,
    // 3 -> 0.2 * 1 - 0.8 * sim(3, 1) = 0.2 - 0.8 = -0.6: 3 is next. Search scores are kept.
    List<ScoredPoint> mmr =
        query(
            "s",
            Query.newBuilder()
                .setNearestWithMmr(
                    Points.NearestInputWithMmr.newBuilder()
                        .setNearest(input(new int[] {1, 2}, 1f, 1f))
                        .setMmr(Points.Mmr.newBuilder().setDiversity(0.8f).setCandidatesLimit(3)))
                .build(),
            2);
    assertThat(ids(mmr)).containsExactly(1L, 3L);
    assertScores(mmr, 2f, 1f);

    // target {1: 1}; 3 (score 1) is better than 4 (score 0): weight 1^1 * 1 = 1
    // score = sim(target) + sim(3) - sim(4): 1: 1 + 1 - 0 = 2; 2: 2 + 0 - 0 = 2;
    // (3 and 4, referenced by id, are left out of the results)
    List<ScoredPoint> feedback =
        query(
            "s",
            Query.newBuilder()
                .setRelevanceFeedback(
                    Points.RelevanceFeedbackInput.newBuilder()
                        .setTarget(input(new int[] {1}, 1f))
                        .addFeedback(
                            Points.FeedbackItem.newBuilder()
                                .setExample(VectorInput.newBuilder().setId(id(3)))
                                .setScore(1f))
                        .addFeedback(
                            Points.FeedbackItem.newBuilder()
                                .setExample(VectorInput.newBuilder().setId(id(4)))
                                .setScore(0f))
                        .setStrategy(
                            Points.FeedbackStrategy.newBuilder()
                                .setNaive(
                                    Points.NaiveFeedbackStrategy.newBuilder()
                                        .setA(1f)
                                        .setB(1f)
                                        .setC(1f))))
                .build(),
            10);
    assertThat(ids(feedback)).containsExactly(1L, 2L);
    assertScores(feedback, 2f, 2f);
  }
}
