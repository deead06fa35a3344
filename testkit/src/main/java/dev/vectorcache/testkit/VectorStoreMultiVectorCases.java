package dev.vectorcache.testkit;

import static dev.vectorcache.testkit.VectorStoreContract.id;
import static dev.vectorcache.testkit.VectorStoreContract.map;
import static dev.vectorcache.testkit.VectorStoreContract.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.FusionScores;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorStoreContract}'s {@code @Nested} group for {@link MultiVectors} (kept
 * in their own file so that the contract stays readable). A store that does not advertise both
 * {@link Capability#NAMED_VECTORS} and {@link Capability#SPARSE_VECTORS} skips them, and the hybrid
 * cases also need {@link Capability#FUSION_QUERIES}; a store that does must offer the extension
 * from both forms and answer as Qdrant does: each space searched on its own (a point without a
 * vector in a space is no hit of it), sparse scores as dot products over shared indices with the
 * IDF of {@code ln(1 + (N - n + 0.5) / (n + 0.5))}, RRF and DBSF fusion with Qdrant's arithmetic.
 *
 * <p>Expected scores are computed here from the formulas, not read from a store.
 */
abstract class VectorStoreMultiVectorCases {
  private static final float EPS = 1e-4f;
  private MultiVectors mv;

  /** The store under test. */
  abstract VectorStore store();

  /** A fresh collection name, deleted after the test. */
  abstract String newName();

  /** Creates a single-vector collection with a fresh name, deleted after the test. */
  abstract String newCollection(CollectionConfig config);

  @BeforeEach
  final void requireTheCapability() {
    VectorStore store = store();
    assumeTrue(
        store.isSupported(Capability.NAMED_VECTORS) && store.isSupported(Capability.SPARSE_VECTORS),
        store + " does not advertise NAMED_VECTORS and SPARSE_VECTORS");
    assertThat(store.async().isSupported(Capability.NAMED_VECTORS)).isTrue();
    assertThat(store.async().isSupported(Capability.SPARSE_VECTORS)).isTrue();
    assertThat(store.async().extension(MultiVectors.class)).isPresent();
    mv = store.extension(MultiVectors.class).orElseThrow();
  }

  private void requireFusion() {
    assumeTrue(
        store().isSupported(Capability.FUSION_QUERIES),
        store() + " does not advertise FUSION_QUERIES");
  }

  // ---- fixtures ----

  private static SparseVector sparse(int[] indices, float[] values) {
    return SparseVector.of(indices, values);
  }

  private static Map<String, float[]> dense(Object... namesAndVectors) {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndVectors.length; i += 2) {
      m.put((String) namesAndVectors[i], (float[]) namesAndVectors[i + 1]);
    }
    return m;
  }

  private static Map<String, SparseVector> sparses(Object... namesAndVectors) {
    Map<String, SparseVector> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndVectors.length; i += 2) {
      m.put((String) namesAndVectors[i], (SparseVector) namesAndVectors[i + 1]);
    }
    return m;
  }

  private static MultiVectorPoint point(
      long id, Map<String, float[]> dense, Map<String, SparseVector> sparse, Map<String, ?> p) {
    return MultiVectorPoint.of(id(id), dense, sparse, p);
  }

  /** Dense "text" (2, DOT) and "image" (3, COSINE), sparse "kw" (plain) and "bm25" (IDF). */
  private static MultiVectorConfig spaces() {
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    dense.put("text", DenseVectorConfig.of(2, Distance.DOT));
    dense.put("image", DenseVectorConfig.of(3, Distance.COSINE));
    Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
    sparse.put("kw", SparseVectorParams.DEFAULT);
    sparse.put("bm25", SparseVectorParams.IDF);
    return MultiVectorConfig.of(dense, sparse);
  }

  private String newMulti(MultiVectorConfig config) {
    String c = newName();
    Futures.join(mv.createCollection(c, config));
    return c;
  }

  /**
   * Four points: text [1,0] [0,1] [2,0] -; image [1,0,0] [0,1,0] - [0,0,1]; kw {1:1,2:2}
   * {2:0.5,3:4} {5:1} -; bm25 {1:1,2:1} {1:1} {1:2,3:1} -.
   */
  private String fourPoints() {
    String c = newMulti(spaces());
    Futures.join(
        mv.upsert(
            c,
            List.of(
                point(
                    1,
                    dense("text", vec(1f, 0f), "image", vec(1f, 0f, 0f)),
                    sparses(
                        "kw", sparse(new int[] {1, 2}, new float[] {1f, 2f}),
                        "bm25", sparse(new int[] {1, 2}, new float[] {1f, 1f})),
                    map("n", 1L, "kind", "a")),
                point(
                    2,
                    dense("text", vec(0f, 1f), "image", vec(0f, 1f, 0f)),
                    sparses(
                        "kw", sparse(new int[] {2, 3}, new float[] {0.5f, 4f}),
                        "bm25", sparse(new int[] {1}, new float[] {1f})),
                    map("n", 2L, "kind", "b")),
                point(
                    3,
                    dense("text", vec(2f, 0f)),
                    sparses(
                        "kw", sparse(new int[] {5}, new float[] {1f}),
                        "bm25", sparse(new int[] {1, 3}, new float[] {2f, 1f})),
                    map("n", 3L, "kind", "a")),
                point(4, dense("image", vec(0f, 0f, 1f)), Map.of(), map("n", 4L, "kind", "b")))));
    return c;
  }

  private static SparseSearch kwQuery(int limit) {
    return SparseSearch.of(sparse(new int[] {2, 3}, new float[] {1f, 1f}), limit);
  }

  private static SearchRequest textQuery(int limit) {
    return SearchRequest.builder(vec(1f, 0f), limit).build();
  }

  /** Qdrant's IDF of an index held by {@code n} of the {@code total} vectors of a space. */
  private static double idf(int total, int n) {
    return Math.log(1 + (total - n + 0.5) / (n + 0.5));
  }

  private static DenseVectorConfig space(MultiVectorConfig config, String name) {
    return Objects.requireNonNull(config.dense().get(name), "dense space " + name);
  }

  private static List<PointId> ids(List<ScoredPoint> hits) {
    List<PointId> out = new ArrayList<>();
    for (ScoredPoint p : hits) {
      out.add(p.id());
    }
    return out;
  }

  private static void assertScores(List<ScoredPoint> hits, double... expected) {
    assertThat(hits).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) hits.get(i).score())
          .as("score of hit " + i)
          .isCloseTo(expected[i], within((double) EPS));
    }
  }

  private static List<FusionScores.Ranked> ranked(List<ScoredPoint> hits) {
    List<FusionScores.Ranked> out = new ArrayList<>();
    for (ScoredPoint h : hits) {
      out.add(new FusionScores.Ranked(h.id(), h.score()));
    }
    return out;
  }

  // ---- cases ----

  @DisplayName("The spaces are read back as created; a single-vector collection has the space \"\"")
  @Test
  void spacesAreReadBackAsCreated() {
    String c = newMulti(spaces());
    MultiVectorConfig read = Futures.join(mv.vectorsConfig(c));
    assertThat(read.dense().keySet()).containsExactlyInAnyOrder("text", "image");
    assertThat(space(read, "text").dimension()).isEqualTo(2);
    assertThat(space(read, "text").distance()).isEqualTo(Distance.DOT);
    assertThat(space(read, "image").dimension()).isEqualTo(3);
    assertThat(space(read, "image").distance()).isEqualTo(Distance.COSINE);
    assertThat(read.sparse())
        .isEqualTo(Map.of("kw", SparseVectorParams.DEFAULT, "bm25", SparseVectorParams.IDF));

    String single = newCollection(CollectionConfig.builder(4, Distance.EUCLID).build());
    MultiVectorConfig plain = Futures.join(mv.vectorsConfig(single));
    assertThat(plain.dense().keySet()).containsExactly("");
    assertThat(space(plain, "").dimension()).isEqualTo(4);
    assertThat(space(plain, "").distance()).isEqualTo(Distance.EUCLID);
    assertThat(plain.sparse()).isEmpty();

    assertThatThrownBy(() -> Futures.join(mv.createCollection(c, spaces())))
        .isInstanceOf(CollectionAlreadyExistsException.class);
  }

  @DisplayName("Each dense space is searched on its own; points without its vector are no hits")
  @Test
  void eachDenseSpaceIsSearchedOnItsOwn() {
    String c = fourPoints();
    List<ScoredPoint> text = Futures.join(mv.search(c, "text", textQuery(10)));
    assertThat(ids(text)).containsExactly(id(3), id(1), id(2)); // 4 has no text vector
    assertScores(text, 2, 1, 0);

    SearchRequest image =
        SearchRequest.builder(vec(0f, 0.6f, 0.8f), 10)
            .withPayload(PayloadSelector.include("n"))
            .withVectors(true)
            .build();
    List<ScoredPoint> hits = Futures.join(mv.search(c, "image", image));
    assertThat(ids(hits)).containsExactly(id(4), id(2), id(1)); // 3 has no image vector
    assertScores(hits, 0.8, 0.6, 0);
    assertThat(hits.get(0).payload()).isEqualTo(map("n", 4L));
    assertThat(hits.get(1).vector()).containsExactly(0f, 1f, 0f);

    SearchRequest filtered =
        SearchRequest.builder(vec(1f, 0f), 10)
            .filter(Filter.must(Condition.match("kind", "a")))
            .offset(1)
            .build();
    assertThat(ids(Futures.join(mv.search(c, "text", filtered)))).containsExactly(id(1));
    assertThat(Futures.join(mv.search(c, "text", textQuery(1))).get(0).vector()).isNull();
  }

  @DisplayName("Sparse scores are dot products over shared indices; no shared index, no hit")
  @Test
  void sparseScoresAreDotProductsOverSharedIndices() {
    String c = fourPoints();
    List<ScoredPoint> hits = Futures.join(mv.searchSparse(c, "kw", kwQuery(10)));
    // 1: 2*1 = 2; 2: 0.5*1 + 4*1 = 4.5; 3 shares no index; 4 has no kw vector
    assertThat(ids(hits)).containsExactly(id(2), id(1));
    assertScores(hits, 4.5, 2);
    assertThat(hits.get(0).payload()).isEmpty();
    assertThat(hits.get(0).vector()).isNull();

    SparseSearch onlyA =
        kwQuery(10)
            .withFilter(Filter.must(Condition.match("kind", "a")))
            .withPayload(PayloadSelector.ALL);
    List<ScoredPoint> a = Futures.join(mv.searchSparse(c, "kw", onlyA));
    assertThat(ids(a)).containsExactly(id(1));
    assertThat(a.get(0).payload()).isEqualTo(map("n", 1L, "kind", "a"));

    SparseSearch above3 =
        new SparseSearch(
            sparse(new int[] {2, 3}, new float[] {1f, 1f}), 10, 0, null, 3f, PayloadSelector.NONE);
    assertThat(ids(Futures.join(mv.searchSparse(c, "kw", above3)))).containsExactly(id(2));
    assertThat(ids(Futures.join(mv.searchSparse(c, "kw", kwQuery(1))))).containsExactly(id(2));
    SparseSearch none = SparseSearch.of(sparse(new int[] {7}, new float[] {1f}), 10);
    assertThat(Futures.join(mv.searchSparse(c, "kw", none))).isEmpty();
  }

  @DisplayName("IDF weighs each query index by ln(1 + (N - n + 0.5) / (n + 0.5)), kept current")
  @Test
  void idfWeighsEachQueryIndex() {
    String c = fourPoints();
    SparseSearch q = SparseSearch.of(sparse(new int[] {1, 2}, new float[] {1f, 1f}), 10);
    // N = 3 points with a bm25 vector (4 has none); index 1 in all 3, index 2 in one
    double idf1 = idf(3, 3);
    double idf2 = idf(3, 1);
    List<ScoredPoint> hits = Futures.join(mv.searchSparse(c, "bm25", q));
    assertThat(ids(hits)).containsExactly(id(1), id(3), id(2));
    assertScores(hits, idf1 + idf2, 2 * idf1, idf1);

    Futures.join(
        mv.upsert(
            c,
            List.of(
                point(
                    5,
                    Map.of(),
                    sparses("bm25", sparse(new int[] {2}, new float[] {1f})),
                    Map.of()))));
    // N = 4; index 1 in 3 vectors, index 2 in 2
    idf1 = idf(4, 3);
    idf2 = idf(4, 2);
    hits = Futures.join(mv.searchSparse(c, "bm25", q));
    assertThat(ids(hits)).containsExactly(id(1), id(3), id(5), id(2));
    assertScores(hits, idf1 + idf2, 2 * idf1, idf2, idf1);
  }

  @DisplayName("Retrieve returns every vector a point holds, in the order of the ids given")
  @Test
  void retrieveReturnsEveryVector() {
    String c = fourPoints();
    List<MultiVectorPoint> got =
        Futures.join(
            mv.retrieve(c, List.of(id(3), id(99), id(1), id(3)), PayloadSelector.ALL, true));
    assertThat(got)
        .containsExactly(
            point(
                3,
                dense("text", vec(2f, 0f)),
                sparses(
                    "kw", sparse(new int[] {5}, new float[] {1f}),
                    "bm25", sparse(new int[] {1, 3}, new float[] {2f, 1f})),
                map("n", 3L, "kind", "a")),
            point(
                1,
                dense("text", vec(1f, 0f), "image", vec(1f, 0f, 0f)),
                sparses(
                    "kw", sparse(new int[] {1, 2}, new float[] {1f, 2f}),
                    "bm25", sparse(new int[] {1, 2}, new float[] {1f, 1f})),
                map("n", 1L, "kind", "a")));

    List<MultiVectorPoint> bare =
        Futures.join(mv.retrieve(c, List.of(id(4)), PayloadSelector.include("n"), false));
    assertThat(bare).containsExactly(point(4, Map.of(), Map.of(), map("n", 4L)));
  }

  @DisplayName("Upsert replaces the whole point: a vector it does not hold is removed")
  @Test
  void upsertReplacesTheWholePoint() {
    String c = fourPoints();
    Futures.join(
        mv.upsert(
            c, List.of(point(1, dense("image", vec(0f, 0f, 1f)), Map.of(), map("kind", "c")))));
    MultiVectorPoint p =
        Futures.join(mv.retrieve(c, List.of(id(1)), PayloadSelector.ALL, true)).get(0);
    assertThat(p).isEqualTo(point(1, dense("image", vec(0f, 0f, 1f)), Map.of(), map("kind", "c")));
    assertThat(ids(Futures.join(mv.search(c, "text", textQuery(10)))))
        .containsExactly(id(3), id(2));
    assertThat(ids(Futures.join(mv.searchSparse(c, "kw", kwQuery(10))))).containsExactly(id(2));
    assertThat(store().count(c, null)).isEqualTo(4);
  }

  @DisplayName("updateVectors replaces only the vectors given; a missing point writes nothing")
  @Test
  void updateVectorsReplacesOnlyTheVectorsGiven() {
    String c = fourPoints();
    Futures.join(
        mv.updateVectors(
            c,
            List.of(
                point(
                    2,
                    dense("text", vec(5f, 0f)),
                    sparses("bm25", sparse(new int[] {9}, new float[] {1f})),
                    Map.of()))));
    MultiVectorPoint p =
        Futures.join(mv.retrieve(c, List.of(id(2)), PayloadSelector.ALL, true)).get(0);
    assertThat(p)
        .isEqualTo(
            point(
                2,
                dense("text", vec(5f, 0f), "image", vec(0f, 1f, 0f)),
                sparses(
                    "kw", sparse(new int[] {2, 3}, new float[] {0.5f, 4f}),
                    "bm25", sparse(new int[] {9}, new float[] {1f})),
                map("n", 2L, "kind", "b")));
    assertThat(ids(Futures.join(mv.search(c, "text", textQuery(10)))))
        .containsExactly(id(2), id(3), id(1));

    // point 4 gets a text vector: it becomes a hit of that space
    Futures.join(
        mv.updateVectors(c, List.of(point(4, dense("text", vec(3f, 0f)), Map.of(), Map.of()))));
    assertThat(ids(Futures.join(mv.search(c, "text", textQuery(10)))))
        .containsExactly(id(2), id(4), id(3), id(1));

    List<MultiVectorPoint> withMissing =
        List.of(
            point(1, dense("text", vec(9f, 0f)), Map.of(), Map.of()),
            point(99, dense("text", vec(1f, 0f)), Map.of(), Map.of()));
    assertThatThrownBy(() -> Futures.join(mv.updateVectors(c, withMissing)))
        .isInstanceOf(PointNotFoundException.class);
    assertThat(
            Futures.join(mv.retrieve(c, List.of(id(1)), PayloadSelector.NONE, true))
                .get(0)
                .dense("text"))
        .containsExactly(1f, 0f);
    assertThat(store().count(c, null)).isEqualTo(4);
  }

  @DisplayName(
      "deleteVectors removes the named vectors only; the points stay, missing ones skipped")
  @Test
  void deleteVectorsRemovesTheNamedVectorsOnly() {
    String c = fourPoints();
    Futures.join(mv.deleteVectors(c, List.of(id(1), id(99)), Set.of("text", "kw")));
    MultiVectorPoint p =
        Futures.join(mv.retrieve(c, List.of(id(1)), PayloadSelector.ALL, true)).get(0);
    assertThat(p)
        .isEqualTo(
            point(
                1,
                dense("image", vec(1f, 0f, 0f)),
                sparses("bm25", sparse(new int[] {1, 2}, new float[] {1f, 1f})),
                map("n", 1L, "kind", "a")));
    assertThat(ids(Futures.join(mv.search(c, "text", textQuery(10)))))
        .containsExactly(id(3), id(2));
    assertThat(ids(Futures.join(mv.searchSparse(c, "kw", kwQuery(10))))).containsExactly(id(2));
    assertThat(store().count(c, null)).isEqualTo(4);
    assertThat(store().retrieve(c, List.of(id(99)), PayloadSelector.NONE, false)).isEmpty();

    assertThatThrownBy(() -> Futures.join(mv.deleteVectors(c, List.of(id(1)), Set.of("nope"))))
        .isInstanceOf(InvalidInputException.class);
  }

  @DisplayName("RRF sums 1 / (rank + 2) over the searches, each cut at its own limit")
  @Test
  void rrfSumsReciprocalRanks() {
    requireFusion();
    String c = fourPoints();
    // text ranks 3, 1, 2; kw ranks 2, 1
    HybridQuery q =
        HybridQuery.of(
                Fusion.RRF,
                10,
                VectorSearch.dense("text", textQuery(3)),
                VectorSearch.sparse("kw", kwQuery(2)))
            .withPayload(PayloadSelector.include("kind"));
    List<ScoredPoint> hits = Futures.join(mv.query(c, q));
    assertThat(ids(hits)).containsExactly(id(2), id(1), id(3));
    assertScores(hits, 1 / 4.0 + 1 / 2.0, 1 / 3.0 + 1 / 3.0, 1 / 2.0);
    assertThat(hits.get(0).payload()).isEqualTo(map("kind", "b"));
    assertThat(hits.get(0).vector()).isNull();

    HybridQuery top2 =
        HybridQuery.of(
            Fusion.RRF,
            2,
            VectorSearch.dense("text", textQuery(3)),
            VectorSearch.sparse("kw", kwQuery(2)));
    assertThat(ids(Futures.join(mv.query(c, top2)))).containsExactly(id(2), id(1));

    // text cut at one hit: 1 and 2 only through kw
    HybridQuery cut =
        HybridQuery.of(
            Fusion.RRF,
            10,
            VectorSearch.dense("text", textQuery(1)),
            VectorSearch.sparse("kw", kwQuery(1)));
    List<ScoredPoint> both = Futures.join(mv.query(c, cut));
    assertThat(both).extracting(ScoredPoint::id).containsExactlyInAnyOrder(id(3), id(2));
    assertScores(both, 1 / 2.0, 1 / 2.0);

    // a filter applies to its own search
    HybridQuery filtered =
        HybridQuery.of(
            Fusion.RRF,
            10,
            VectorSearch.dense(
                "text",
                SearchRequest.builder(vec(1f, 0f), 10)
                    .filter(Filter.must(Condition.match("kind", "b")))
                    .build()),
            VectorSearch.sparse(
                "bm25", SparseSearch.of(sparse(new int[] {3}, new float[] {1f}), 10)));
    List<ScoredPoint> f = Futures.join(mv.query(c, filtered));
    assertThat(f).extracting(ScoredPoint::id).containsExactlyInAnyOrder(id(2), id(3));
    assertScores(f, 1 / 2.0, 1 / 2.0);
  }

  @DisplayName("DBSF normalises each search's scores to mean ± 3 sd and sums them")
  @Test
  void dbsfNormalisesAndSums() {
    requireFusion();
    String c = fourPoints();
    SearchRequest text = textQuery(10);
    SparseSearch kw = kwQuery(10);
    List<ScoredPoint> fused =
        Futures.join(
            mv.query(
                c,
                HybridQuery.of(
                    Fusion.DBSF,
                    10,
                    VectorSearch.dense("text", text),
                    VectorSearch.sparse("kw", kw))));
    // text 3:2 1:1 2:0 -> 4/6 3/6 2/6; kw 2:4.5 1:2 -> mean 3.25, sd 1.7678
    assertThat(ids(fused)).containsExactly(id(2), id(1), id(3));
    List<FusionScores.Ranked> expected =
        FusionScores.dbsf(
            List.of(
                ranked(Futures.join(mv.search(c, "text", text))),
                ranked(Futures.join(mv.searchSparse(c, "kw", kw)))));
    double[] scores = new double[expected.size()];
    for (int i = 0; i < scores.length; i++) {
      assertThat(expected.get(i).id()).isEqualTo(fused.get(i).id());
      scores[i] = expected.get(i).score();
    }
    assertScores(fused, scores);
    double sd = Math.sqrt(2 * 1.25 * 1.25);
    assertThat((double) fused.get(0).score())
        .isCloseTo(2 / 6.0 + (4.5 - 3.25 + 3 * sd) / (6 * sd), within((double) EPS));
  }

  @DisplayName("Spaces can be added to and deleted from a collection; its points stay")
  @Test
  void spacesCanBeAddedAndDeleted() {
    String c = newCollection(CollectionConfig.builder(2, Distance.DOT).build());
    store().upsert(c, List.of(PointStruct.of(id(1), vec(1f, 0f), map("k", "a"))));

    Futures.join(mv.createVectorName(c, "extra", DenseVectorConfig.of(3, Distance.EUCLID)));
    Futures.join(mv.createSparseVectorName(c, "sp", SparseVectorParams.IDF));
    MultiVectorConfig config = Futures.join(mv.vectorsConfig(c));
    assertThat(config.dense().keySet()).containsExactlyInAnyOrder("", "extra");
    assertThat(space(config, "extra").dimension()).isEqualTo(3);
    assertThat(space(config, "extra").distance()).isEqualTo(Distance.EUCLID);
    assertThat(config.sparse()).isEqualTo(Map.of("sp", SparseVectorParams.IDF));
    assertThat(Objects.requireNonNull(config.sparse().get("sp")).modifier())
        .isEqualTo(SparseModifier.IDF);

    // the existing point has no vector in the new spaces
    SearchRequest extra = SearchRequest.builder(vec(0f, 0f, 1f), 10).build();
    assertThat(Futures.join(mv.search(c, "extra", extra))).isEmpty();
    Futures.join(
        mv.updateVectors(
            c,
            List.of(
                point(
                    1,
                    dense("extra", vec(0f, 0f, 2f)),
                    sparses("sp", sparse(new int[] {4}, new float[] {2f})),
                    Map.of()))));
    assertThat(ids(Futures.join(mv.search(c, "extra", extra)))).containsExactly(id(1));
    List<ScoredPoint> sp =
        Futures.join(
            mv.searchSparse(c, "sp", SparseSearch.of(sparse(new int[] {4}, new float[] {1f}), 10)));
    assertScores(sp, 2 * idf(1, 1));
    assertThat(ids(store().search(c, SearchRequest.builder(vec(1f, 0f), 10).build())))
        .containsExactly(id(1));

    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.createVectorName(c, "extra", DenseVectorConfig.of(3, Distance.EUCLID))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> Futures.join(mv.createSparseVectorName(c, "extra", SparseVectorParams.DEFAULT)))
        .isInstanceOf(InvalidInputException.class);

    Futures.join(mv.deleteVectorName(c, "extra"));
    assertThat(Futures.join(mv.vectorsConfig(c)).dense().keySet()).containsExactly("");
    assertThat(Futures.join(mv.retrieve(c, List.of(id(1)), PayloadSelector.ALL, true)))
        .containsExactly(
            point(
                1,
                dense("", vec(1f, 0f)),
                sparses("sp", sparse(new int[] {4}, new float[] {2f})),
                map("k", "a")));
    assertThatThrownBy(() -> Futures.join(mv.search(c, "extra", extra)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Futures.join(mv.deleteVectorName(c, "extra")))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store().count(c, null)).isEqualTo(1);
  }

  @DisplayName("Unknown vector names and misfit vectors are refused, and nothing is written")
  @Test
  void unknownNamesAndMisfitVectorsAreRefused() {
    String c = fourPoints();
    assertThatThrownBy(() -> Futures.join(mv.search(c, "nope", textQuery(1))))
        .isInstanceOf(InvalidInputException.class);
    // a sparse name is not a dense space, nor the other way round
    assertThatThrownBy(() -> Futures.join(mv.search(c, "kw", textQuery(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Futures.join(mv.searchSparse(c, "text", kwQuery(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                Futures.join(mv.search(c, "image", SearchRequest.builder(vec(1f, 0f), 1).build())))
        .isInstanceOf(DimensionMismatchException.class);
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.search(c, "image", SearchRequest.builder(vec(0f, 0f, 0f), 1).build())))
        .isInstanceOf(InvalidVectorException.class);

    List<MultiVectorPoint> oneBad =
        List.of(
            point(10, dense("text", vec(1f, 1f)), Map.of(), Map.of()),
            point(11, dense("nope", vec(1f, 1f)), Map.of(), Map.of()));
    assertThatThrownBy(() -> Futures.join(mv.upsert(c, oneBad)))
        .isInstanceOf(InvalidInputException.class);
    List<MultiVectorPoint> wrongDimension =
        List.of(
            point(10, dense("text", vec(1f, 1f)), Map.of(), Map.of()),
            point(11, dense("image", vec(1f, 1f)), Map.of(), Map.of()));
    assertThatThrownBy(() -> Futures.join(mv.upsert(c, wrongDimension)))
        .isInstanceOf(DimensionMismatchException.class);
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.updateVectors(
                        c,
                        List.of(
                            point(
                                1,
                                Map.of(),
                                sparses("nope", sparse(new int[] {1}, new float[] {1f})),
                                Map.of())))))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store().count(c, null)).isEqualTo(4);

    if (store().isSupported(Capability.FUSION_QUERIES)) {
      HybridQuery bad =
          HybridQuery.of(
              Fusion.RRF,
              10,
              VectorSearch.dense("text", textQuery(2)),
              VectorSearch.sparse("nope", kwQuery(2)));
      assertThatThrownBy(() -> Futures.join(mv.query(c, bad)))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @DisplayName("The port's point operations work on a collection with named vectors")
  @Test
  void portOperationsWorkOnAMultiVectorCollection() {
    String c = fourPoints();
    VectorStore store = store();
    assertThat(store.collectionExists(c)).isTrue();
    assertThat(store.count(c, Filter.must(Condition.match("kind", "a")))).isEqualTo(2);
    store.setPayload(c, List.of(id(1)), map("extra", true));
    store.deletePayloadKeys(c, List.of(id(2)), List.of("kind"));
    List<RetrievedPoint> got = store.retrieve(c, List.of(id(1), id(2)), PayloadSelector.ALL, false);
    assertThat(got.get(0).payload()).isEqualTo(map("n", 1L, "kind", "a", "extra", true));
    assertThat(got.get(1).payload()).isEqualTo(map("n", 2L));
    assertThat(store.scroll(c, ScrollRequest.firstPage(10)).points())
        .extracting(RetrievedPoint::id)
        .containsExactly(id(1), id(2), id(3), id(4));
    store.delete(c, List.of(id(3)));
    assertThat(store.count(c, null)).isEqualTo(3);
    // payload writes kept the vectors
    assertThat(
            Futures.join(mv.retrieve(c, List.of(id(1)), PayloadSelector.NONE, true))
                .get(0)
                .vectorNames())
        .containsExactlyInAnyOrder("text", "image", "kw", "bm25");
    assertThat(ids(Futures.join(mv.search(c, "text", textQuery(10)))))
        .containsExactly(id(1), id(2));

    // the port's upsert and search use the vector "", which this collection does not have
    assertThatThrownBy(() -> store.upsert(c, List.of(PointStruct.of(id(9), vec(1f, 0f), Map.of()))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.search(c, SearchRequest.builder(vec(1f, 0f), 1).build()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.count(c, null)).isEqualTo(3);
    assertThat(store.deleteCollection(c)).isTrue();
    assertThat(store.collectionExists(c)).isFalse();
  }
}
