package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The model of named and sparse vectors and of fusion")
class MultiVectorModelTest {

  private static InvalidInputException invalid(Runnable r) {
    try {
      r.run();
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("no InvalidInputException");
  }

  @Nested
  @DisplayName("SparseVector")
  class Sparse {
    @Test
    @DisplayName("sorts its pairs by index, copies its arrays and compares by content")
    void sortsAndCopies() {
      int[] indices = {7, 2, 5};
      float[] values = {0.7f, 0.2f, 0.5f};
      SparseVector v = SparseVector.of(indices, values);
      indices[0] = 99;
      values[0] = 9f;
      assertThat(v.indices()).containsExactly(2, 5, 7);
      assertThat(v.values()).containsExactly(0.2f, 0.5f, 0.7f);
      assertThat(v.size()).isEqualTo(3);
      assertThat(v.indexAt(2)).isEqualTo(7);
      assertThat(v.valueAt(2)).isEqualTo(0.7f);
      v.indices()[0] = 42;
      assertThat(v.indices()).containsExactly(2, 5, 7);
      SparseVector same = SparseVector.of(new int[] {2, 5, 7}, new float[] {0.2f, 0.5f, 0.7f});
      assertThat(v).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(v).isNotEqualTo(SparseVector.of(new int[] {2}, new float[] {0.2f}));
      assertThat(v.toString()).isEqualTo("SparseVector[size=3]");
    }

    @Test
    @DisplayName("the dot product sums over the indices both vectors hold")
    void dot() {
      SparseVector a = SparseVector.of(new int[] {1, 3, 8}, new float[] {1f, 2f, 3f});
      SparseVector b = SparseVector.of(new int[] {0, 3, 8, 9}, new float[] {5f, 0.5f, 2f, 7f});
      assertThat(a.dot(b)).isCloseTo(2f * 0.5f + 3f * 2f, within(1e-9));
      assertThat(b.dot(a)).isCloseTo(a.dot(b), within(1e-12));
      assertThat(a.dot(SparseVector.of(new int[] {2}, new float[] {4f}))).isZero();
      assertThat(SparseVector.of(new int[0], new float[0]).dot(a)).isZero();
    }

    @Test
    @DisplayName("refuses mismatched lengths, negative or repeated indices and non-finite values")
    void refusesBadPairs() {
      assertThat(invalid(() -> SparseVector.of(new int[] {1, 2}, new float[] {1f})).field())
          .isEqualTo("values");
      InvalidInputException negative =
          invalid(() -> SparseVector.of(new int[] {1, -4}, new float[] {1f, 1f}));
      assertThat(negative.field()).isEqualTo("indices[1]");
      assertThat(negative.found()).isEqualTo("-4");
      InvalidInputException twice =
          invalid(() -> SparseVector.of(new int[] {3, 1, 3}, new float[] {1f, 1f, 1f}));
      assertThat(twice.field()).isEqualTo("indices");
      assertThat(twice.found()).contains("index 3 twice");
      assertThat(invalid(() -> SparseVector.of(new int[] {1}, new float[] {Float.NaN})).field())
          .isEqualTo("values[0]");
      assertThatThrownBy(() -> SparseVector.of(null, new float[0]))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  @DisplayName("MultiVectorConfig")
  class Config {
    private final DenseVectorConfig text = DenseVectorConfig.of(4, Distance.COSINE);

    @Test
    @DisplayName("keeps the order of its spaces and answers which names it has")
    void spaces() {
      Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
      dense.put("text", text);
      dense.put("image", DenseVectorConfig.of(8, Distance.DOT));
      MultiVectorConfig c = MultiVectorConfig.of(dense, Map.of("bm25", SparseVectorParams.IDF));
      dense.clear();
      assertThat(c.dense().keySet()).containsExactly("text", "image");
      assertThat(c.hasVector("bm25")).isTrue();
      assertThat(c.hasVector("image")).isTrue();
      assertThat(c.hasVector("")).isFalse();
      MultiVectorConfig more =
          c.withDense("", DenseVectorConfig.of(2, Distance.EUCLID))
              .withSparse("splade", SparseVectorParams.DEFAULT);
      assertThat(more.dense().keySet()).containsExactly("text", "image", "");
      assertThat(more.sparse().keySet()).containsExactly("bm25", "splade");
      assertThat(more.without("text").without("bm25").hasVector("text")).isFalse();
      assertThat(more.without("bm25").sparse().keySet()).containsExactly("splade");
      assertThat(c.optimizers()).isEqualTo(OptimizersConfig.DEFAULT);
      assertThat(c.onDiskPayload()).isFalse();
    }

    @Test
    @DisplayName("from a single-vector config: the dense space \"\" with the collection's settings")
    void fromCollectionConfig() {
      CollectionConfig single = CollectionConfig.memoryOptimized(16, Distance.COSINE);
      MultiVectorConfig c = MultiVectorConfig.from(single);
      assertThat(c.dense().keySet()).containsExactly("");
      assertThat(c.dense().get("")).isEqualTo(DenseVectorConfig.from(single));
      assertThat(c.onDiskPayload()).isTrue();
      assertThat(c.sparse()).isEmpty();
      DenseVectorConfig d = c.dense().get("");
      assertThat(d.dimension()).isEqualTo(16);
      assertThat(d.distance()).isEqualTo(Distance.COSINE);
      CollectionConfig back = d.toCollectionConfig(true, OptimizersConfig.DEFAULT);
      assertThat(back.storageMode()).isEqualTo(StorageMode.MMAP);
      assertThat(back.quantization()).isEqualTo(single.quantization());
      assertThat(back.hnsw()).isEqualTo(single.hnsw());
      assertThat(back.onDiskPayload()).isTrue();
    }

    @Test
    @DisplayName("DenseVectorConfig's withers change one setting; ON_DISK puts the graph on disk")
    void denseWithers() {
      DenseVectorConfig d =
          text.withIndexType(IndexType.FLAT)
              .withQuantization(QuantizationConfig.scalarInt8())
              .withHnsw(HnswConfig.DEFAULT)
              .withStorageMode(StorageMode.ON_DISK);
      assertThat(d.indexType()).isEqualTo(IndexType.FLAT);
      assertThat(d.quantization()).isEqualTo(QuantizationConfig.scalarInt8());
      assertThat(d.storageMode()).isEqualTo(StorageMode.ON_DISK);
      assertThat(d.hnsw().onDisk()).isTrue();
      assertThat(text.hnsw().onDisk()).isFalse();
    }

    @Test
    @DisplayName(
        "denseSpace and sparseSpace find a space or name the field, the spaces and the kind")
    void spaceLookups() {
      MultiVectorConfig c =
          MultiVectorConfig.of(Map.of("text", text), Map.of("bm25", SparseVectorParams.IDF));
      assertThat(c.denseSpace("docs", "text", "using")).isEqualTo(text);
      assertThat(c.sparseSpace("docs", "bm25", "using")).isEqualTo(SparseVectorParams.IDF);
      InvalidInputException sparseAsDense = invalid(() -> c.denseSpace("docs", "bm25", "using"));
      assertThat(sparseAsDense.field()).isEqualTo("using");
      assertThat(sparseAsDense.expected())
          .isEqualTo("a dense vector name of collection docs: [text]");
      assertThat(sparseAsDense.getMessage()).contains("'bm25' is a sparse vector");
      InvalidInputException denseAsSparse =
          invalid(() -> c.sparseSpace("docs", "text", "searches[1].using"));
      assertThat(denseAsSparse.field()).isEqualTo("searches[1].using");
      assertThat(denseAsSparse.expected())
          .isEqualTo("a sparse vector name of collection docs: [bm25]");
      assertThat(denseAsSparse.getMessage()).contains("'text' is a dense vector");
      assertThat(invalid(() -> c.sparseSpace("docs", "nope", "using")).getMessage())
          .doesNotContain("is a dense vector");
    }

    @Test
    @DisplayName("refuses a name in both maps, an empty sparse name and a null space")
    void refusesBadNames() {
      InvalidInputException both =
          invalid(
              () -> MultiVectorConfig.of(Map.of("x", text), Map.of("x", SparseVectorParams.IDF)));
      assertThat(both.field()).isEqualTo("sparse");
      assertThat(both.found()).isEqualTo("\"x\"");
      assertThat(
              invalid(() -> MultiVectorConfig.of(Map.of(), Map.of("", SparseVectorParams.IDF)))
                  .field())
          .isEqualTo("sparse");
      Map<String, DenseVectorConfig> nullSpace = new HashMap<>();
      nullSpace.put("text", null);
      assertThat(invalid(() -> MultiVectorConfig.of(nullSpace, Map.of())).field())
          .isEqualTo("dense[text]");
      assertThatThrownBy(() -> new SparseVectorParams(null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  @DisplayName("MultiVectorPoint")
  class Point {
    @Test
    @DisplayName("copies its vectors in and out and compares by content")
    void copies() {
      float[] v = {1f, 2f};
      SparseVector s = SparseVector.of(new int[] {4}, new float[] {1f});
      MultiVectorPoint p =
          MultiVectorPoint.of(PointId.of(1), Map.of("text", v), Map.of("bm25", s), Map.of("a", 1));
      v[0] = 9f;
      assertThat(p.dense("text")).containsExactly(1f, 2f);
      p.dense().get("text")[1] = 7f;
      assertThat(p.dense("text")).containsExactly(1f, 2f);
      assertThat(p.dense("missing")).isNull();
      assertThat(p.vectorNames()).containsExactly("text", "bm25");
      assertThat(p.payload()).containsEntry("a", 1L);
      MultiVectorPoint same =
          MultiVectorPoint.of(
              PointId.of(1),
              Map.of("text", new float[] {1f, 2f}),
              Map.of("bm25", s),
              Map.of("a", 1));
      assertThat(p).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(p)
          .isNotEqualTo(
              MultiVectorPoint.of(
                  PointId.of(1),
                  Map.of("text", new float[] {1f, 3f}),
                  Map.of("bm25", s),
                  Map.of("a", 1)));
      assertThat(p.toString()).contains("dense=[text]", "sparse=[bm25]");
    }

    @Test
    @DisplayName("refuses non-finite components, a null sparse vector and a name given twice")
    void refuses() {
      assertThat(
              invalid(
                      () ->
                          MultiVectorPoint.of(
                              PointId.of(1),
                              Map.of("text", new float[] {Float.POSITIVE_INFINITY}),
                              Map.of(),
                              Map.of()))
                  .field())
          .startsWith("dense[text]");
      Map<String, SparseVector> nullSparse = new HashMap<>();
      nullSparse.put("bm25", null);
      assertThat(
              invalid(() -> MultiVectorPoint.of(PointId.of(1), Map.of(), nullSparse, Map.of()))
                  .field())
          .isEqualTo("sparse[bm25]");
      SparseVector s = SparseVector.of(new int[] {1}, new float[] {1f});
      assertThat(
              invalid(
                      () ->
                          MultiVectorPoint.of(
                              PointId.of(1),
                              Map.of("x", new float[] {1f}),
                              Map.of("x", s),
                              Map.of()))
                  .field())
          .isEqualTo("sparse[x]");
    }
  }

  @Nested
  @DisplayName("Searches and hybrid queries")
  class Searches {
    private final SparseVector q = SparseVector.of(new int[] {1}, new float[] {1f});

    @Test
    @DisplayName("SparseSearch checks limit, offset and threshold and defaults its payload")
    void sparseSearch() {
      SparseSearch s = SparseSearch.of(q, 3);
      assertThat(s.withPayload()).isEqualTo(PayloadSelector.NONE);
      assertThat(s.withPayload(PayloadSelector.ALL).withPayload()).isEqualTo(PayloadSelector.ALL);
      assertThat(s.withFilter(null).filter()).isNull();
      assertThat(invalid(() -> SparseSearch.of(q, 0)).field()).isEqualTo("limit");
      assertThat(invalid(() -> new SparseSearch(q, 1, -1, null, null, null)).field())
          .isEqualTo("offset");
      assertThat(invalid(() -> new SparseSearch(q, 1, 0, null, Float.NaN, null)).field())
          .isEqualTo("scoreThreshold");
    }

    @Test
    @DisplayName("HybridQuery needs a search, a limit of 1 or more and no null search")
    void hybrid() {
      VectorSearch dense =
          VectorSearch.dense("text", SearchRequest.builder(new float[] {1f}, 5).build());
      VectorSearch sparse = VectorSearch.sparse("bm25", SparseSearch.of(q, 7));
      assertThat(dense.using()).isEqualTo("text");
      assertThat(dense.limit()).isEqualTo(5);
      assertThat(sparse.limit()).isEqualTo(7);
      HybridQuery h = HybridQuery.of(Fusion.RRF, 4, dense, sparse);
      assertThat(h.searches()).containsExactly(dense, sparse);
      assertThat(h.withPayload()).isEqualTo(PayloadSelector.NONE);
      assertThat(h.withPayload(PayloadSelector.ALL).withPayload()).isEqualTo(PayloadSelector.ALL);
      assertThat(invalid(() -> HybridQuery.of(Fusion.RRF, 4)).field()).isEqualTo("searches");
      SearchRequest.Builder paged = SearchRequest.builder(new float[] {1f}, 5).offset(2);
      assertThat(
              invalid(() -> HybridQuery.of(Fusion.RRF, 4, VectorSearch.dense("t", paged.build())))
                  .field())
          .isEqualTo("searches[0].offset");
      SearchRequest withVectors =
          SearchRequest.builder(new float[] {1f}, 5).withVectors(true).build();
      assertThat(
              invalid(
                      () ->
                          HybridQuery.of(
                              Fusion.RRF, 4, dense, VectorSearch.dense("t", withVectors)))
                  .field())
          .isEqualTo("searches[1].withVectors");
      SparseSearch payload = SparseSearch.of(q, 3).withPayload(PayloadSelector.ALL);
      assertThat(
              invalid(() -> HybridQuery.of(Fusion.RRF, 4, VectorSearch.sparse("s", payload)))
                  .field())
          .isEqualTo("searches[0].withPayload");
      SearchRequest densePayload =
          SearchRequest.builder(new float[] {1f}, 5).withPayload(PayloadSelector.ALL).build();
      assertThat(
              invalid(() -> HybridQuery.of(Fusion.RRF, 4, VectorSearch.dense("t", densePayload)))
                  .field())
          .isEqualTo("searches[0].withPayload");
      assertThat(
              invalid(
                      () ->
                          HybridQuery.of(
                              Fusion.RRF,
                              4,
                              VectorSearch.sparse(
                                  "s", new SparseSearch(q, 3, 1, null, null, null))))
                  .field())
          .isEqualTo("searches[0].offset");
      assertThat(invalid(() -> HybridQuery.of(Fusion.DBSF, 0, dense)).field()).isEqualTo("limit");
      assertThat(
              invalid(
                      () ->
                          new HybridQuery(
                              java.util.Arrays.asList(dense, null),
                              Fusion.RRF,
                              1,
                              PayloadSelector.NONE))
                  .field())
          .isEqualTo("searches[1]");
    }
  }

  @Nested
  @DisplayName("FusionScores")
  class Fusing {
    private final PointId a = PointId.of(1);
    private final PointId b = PointId.of(2);
    private final PointId c = PointId.of(3);

    private FusionScores.Ranked r(PointId id, float score) {
      return new FusionScores.Ranked(id, score);
    }

    @Test
    @DisplayName("RRF: 1 / (rank + 2) summed over the lists, ties by id")
    void rrf() {
      List<FusionScores.Ranked> fused =
          FusionScores.fuse(
              Fusion.RRF, List.of(List.of(r(a, 0.9f), r(b, 0.8f)), List.of(r(b, 12f), r(c, 3f))));
      assertThat(fused).extracting(FusionScores.Ranked::id).containsExactly(b, a, c);
      assertThat(fused.get(0).score()).isCloseTo(1f / 3 + 1f / 2, within(1e-6f));
      assertThat(fused.get(1).score()).isCloseTo(1f / 2, within(1e-6f));
      assertThat(fused.get(2).score()).isCloseTo(1f / 3, within(1e-6f));
      List<FusionScores.Ranked> tie =
          FusionScores.fuse(Fusion.RRF, List.of(List.of(r(c, 1f)), List.of(r(a, 1f))));
      assertThat(tie).extracting(FusionScores.Ranked::id).containsExactly(a, c);
    }

    @Test
    @DisplayName("RRF with k and weights: 1 / ((rank + 1) / weight + k - 1); weight 0 adds 0")
    void weightedRrf() {
      List<FusionScores.Ranked> fused =
          FusionScores.rrf(
              List.of(List.of(r(a, 1f), r(b, 1f)), List.of(r(b, 1f))), 60, List.of(2f, 0f));
      assertThat(fused.get(0).id()).isEqualTo(a);
      assertThat(fused.get(0).score()).isCloseTo(1f / (1f / 2 + 59), within(1e-7f));
      assertThat(fused.get(1).score()).isCloseTo(1f / (2f / 2 + 59), within(1e-7f));
      assertThat(invalid(() -> FusionScores.rrf(List.of(List.of()), 2, List.of(1f, 1f))).field())
          .isEqualTo("weights");
    }

    @Test
    @DisplayName("DBSF: each list normalised over mean ± 3 sample deviations, then summed")
    void dbsf() {
      List<FusionScores.Ranked> fused =
          FusionScores.fuse(
              Fusion.DBSF, List.of(List.of(r(a, 3f), r(b, 1f)), List.of(r(c, 5f)), List.of()));
      // list 1: mean 2, sample std sqrt(2): range 2 ± 3·1.41421; list 2: a single point scores 0.5
      double std = Math.sqrt(2);
      double low = 2 - 3 * std;
      double high = 2 + 3 * std;
      assertThat(fused).extracting(FusionScores.Ranked::id).containsExactly(a, c, b);
      assertThat(fused.get(0).score()).isCloseTo((float) ((3 - low) / (high - low)), within(1e-5f));
      assertThat(fused.get(1).score()).isEqualTo(0.5f);
      assertThat(fused.get(2).score()).isCloseTo((float) ((1 - low) / (high - low)), within(1e-5f));
      List<FusionScores.Ranked> flat = FusionScores.dbsf(List.of(List.of(r(a, 2f), r(b, 2f))));
      assertThat(flat).extracting(FusionScores.Ranked::score).containsExactly(0.5f, 0.5f);
      assertThatThrownBy(() -> new FusionScores.Ranked(null, 1f))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
