package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine's {@link MultiVectors}: named dense vectors, sparse vectors (with IDF) and
 * hybrid queries, and the base port's operations on such collections.
 */
class MultiVectorsTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();

  @TempDir Path dir;

  @AfterEach
  void close() {
    store.close();
  }

  // ---- helpers ----

  private static final MultiVectorConfig CONFIG =
      MultiVectorConfig.of(
          linked(
              "text",
              DenseVectorConfig.of(2, Distance.DOT),
              "image",
              DenseVectorConfig.of(3, Distance.COSINE)),
          Map.of("bm25", SparseVectorParams.DEFAULT));

  private static <V> Map<String, V> linked(String k1, V v1, String k2, V v2) {
    Map<String, V> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static PointId id(long n) {
    return PointId.of(n);
  }

  private static SparseVector sv(int[] indices, float[] values) {
    return SparseVector.of(indices, values);
  }

  private static MultiVectorPoint point(
      long id,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse,
      Map<String, ?> payload) {
    return MultiVectorPoint.of(id(id), dense, sparse, payload);
  }

  private void create(String name, MultiVectorConfig config) {
    Futures.join(mv.createCollection(name, config));
  }

  private void upsert(String collection, MultiVectorPoint... points) {
    Futures.join(mv.upsert(collection, List.of(points)));
  }

  private List<MultiVectorPoint> retrieve(String collection, long... ids) {
    List<PointId> list = new ArrayList<>();
    for (long i : ids) {
      list.add(id(i));
    }
    return Futures.join(mv.retrieve(collection, list, PayloadSelector.ALL, true));
  }

  private List<ScoredPoint> dense(String collection, String using, float... query) {
    return Futures.join(
        mv.search(collection, using, SearchRequest.builder(query, 10).withPayload(true).build()));
  }

  private List<ScoredPoint> sparse(String collection, String using, SparseSearch search) {
    return Futures.join(mv.searchSparse(collection, using, search));
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    List<Long> out = new ArrayList<>();
    for (ScoredPoint h : hits) {
      out.add(h.id().num());
    }
    return out;
  }

  /** Three points: 1 has every vector, 2 only text and bm25, 3 only image. */
  private void threePoints() {
    create("c", CONFIG);
    upsert(
        "c",
        point(
            1,
            linked("text", new float[] {1, 0}, "image", new float[] {0, 3, 4}),
            Map.of("bm25", sv(new int[] {1, 2}, new float[] {1f, 1f})),
            Map.of("kind", "a")),
        point(
            2,
            Map.of("text", new float[] {2, 0}),
            Map.of("bm25", sv(new int[] {1}, new float[] {2f})),
            Map.of("kind", "b")),
        point(3, Map.of("image", new float[] {1, 0, 0}), Map.of(), Map.of("kind", "a")));
  }

  // ---- tests ----

  @Test
  void advertisedAndOfferedThroughBothForms() {
    assertThat(store.isSupported(Capability.NAMED_VECTORS)).isTrue();
    assertThat(store.isSupported(Capability.SPARSE_VECTORS)).isTrue();
    assertThat(store.isSupported(Capability.FUSION_QUERIES)).isTrue();
    assertThat(store.async().extension(MultiVectors.class)).containsSame(mv);
  }

  @Test
  void createAndRetrieveRoundTrip() {
    threePoints();
    assertThat(Futures.join(mv.vectorsConfig("c"))).isEqualTo(CONFIG);
    assertThat(store.collectionExists("c")).isTrue();
    assertThat(store.listCollections()).containsExactly("c");
    assertThat(store.collectionInfo("c").pointsCount()).isEqualTo(3);

    List<MultiVectorPoint> got = retrieve("c", 3, 1, 99, 3);
    assertThat(got).extracting(p -> p.id().num()).containsExactly(3L, 1L);
    MultiVectorPoint one = got.get(1);
    assertThat(one.dense("text")).containsExactly(1f, 0f);
    assertThat(one.dense("image")).containsExactly(new float[] {0f, 0.6f, 0.8f}, within(1e-6f));
    assertThat(one.sparse()).containsEntry("bm25", sv(new int[] {2, 1}, new float[] {1f, 1f}));
    assertThat(one.payload()).containsEntry("kind", "a");
    assertThat(got.get(0).vectorNames()).containsExactly("image");

    List<MultiVectorPoint> bare =
        Futures.join(mv.retrieve("c", List.of(id(1)), PayloadSelector.NONE, false));
    assertThat(bare.get(0).vectorNames()).isEmpty();
    assertThat(bare.get(0).payload()).isEmpty();
  }

  @Test
  void pointsWithoutAVectorAreNotHitsOfItsSpace() {
    threePoints();
    assertThat(ids(dense("c", "text", 1, 0))).containsExactly(2L, 1L);
    assertThat(ids(dense("c", "image", 1, 0, 0))).containsExactly(3L, 1L);
    assertThat(ids(sparse("c", "bm25", SparseSearch.of(sv(new int[] {1}, new float[] {1}), 10))))
        .containsExactly(2L, 1L);
    assertThat(store.count("c", null)).isEqualTo(3);
  }

  @Test
  void upsertReplacesTheWholePoint() {
    threePoints();
    upsert("c", point(1, Map.of("text", new float[] {5, 0}), Map.of(), Map.of("kind", "z")));
    MultiVectorPoint one = retrieve("c", 1).get(0);
    assertThat(one.vectorNames()).containsExactly("text");
    assertThat(one.payload()).isEqualTo(Map.of("kind", "z"));
    assertThat(ids(dense("c", "image", 1, 0, 0))).containsExactly(3L);
    assertThat(ids(sparse("c", "bm25", SparseSearch.of(sv(new int[] {2}, new float[] {1}), 10))))
        .isEmpty();
    assertThat(dense("c", "text", 1, 0).get(0).score()).isEqualTo(5f);
  }

  @Test
  void theLastOfAnIdInOneBatchWins() {
    create("c", CONFIG);
    upsert(
        "c",
        point(1, Map.of("text", new float[] {1, 0}), Map.of(), Map.of()),
        point(1, Map.of("image", new float[] {1, 0, 0}), Map.of(), Map.of("v", 2L)));
    MultiVectorPoint one = retrieve("c", 1).get(0);
    assertThat(one.vectorNames()).containsExactly("image");
    assertThat(one.payload()).containsEntry("v", 2L);
    assertThat(dense("c", "text", 1, 0)).isEmpty();
  }

  @Test
  void updateVectorsKeepsPayloadAndOtherVectors() {
    threePoints();
    Futures.join(
        mv.updateVectors(
            "c",
            List.of(
                point(
                    3,
                    Map.of("text", new float[] {0, 1}),
                    Map.of("bm25", sv(new int[] {9}, new float[] {3})),
                    Map.of("ignored", true)))));
    MultiVectorPoint three = retrieve("c", 3).get(0);
    assertThat(three.vectorNames()).containsExactlyInAnyOrder("text", "image", "bm25");
    assertThat(three.payload()).isEqualTo(Map.of("kind", "a"));
    List<ScoredPoint> hits = dense("c", "text", 0, 1);
    assertThat(hits.get(0).id()).isEqualTo(id(3));
    assertThat(hits.get(0).payload()).isEqualTo(Map.of("kind", "a"));

    // a missing point fails the call before anything is written
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.updateVectors(
                        "c",
                        List.of(
                            point(1, Map.of("text", new float[] {7, 7}), Map.of(), Map.of()),
                            point(42, Map.of("text", new float[] {1, 1}), Map.of(), Map.of())))))
        .isInstanceOf(PointNotFoundException.class);
    assertThat(retrieve("c", 1).get(0).dense("text")).containsExactly(1f, 0f);
    assertThat(retrieve("c", 42)).isEmpty();
  }

  @Test
  void deleteVectorsKeepsThePoints() {
    threePoints();
    Futures.join(mv.deleteVectors("c", List.of(id(1), id(77)), Set.of("text", "bm25")));
    assertThat(retrieve("c", 1).get(0).vectorNames()).containsExactly("image");
    assertThat(ids(dense("c", "text", 1, 0))).containsExactly(2L);
    assertThat(ids(sparse("c", "bm25", SparseSearch.of(sv(new int[] {1}, new float[] {1}), 10))))
        .containsExactly(2L);
    assertThat(store.count("c", null)).isEqualTo(3);
    assertThatThrownBy(() -> Futures.join(mv.deleteVectors("c", List.of(id(1)), Set.of("nope"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vectorNames")
        .hasMessageContaining("[text, image, bm25]");
    assertThatThrownBy(() -> Futures.join(mv.deleteVectors("c", List.of(id(1)), null)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void denseSearchOfANameWithAFilterAndThePayload() {
    threePoints();
    List<ScoredPoint> hits =
        Futures.join(
            mv.search(
                "c",
                "image",
                SearchRequest.builder(new float[] {0, 0, 1}, 10)
                    .filter(Filter.must(Condition.match("kind", "a")))
                    .withPayload(true)
                    .withVectors(true)
                    .build()));
    assertThat(ids(hits)).containsExactly(1L, 3L);
    assertThat(hits.get(0).score()).isCloseTo(0.8f, within(1e-6f));
    assertThat(hits.get(0).payload()).isEqualTo(Map.of("kind", "a"));
    assertThat(hits.get(0).vector()).containsExactly(new float[] {0f, 0.6f, 0.8f}, within(1e-6f));
    assertThatThrownBy(() -> dense("c", "bm25", 1, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[text, image]");
    assertThatThrownBy(() -> dense("c", "text", 1, 0, 0))
        .isInstanceOf(DimensionMismatchException.class);
  }

  @Test
  void sparseScoresAreDotProductsOverSharedIndices() {
    create("s", MultiVectorConfig.of(Map.of(), Map.of("bm25", SparseVectorParams.DEFAULT)));
    upsert(
        "s",
        point(
            1,
            Map.of(),
            Map.of("bm25", sv(new int[] {1, 2}, new float[] {1f, 3f})),
            Map.of("k", "x")),
        point(
            2,
            Map.of(),
            Map.of("bm25", sv(new int[] {1, 5}, new float[] {2f, 1f})),
            Map.of("k", "y")),
        point(3, Map.of(), Map.of("bm25", sv(new int[] {7}, new float[] {9f})), Map.of()),
        point(4, Map.of(), Map.of("bm25", sv(new int[] {2}, new float[] {0.5f})), Map.of()),
        point(5, Map.of(), Map.of(), Map.of()));
    SparseVector q = sv(new int[] {1, 2}, new float[] {2f, 1f});
    List<ScoredPoint> hits =
        sparse("s", "bm25", SparseSearch.of(q, 10).withPayload(PayloadSelector.ALL));
    // 1: 2*1 + 1*3 = 5; 2: 2*2 = 4; 4: 0.5; 3 and 5 share no index
    assertThat(ids(hits)).containsExactly(1L, 2L, 4L);
    assertThat(hits).extracting(ScoredPoint::score).containsExactly(5f, 4f, 0.5f);
    assertThat(hits.get(0).payload()).isEqualTo(Map.of("k", "x"));
    assertThat(hits.get(0).vector()).isNull();

    assertThat(
            ids(
                sparse(
                    "s",
                    "bm25",
                    SparseSearch.of(q, 10).withFilter(Filter.must(Condition.match("k", "y"))))))
        .containsExactly(2L);
    // the threshold is strict, offset and limit page the hits
    assertThat(ids(sparse("s", "bm25", new SparseSearch(q, 10, 0, null, 4f, PayloadSelector.NONE))))
        .containsExactly(1L);
    assertThat(
            ids(sparse("s", "bm25", new SparseSearch(q, 1, 1, null, null, PayloadSelector.NONE))))
        .containsExactly(2L);
    // equal scores: by id
    assertThat(
            ids(
                sparse(
                    "s", "bm25", SparseSearch.of(sv(new int[] {5, 2}, new float[] {3f, 1f}), 10))))
        .containsExactly(1L, 2L, 4L);
    assertThat(sparse("s", "bm25", SparseSearch.of(sv(new int[] {}, new float[] {}), 10)))
        .isEmpty();
    assertThatThrownBy(() -> sparse("s", "nope", SparseSearch.of(q, 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[bm25]");
  }

  @Test
  void idfWeighsTheQueryAndFollowsDeletes() {
    create("s", MultiVectorConfig.of(Map.of(), Map.of("bm25", SparseVectorParams.IDF)));
    upsert(
        "s",
        point(1, Map.of(), Map.of("bm25", sv(new int[] {1, 2}, new float[] {1f, 1f})), Map.of()),
        point(2, Map.of(), Map.of("bm25", sv(new int[] {1}, new float[] {2f})), Map.of()),
        point(3, Map.of(), Map.of("bm25", sv(new int[] {3}, new float[] {1f})), Map.of()),
        point(4, Map.of(), Map.of(), Map.of()));
    SparseVector q = sv(new int[] {1, 2}, new float[] {1f, 1f});
    // N = 3 points with a bm25 vector; index 1 held by 2 of them, index 2 by 1
    double idf1 = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    double idf2 = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    List<ScoredPoint> hits = sparse("s", "bm25", SparseSearch.of(q, 10));
    assertThat(ids(hits)).containsExactly(1L, 2L);
    assertThat((double) hits.get(0).score()).isCloseTo(idf1 + idf2, within(1e-6));
    assertThat((double) hits.get(1).score()).isCloseTo(2 * idf1, within(1e-6));

    store.delete("s", List.of(id(3)));
    double idf1After = Math.log(1 + (2 - 2 + 0.5) / (2 + 0.5));
    double idf2After = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    hits = sparse("s", "bm25", SparseSearch.of(q, 10));
    assertThat((double) hits.get(0).score()).isCloseTo(idf1After + idf2After, within(1e-6));
    assertThat((double) hits.get(1).score()).isCloseTo(2 * idf1After, within(1e-6));
  }

  /** Dense text: a=1 (3), b=2 (2), c=3 (1); sparse: b (5), d=4 (1); c's sparse shares nothing. */
  private HybridQuery hybrid(Fusion fusion, int limit) {
    create(
        "h",
        MultiVectorConfig.of(
            Map.of("text", DenseVectorConfig.of(2, Distance.DOT)),
            Map.of("bm25", SparseVectorParams.DEFAULT)));
    upsert(
        "h",
        point(1, Map.of("text", new float[] {3, 0}), Map.of(), Map.of("name", "a")),
        point(
            2,
            Map.of("text", new float[] {2, 0}),
            Map.of("bm25", sv(new int[] {7}, new float[] {5})),
            Map.of("name", "b")),
        point(
            3,
            Map.of("text", new float[] {1, 0}),
            Map.of("bm25", sv(new int[] {8}, new float[] {1})),
            Map.of("name", "c")),
        point(
            4, Map.of(), Map.of("bm25", sv(new int[] {7}, new float[] {1})), Map.of("name", "d")));
    return HybridQuery.of(
            fusion,
            limit,
            VectorSearch.dense("text", SearchRequest.builder(new float[] {1, 0}, 3).build()),
            VectorSearch.sparse("bm25", SparseSearch.of(sv(new int[] {7}, new float[] {1}), 3)))
        .withPayload(PayloadSelector.include("name"));
  }

  @Test
  void reciprocalRankFusion() {
    HybridQuery q = hybrid(Fusion.RRF, 3);
    List<ScoredPoint> hits = Futures.join(mv.query("h", q));
    // b: 1/3 + 1/2, a: 1/2, d: 1/3, c: 1/4 (cut by the limit)
    assertThat(ids(hits)).containsExactly(2L, 1L, 4L);
    assertThat(hits.get(0).score()).isCloseTo(5f / 6, within(1e-6f));
    assertThat(hits.get(1).score()).isCloseTo(0.5f, within(1e-6f));
    assertThat(hits.get(2).score()).isCloseTo(1f / 3, within(1e-6f));
    assertThat(hits.get(0).payload()).isEqualTo(Map.of("name", "b"));
    assertThat(hits.get(0).vector()).isNull();
  }

  @Test
  void distributionBasedScoreFusion() {
    HybridQuery q = hybrid(Fusion.DBSF, 10);
    List<ScoredPoint> hits = Futures.join(mv.query("h", q));
    // dense [3, 2, 1]: mean 2, std 1, range [-1, 5]; sparse [5, 1]: mean 3, std sqrt(8)
    double lo = 3 - 3 * Math.sqrt(8);
    double hi = 3 + 3 * Math.sqrt(8);
    assertThat(ids(hits)).containsExactly(2L, 1L, 4L, 3L);
    assertThat((double) hits.get(0).score()).isCloseTo(0.5 + (5 - lo) / (hi - lo), within(1e-5));
    assertThat((double) hits.get(1).score()).isCloseTo(4.0 / 6, within(1e-5));
    assertThat((double) hits.get(2).score()).isCloseTo((1 - lo) / (hi - lo), within(1e-5));
    assertThat((double) hits.get(3).score()).isCloseTo(2.0 / 6, within(1e-5));
  }

  @Test
  void aQueryIsCheckedBeforeAnySearchRuns() {
    hybrid(Fusion.RRF, 1);
    HybridQuery bad =
        HybridQuery.of(
            Fusion.RRF,
            1,
            VectorSearch.dense("text", SearchRequest.builder(new float[] {1, 0}, 3).build()),
            VectorSearch.sparse("nope", SparseSearch.of(sv(new int[] {7}, new float[] {1}), 3)));
    assertThatThrownBy(() -> Futures.join(mv.query("h", bad)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("searches[1].using");
    HybridQuery badDim =
        HybridQuery.of(
            Fusion.RRF,
            1,
            VectorSearch.dense("text", SearchRequest.builder(new float[] {1, 0, 0}, 3).build()));
    assertThatThrownBy(() -> Futures.join(mv.query("h", badDim)))
        .isInstanceOf(DimensionMismatchException.class);
  }

  @Test
  void badInputIsRefusedBeforeAnyWrite() {
    threePoints();
    MultiVectorPoint fine = point(10, Map.of("text", new float[] {1, 1}), Map.of(), Map.of());
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.upsert(
                        "c",
                        List.of(
                            fine,
                            fine,
                            fine,
                            point(11, Map.of("photo", new float[] {1, 1}), Map.of(), Map.of())))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("points[3].dense[photo]");
              assertThat(e.expected())
                  .contains("a vector name of collection c: [text, image, bm25]");
            });
    assertThatThrownBy(
            () ->
                upsert(
                    "c",
                    fine,
                    point(
                        11,
                        Map.of(),
                        Map.of("text2", sv(new int[] {1}, new float[] {1})),
                        Map.of())))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("points[1].sparse[text2]"));
    assertThatThrownBy(
            () ->
                upsert(
                    "c", fine, point(12, Map.of("image", new float[] {1, 1}), Map.of(), Map.of())))
        .isInstanceOf(DimensionMismatchException.class)
        .hasMessageContaining("points[1].dense[image]");
    assertThatThrownBy(
            () ->
                upsert(
                    "c",
                    fine,
                    point(13, Map.of("image", new float[] {0, 0, 0}), Map.of(), Map.of())))
        .isInstanceOf(InvalidVectorException.class);
    assertThatThrownBy(() -> Futures.join(mv.upsert("c", null)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.count("c", null)).isEqualTo(3);
    assertThat(retrieve("c", 10, 11, 12, 13)).isEmpty();
  }

  @Test
  void basePortOperationsWorkOnAMultiVectorCollection() {
    threePoints();
    assertThat(store.count("c", Filter.must(Condition.match("kind", "a")))).isEqualTo(2);
    assertThat(store.count("c", Filter.must(new Condition[0]))).isEqualTo(3);
    ScrollPage first = store.scroll("c", ScrollRequest.firstPage(2));
    assertThat(first.points()).extracting(p -> p.id().num()).containsExactly(1L, 2L);
    assertThat(first.nextOffset()).isEqualTo(id(3));
    ScrollPage second =
        store.scroll(
            "c",
            new ScrollRequest(
                Filter.must(Condition.match("kind", "a")), 2, id(2), PayloadSelector.NONE, false));
    assertThat(second.points()).extracting(RetrievedPoint::id).containsExactly(id(3));
    assertThat(second.points().get(0).payload()).isEmpty();
    assertThat(second.nextOffset()).isNull();
    assertThat(store.retrieve("c", List.of(id(2), id(9)), PayloadSelector.ALL, false))
        .containsExactly(RetrievedPoint.withoutVector(id(2), Map.of("kind", "b")));

    // payload writes reach every space's hits
    store.setPayload("c", List.of(id(1), id(1)), Map.of("n", 1L));
    assertThat(dense("c", "image", 0, 1, 1).get(0).payload())
        .isEqualTo(Map.of("kind", "a", "n", 1L));
    assertThat(dense("c", "text", 1, 0).get(1).payload()).isEqualTo(Map.of("kind", "a", "n", 1L));
    store.deletePayloadKeys("c", List.of(id(1)), List.of("kind"));
    assertThat(
            sparse(
                    "c",
                    "bm25",
                    SparseSearch.of(sv(new int[] {2}, new float[] {1}), 1)
                        .withPayload(PayloadSelector.ALL))
                .get(0)
                .payload())
        .isEqualTo(Map.of("n", 1L));
    store.overwritePayload("c", List.of(id(2)), Map.of("kind", "c"));
    assertThat(store.count("c", Filter.must(Condition.match("kind", "c")))).isEqualTo(1);
    store.clearPayload("c", List.of(id(2)));
    assertThat(retrieve("c", 2).get(0).payload()).isEmpty();
    assertThatThrownBy(() -> store.setPayload("c", List.of(id(1), id(50)), Map.of("x", "y")))
        .isInstanceOf(PointNotFoundException.class);
    assertThat(retrieve("c", 1).get(0).payload()).doesNotContainKey("x");

    // payload indexes, also on spaces added later
    store.createPayloadIndex("c", "kind", PayloadSchemaType.KEYWORD);
    Futures.join(mv.createVectorName("c", "extra", DenseVectorConfig.of(2, Distance.DOT)));
    assertThat(store.payloadIndexes("c")).isEqualTo(Map.of("kind", PayloadSchemaType.KEYWORD));
    upsert("c", point(3, Map.of("extra", new float[] {1, 1}), Map.of(), Map.of("kind", "a")));
    assertThat(
            ids(
                Futures.join(
                    mv.search(
                        "c",
                        "extra",
                        SearchRequest.builder(new float[] {1, 1}, 5)
                            .filter(Filter.must(Condition.match("kind", "a")))
                            .build()))))
        .containsExactly(3L);

    // deletes remove points from every space
    store.delete("c", List.of(id(1)));
    assertThat(ids(dense("c", "image", 1, 0, 0))).isEmpty();
    assertThat(ids(sparse("c", "bm25", SparseSearch.of(sv(new int[] {1}, new float[] {1}), 5))))
        .containsExactly(2L);
    store.deleteByFilter("c", Filter.must(Condition.match("kind", "a")));
    assertThat(store.count("c", null)).isEqualTo(1);
    assertThat(ids(dense("c", "extra", 1, 1))).isEmpty();

    // the port's vector operations need the unnamed vector
    assertThatThrownBy(() -> store.upsert("c", List.of(PointStruct.of(5, new float[] {1, 0}))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.found()).contains("[text, image, extra, bm25]"));
    assertThatThrownBy(
            () -> store.search("c", SearchRequest.builder(new float[] {1, 0}, 1).build()))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.retrieve("c", List.of(id(2)), PayloadSelector.ALL, true))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("withVectors");
              assertThat(e.getMessage()).contains("MultiVectors");
            });
    assertThatThrownBy(
            () -> store.scroll("c", new ScrollRequest(null, 5, null, PayloadSelector.ALL, true)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theUnnamedVectorServesThePortsOperations() {
    create(
        "u",
        MultiVectorConfig.of(
            Map.of("", DenseVectorConfig.of(2, Distance.DOT)),
            Map.of("bm25", SparseVectorParams.DEFAULT)));
    store.upsert(
        "u",
        List.of(
            PointStruct.of(PointId.of(1), new float[] {1, 0}, Map.of("k", "v")),
            PointStruct.of(PointId.of(2), new float[] {0, 1}, Map.of())));
    upsert("u", point(3, Map.of(), Map.of("bm25", sv(new int[] {1}, new float[] {1})), Map.of()));
    List<ScoredPoint> hits =
        store.search("u", SearchRequest.builder(new float[] {1, 0}, 5).withPayload(true).build());
    assertThat(ids(hits)).containsExactly(1L, 2L);
    assertThat(hits.get(0).payload()).isEqualTo(Map.of("k", "v"));
    BatchSearch batch = store.extension(BatchSearch.class).orElseThrow();
    assertThat(
            Futures.join(
                    batch.searchBatch(
                        "u",
                        List.of(SearchRequest.builder(new float[] {0, 1}, 1).build()),
                        ReadOptions.DEFAULT))
                .get(0))
        .extracting(ScoredPoint::id)
        .containsExactly(id(2));
    List<RetrievedPoint> got =
        store.retrieve("u", List.of(id(1), id(3)), PayloadSelector.ALL, true);
    assertThat(got.get(0).vector()).containsExactly(1f, 0f);
    assertThat(got.get(1).vector()).isNull();
    ScrollPage page =
        store.scroll("u", new ScrollRequest(null, 5, null, PayloadSelector.NONE, true));
    assertThat(page.points()).hasSize(3);
    assertThat(page.points().get(1).vector()).containsExactly(0f, 1f);
    // the port's upsert replaces the whole point: its sparse vector goes
    store.upsert("u", List.of(PointStruct.of(3, new float[] {1, 1})));
    assertThat(retrieve("u", 3).get(0).vectorNames()).containsExactly("");
  }

  @Test
  void aNewVectorNameOnASingleVectorCollection() {
    store.createCollection("classic", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert(
        "classic",
        List.of(
            PointStruct.of(PointId.of(1), new float[] {1, 0}, Map.of("k", "one")),
            PointStruct.of(PointId.of(2), new float[] {0, 1}, Map.of())));
    store.createPayloadIndex("classic", "k", PayloadSchemaType.KEYWORD);
    // reads answer it as it is
    assertThat(Futures.join(mv.vectorsConfig("classic")).dense()).containsOnlyKeys("");
    assertThat(retrieve("classic", 1).get(0).dense("")).containsExactly(1f, 0f);
    assertThat(
            Futures.join(mv.retrieve("classic", List.of(id(1)), PayloadSelector.ALL, false))
                .get(0)
                .vectorNames())
        .isEmpty();
    assertThat(ids(dense("classic", "", 1, 0))).containsExactly(1L, 2L);
    assertThatThrownBy(() -> dense("classic", "text", 1, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> sparse("classic", "bm25", SparseSearch.of(sv(new int[] {1}, new float[] {1}), 1)))
        .isInstanceOf(InvalidInputException.class);
    List<ScoredPoint> fused =
        Futures.join(
            mv.query(
                "classic",
                HybridQuery.of(
                        Fusion.RRF,
                        5,
                        VectorSearch.dense(
                            "", SearchRequest.builder(new float[] {1, 0}, 2).build()),
                        VectorSearch.dense(
                            "", SearchRequest.builder(new float[] {0, 1}, 2).build()))
                    .withPayload(PayloadSelector.ALL)));
    // 1 and 2 each at ranks 0 and 1: 1/2 + 1/3; ties by id
    assertThat(ids(fused)).containsExactly(1L, 2L);
    assertThat(fused.get(0).score()).isCloseTo(5f / 6, within(1e-6f));
    assertThat(fused.get(0).payload()).isEqualTo(Map.of("k", "one"));
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.query(
                        "classic",
                        HybridQuery.of(
                            Fusion.RRF,
                            5,
                            VectorSearch.sparse(
                                "bm25", SparseSearch.of(sv(new int[] {1}, new float[] {1}), 2))))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("searches[0].using");
    // a name it already has, or an empty sparse name: refused
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.createVectorName("classic", "", DenseVectorConfig.of(2, Distance.DOT))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> Futures.join(mv.createSparseVectorName("classic", "", SparseVectorParams.IDF)))
        .isInstanceOf(InvalidInputException.class);

    Futures.join(mv.createVectorName("classic", "image", DenseVectorConfig.of(3, Distance.COSINE)));
    Futures.join(mv.createSparseVectorName("classic", "bm25", SparseVectorParams.IDF));
    assertThat(Futures.join(mv.vectorsConfig("classic")).dense()).containsOnlyKeys("", "image");
    assertThat(Futures.join(mv.vectorsConfig("classic")).sparse())
        .isEqualTo(Map.of("bm25", SparseVectorParams.IDF));
    assertThat(store.count("classic", null)).isEqualTo(2);
    assertThat(store.payloadIndexes("classic")).containsKey("k");
    assertThat(ids(store.search("classic", SearchRequest.builder(new float[] {1, 0}, 5).build())))
        .containsExactly(1L, 2L);
    assertThat(retrieve("classic", 1).get(0).payload()).isEqualTo(Map.of("k", "one"));
    assertThat(store.collectionInfo("classic").config().dimension()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.createVectorName("classic", "image", DenseVectorConfig.of(2, Distance.DOT))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not have yet");

    upsert(
        "classic",
        point(
            1, linked("", new float[] {1, 0}, "image", new float[] {1, 0, 0}), Map.of(), Map.of()));
    assertThat(ids(dense("classic", "image", 1, 0, 0))).containsExactly(1L);

    // deleting a space keeps the points; deleting "" leaves the port without a vector
    Futures.join(mv.deleteVectorName("classic", "image"));
    assertThat(Futures.join(mv.vectorsConfig("classic")).hasVector("image")).isFalse();
    assertThatThrownBy(() -> dense("classic", "image", 1, 0, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Futures.join(mv.deleteVectorName("classic", "image")))
        .isInstanceOf(InvalidInputException.class);
    Futures.join(mv.deleteVectorName("classic", ""));
    assertThat(store.count("classic", null)).isEqualTo(2);
    assertThatThrownBy(
            () -> store.search("classic", SearchRequest.builder(new float[] {1, 0}, 1).build()))
        .isInstanceOf(InvalidInputException.class);
    // only sparse spaces left: the info shows a placeholder configuration
    assertThat(store.collectionInfo("classic").pointsCount()).isEqualTo(2);
  }

  @Test
  void aWriteMakesASingleVectorCollectionAMultiVectorOne() {
    store.createCollection("classic", CollectionConfig.builder(2, Distance.DOT).build());
    upsert("classic", point(1, Map.of(), Map.of(), Map.of("k", 1L)));
    Futures.join(
        mv.updateVectors(
            "classic", List.of(point(1, Map.of("", new float[] {1, 1}), Map.of(), Map.of()))));
    assertThat(ids(dense("classic", "", 1, 0))).containsExactly(1L);
    Futures.join(mv.deleteVectors("classic", List.of(id(1)), Set.of("")));
    assertThat(ids(dense("classic", "", 1, 0))).isEmpty();
    assertThat(store.count("classic", null)).isEqualTo(1);
    assertThat(store.listCollections()).containsExactly("classic");
  }

  @Test
  void namesAliasesAndDeletion() {
    threePoints();
    CollectionAliases aliases = store.extension(CollectionAliases.class).orElseThrow();
    Futures.join(aliases.updateAliases(List.of(AliasAction.create("live", "c"))));
    assertThat(ids(dense("live", "text", 1, 0))).containsExactly(2L, 1L);
    assertThat(store.count("live", null)).isEqualTo(3);
    assertThat(store.collectionExists("live")).isTrue();
    assertThatThrownBy(() -> create("live", CONFIG))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    assertThatThrownBy(() -> create("c", CONFIG))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    assertThatThrownBy(
            () -> store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build()))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    assertThatThrownBy(
            () -> Futures.join(aliases.updateAliases(List.of(AliasAction.create("c", "c")))))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    assertThat(store.toString()).contains("c");
    assertThat(store.ping().details()).containsEntry("collections", "1");

    assertThat(store.deleteCollection("live")).isFalse();
    assertThat(store.deleteCollection("c")).isTrue();
    assertThat(store.collectionExists("c")).isFalse();
    assertThat(Futures.join(aliases.listAliases())).isEmpty();
    assertThatThrownBy(() -> dense("c", "text", 1, 0))
        .isInstanceOf(CollectionNotFoundException.class);
    assertThatThrownBy(() -> Futures.join(mv.upsert("c", List.of())))
        .isInstanceOf(CollectionNotFoundException.class);
  }

  @Test
  void clusterFeaturesAreRefused() {
    threePoints();
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    assertThatThrownBy(() -> Futures.join(cluster.createShardKey("c", ShardKey.of("k"))))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThatThrownBy(
            () ->
                Futures.join(
                    cluster.upsert(
                        "c",
                        List.of(PointStruct.of(9, new float[] {1, 0})),
                        WriteOptions.builder().shardKeys(ShardKey.of("k")).build())))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThat(Futures.join(cluster.count("c", null, ReadOptions.DEFAULT))).isEqualTo(3);
    // snapshots hold such collections (format version 2: MultiVectorSnapshotsTest)
    assertThat(store.snapshot("c", dir.resolve("c.snapshot")).collections()).containsExactly("c");

    store.createCollection(
        "sharded",
        CollectionConfig.builder(2, Distance.DOT).customSharding(ShardKey.of("a")).build());
    assertThatThrownBy(
            () ->
                Futures.join(
                    mv.createVectorName("sharded", "x", DenseVectorConfig.of(2, Distance.DOT))))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThat(store.collectionInfo("sharded").pointsCount()).isZero();
    // product quantization is supported in a named space too
    Futures.join(
        mv.createVectorName(
            "c",
            "pq",
            DenseVectorConfig.of(8, Distance.DOT)
                .withQuantization(
                    QuantizationConfig.product(QuantizationConfig.Compression.X4, false))));
    assertThat(Futures.join(mv.vectorsConfig("c")).dense()).containsKey("pq");
  }

  @Test
  void aReaderSeesAllOrNoneOfAnUpsertAcrossSpaces() throws Exception {
    create("c", CONFIG);
    MultiVectorPoint both =
        point(
            1,
            Map.of("text", new float[] {1, 0}),
            Map.of("bm25", sv(new int[] {1}, new float[] {1})),
            Map.of("v", "both"));
    MultiVectorPoint image =
        point(1, Map.of("image", new float[] {1, 0, 0}), Map.of(), Map.of("v", "image"));
    upsert("c", both);
    List<Object> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                MultiVectorPoint p = retrieve("c", 1).get(0);
                Set<String> names = p.vectorNames();
                boolean whole =
                    p.payload().get("v").equals("both")
                        ? names.equals(Set.of("text", "bm25"))
                        : names.equals(Set.of("image"));
                if (!whole) {
                  wrong.add(p);
                }
              }
            });
    reader.start();
    try {
      for (int i = 0; i < 2_000; i++) {
        upsert("c", i % 2 == 0 ? image : both);
      }
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aSpaceThatFailsFailsTheWholeCreation() {
    MultiVectorConfig config =
        MultiVectorConfig.of(
            linked(
                "text",
                DenseVectorConfig.of(2, Distance.DOT).withStorageMode(StorageMode.MMAP),
                "broken",
                DenseVectorConfig.of(8, Distance.DOT)),
            Map.of());
    VectorSpaces.SpaceFactory factory =
        (vectorName, space, shared) -> {
          if (vectorName.equals("broken")) {
            throw new IllegalStateException("space " + vectorName + " cannot be made");
          }
          return new MemCollection("x-" + vectorName, space, () -> dir, Kernels.active());
        };
    assertThatThrownBy(() -> MultiVectorCollection.create("x", config, factory))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken");
    // the space made before the failing one left no file behind
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void aSnapshotRestoredOverAMultiVectorCollectionReplacesIt() {
    store.createCollection("plain", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("plain", List.of(PointStruct.of(1, new float[] {1, 0})));
    Path file = dir.resolve("plain.snapshot");
    store.snapshot("plain", file);
    threePoints();
    assertThatThrownBy(() -> store.restore(file, "c"))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    store.restore(file, "c", true);
    assertThat(store.count("c", null)).isEqualTo(1);
    assertThat(Futures.join(mv.vectorsConfig("c")).dense()).containsOnlyKeys("");
  }

  @Test
  void memoryCountsEverySpace() {
    create("m", CONFIG);
    long empty = store.collectionInfo("m").memory().heapBytes();
    upsert(
        "m",
        point(
            1, Map.of(), Map.of("bm25", sv(new int[] {1, 2, 3}, new float[] {1, 1, 1})), Map.of()));
    long withSparse = store.collectionInfo("m").memory().heapBytes();
    assertThat(withSparse).isGreaterThan(empty);
    upsert("m", point(2, Map.of("text", new float[] {1, 1}), Map.of(), Map.of()));
    assertThat(store.collectionInfo("m").memory().heapBytes()).isGreaterThan(withSparse);
    assertThat(store.collectionInfo("m").config().dimension()).isEqualTo(2);
  }
}
