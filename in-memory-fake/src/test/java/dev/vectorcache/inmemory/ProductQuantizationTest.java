package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.QuantizationConfig.Compression;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Product quantization through the store: recall with rescoring against exact search on the same
 * collection, flat and by graph, mapped codes, deletes and updates, memory. Asserts recall, never
 * time.
 */
class ProductQuantizationTest {
  static final int N = 3000;
  static final int DIM = 64;
  static final double TARGET = 0.9;

  @TempDir Path dir;

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final List<float[]> data = QuantizedSearchTest.clustered(21, N + 50, DIM, 40, 0.6);
  private final List<float[]> queries = data.subList(N, N + 50);

  @AfterEach
  void close() {
    store.close();
  }

  private static CollectionConfig.Builder pq(Distance distance, Compression compression) {
    return CollectionConfig.builder(DIM, distance)
        .quantization(QuantizationConfig.product(compression, true));
  }

  private static List<PointStruct> points(List<float[]> vectors, int from, int to) {
    List<PointStruct> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new PointStruct(PointId.of(i), vectors.get(i), Map.of()));
    }
    return out;
  }

  private String load(InMemoryVectorStore s, String name, CollectionConfig config) {
    s.createCollection(name, config);
    for (int from = 0; from < N; from += 500) {
      s.upsert(name, points(data, from, Math.min(N, from + 500)));
    }
    return name;
  }

  /** recall@10 of the default (quantized, rescored) search against the exact one. */
  private double recall(InMemoryVectorStore s, String c, SearchParams params) {
    return recall(s, c, queries, params);
  }

  private static double recall(
      InMemoryVectorStore s, String c, List<float[]> queries, SearchParams params) {
    int found = 0;
    for (float[] q : queries) {
      Set<PointId> truth = new HashSet<>();
      for (ScoredPoint p :
          s.search(c, SearchRequest.builder(q, 10).params(SearchParams.exactSearch()).build())) {
        truth.add(p.id());
      }
      for (ScoredPoint p : s.search(c, SearchRequest.builder(q, 10).params(params).build())) {
        if (truth.contains(p.id())) {
          found++;
        }
      }
    }
    return found / (10.0 * queries.size());
  }

  private ProductQuantizedIndex codes(InMemoryVectorStore s, String c) {
    QuantizedIndex q = s.collectionFor(c).quantizedIndex();
    assertThat(q).isInstanceOf(ProductQuantizedIndex.class);
    return (ProductQuantizedIndex) q;
  }

  private static ProductCodebook trained(ProductQuantizedIndex ix) {
    ProductCodebook cb = ix.codebook();
    assertThat(cb).as("trained codebooks").isNotNull();
    return java.util.Objects.requireNonNull(cb);
  }

  @ParameterizedTest
  @EnumSource(
      value = Distance.class,
      names = {"COSINE", "DOT", "EUCLID", "MANHATTAN"})
  void aFlatScanWithRescoringRecallsAtLeast90PercentAtX16(Distance distance) {
    String c = load(store, "flat", pq(distance, Compression.X16).indexType(IndexType.FLAT).build());
    ProductQuantizedIndex ix = codes(store, c);
    assertThat(trained(ix).centroids()).isEqualTo(256);
    assertThat(ix.subVectors()).isEqualTo(16);
    assertThat(recall(store, c, SearchParams.DEFAULT)).isGreaterThanOrEqualTo(TARGET);
    // the approximate ranking alone is coarser, yet far better than chance
    assertThat(recall(store, c, SearchParams.DEFAULT.withRescore(false, null)))
        .isGreaterThanOrEqualTo(0.4);
  }

  @ParameterizedTest
  @EnumSource(
      value = Distance.class,
      names = {"COSINE", "DOT", "EUCLID"})
  void aGraphSearchOnCodesWithRescoringRecallsAtLeast90Percent(Distance distance) {
    String c = load(store, "graph", pq(distance, Compression.X16).hnsw(graph()).build());
    MemCollection mc = store.collectionFor(c);
    long before = mc.searches(MemSearch.Outcome.GRAPH);
    assertThat(recall(store, c, SearchParams.DEFAULT)).isGreaterThanOrEqualTo(TARGET);
    assertThat(mc.searches(MemSearch.Outcome.GRAPH) - before).isEqualTo(queries.size());
  }

  /**
   * On tight clusters the codes cannot tell a cluster's members apart: the default oversampling is
   * measured at training and rises above the fixed floor, and recall holds where the floor's does
   * not.
   */
  @Test
  void onTightClustersTheDefaultOversamplingIsMeasuredAndKeepsRecall() {
    List<float[]> tight = QuantizedSearchTest.clustered(5, N + 50, DIM, 8, 0.05);
    store.createCollection(
        "tight", pq(Distance.EUCLID, Compression.X16).indexType(IndexType.FLAT).build());
    store.upsert("tight", points(tight, 0, N));
    ProductQuantizedIndex ix = codes(store, "tight");
    trained(ix);
    assertThat(ix.defaultOversampling())
        .isGreaterThan(ProductQuantizedIndex.DEFAULT_OVERSAMPLING)
        .isLessThanOrEqualTo(64);
    List<float[]> probes = tight.subList(N, N + 50);
    double measured = recall(store, "tight", probes, SearchParams.DEFAULT);
    double floor =
        recall(
            store,
            "tight",
            probes,
            SearchParams.DEFAULT.withRescore(true, ProductQuantizedIndex.DEFAULT_OVERSAMPLING));
    assertThat(measured).isGreaterThanOrEqualTo(0.95).isGreaterThan(floor);
  }

  @Test
  void onSpreadDataTheMeasuredOversamplingStaysLow() {
    String c =
        load(
            store,
            "spread",
            pq(Distance.COSINE, Compression.X16).indexType(IndexType.FLAT).build());
    assertThat(codes(store, c).defaultOversampling()).isBetween(4.0, 12.0);
  }

  /** A graph from the first point (full-scan threshold 0). */
  private static HnswConfig graph() {
    return new HnswConfig(16, 100, 0, false);
  }

  @Test
  void rescoredHitsCarryExactScoresAndApproximateOnesDoNot() {
    String c = load(store, "scores", pq(Distance.EUCLID, Compression.X32).build());
    float[] q = queries.get(0);
    List<ScoredPoint> rescored = store.search(c, SearchRequest.builder(q, 10).build());
    assertThat(rescored).hasSize(10);
    for (ScoredPoint p : rescored) {
      assertThat(p.score()).isCloseTo(euclid(q, data.get((int) id(p))), within(1e-4f));
    }
    List<ScoredPoint> approximate =
        store.search(
            c,
            SearchRequest.builder(q, 10)
                .params(SearchParams.DEFAULT.withRescore(false, null))
                .build());
    int differ = 0;
    for (ScoredPoint p : approximate) {
      if (Math.abs(p.score() - euclid(q, data.get((int) id(p)))) > 1e-3f) {
        differ++;
      }
    }
    assertThat(differ).isPositive();
  }

  private static long id(ScoredPoint p) {
    return p.id().num();
  }

  private static float euclid(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) (a[i] - b[i]) * (a[i] - b[i]);
    }
    return (float) Math.sqrt(s);
  }

  @Test
  void mappedCodesRecallAsHeapCodesAndCountAsMappedBytes() {
    try (InMemoryVectorStore mapped = new InMemoryVectorStore(dir)) {
      String c =
          load(
              mapped,
              "mapped",
              CollectionConfig.builder(DIM, Distance.COSINE)
                  .storageMode(StorageMode.MMAP)
                  .indexType(IndexType.FLAT)
                  .quantization(QuantizationConfig.product(Compression.X16, false))
                  .build());
      String heap = load(store, "heap", pq(Distance.COSINE, Compression.X16).build());
      assertThat(recall(mapped, c, SearchParams.DEFAULT)).isGreaterThanOrEqualTo(TARGET);
      ProductQuantizedIndex ix = codes(mapped, c);
      assertThat(ix.mappedBytes()).isGreaterThanOrEqualTo((long) N * 16);
      assertThat(mapped.collectionInfo(c).memory().mappedBytes())
          .isGreaterThanOrEqualTo((long) N * (16 + 4 * DIM));
      // the same vectors in the same order train the same codebooks
      assertThat(trained(ix).book()).containsExactly(trained(codes(store, heap)).book());
    }
  }

  @Test
  void deletedPointsLeaveAndUpdatedOnesAreFoundAtTheirNewPlace() {
    String c = load(store, "writes", pq(Distance.DOT, Compression.X16).build());
    List<PointId> gone = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      gone.add(PointId.of(i));
    }
    store.delete(c, gone);
    assertThat(store.count(c, null)).isEqualTo(N - 300);
    for (int i = 0; i < 300; i += 10) {
      for (ScoredPoint p : store.search(c, SearchRequest.builder(data.get(i), 10).build())) {
        assertThat(gone).doesNotContain(p.id());
      }
    }
    // point 1000 takes the vector of query 0, scaled up: the best Dot hit by far
    float[] moved = queries.get(0).clone();
    for (int i = 0; i < DIM; i++) {
      moved[i] *= 3f;
    }
    store.upsert(c, List.of(new PointStruct(PointId.of(1000), moved, Map.of())));
    ScoredPoint top = store.search(c, SearchRequest.builder(queries.get(0), 1).build()).get(0);
    assertThat(top.id()).isEqualTo(PointId.of(1000));
    float dot = 0;
    for (int i = 0; i < DIM; i++) {
      dot += moved[i] * queries.get(0)[i];
    }
    assertThat(top.score()).isCloseTo(dot, within(1e-3f * Math.abs(dot)));
    assertThat(recall(store, c, SearchParams.DEFAULT)).isGreaterThanOrEqualTo(TARGET);
  }

  @Test
  void aRestoredSnapshotTrainsItsOwnCodebooksAndRecallsAsWell() {
    String c = load(store, "saved", pq(Distance.COSINE, Compression.X16).build());
    Path file = dir.resolve("pq.snapshot");
    store.snapshot(c, file);
    store.restore(file, "restored");
    // the codes and codebooks are not in the file: the restore trains on the restored points
    ProductQuantizedIndex restored = codes(store, "restored");
    assertThat(trained(restored).centroids()).isEqualTo(256);
    assertThat(restored.trainings()).isPositive();
    assertThat(recall(store, "restored", SearchParams.DEFAULT)).isGreaterThanOrEqualTo(TARGET);
    assertThat(store.collectionInfo("restored").config())
        .isEqualTo(store.collectionInfo(c).config());
  }

  @Test
  void aSmallCollectionIsScoredExactlyUntilTrained() {
    store.createCollection("small", pq(Distance.EUCLID, Compression.X64).build());
    store.upsert("small", points(data, 0, 200));
    assertThat(codes(store, "small").codebook()).isNull();
    float[] q = queries.get(1);
    List<ScoredPoint> exact =
        store.search(
            "small", SearchRequest.builder(q, 5).params(SearchParams.exactSearch()).build());
    List<ScoredPoint> approximate =
        store.search(
            "small",
            SearchRequest.builder(q, 5)
                .params(SearchParams.DEFAULT.withRescore(false, null))
                .build());
    assertThat(approximate).isEqualTo(exact);
  }

  @Test
  void infoEchoesTheConfigAndMemoryReflectsTheCodeSize() {
    assertThat(store.isSupported(Capability.PRODUCT_QUANTIZATION)).isTrue();
    CollectionConfig config = pq(Distance.COSINE, Compression.X16).build();
    String c = load(store, "memory", config);
    CollectionInfo info = store.collectionInfo(c);
    assertThat(info.config()).isEqualTo(config);
    assertThat(info.pointsCount()).isEqualTo(N);
    ProductQuantizedIndex ix = codes(store, c);
    // 16 bytes of code per vector plus the codebooks (64 × 256 floats and the norms)
    long codebooks = trained(ix).bytes();
    assertThat(codebooks).isGreaterThanOrEqualTo(4L * DIM * 256);
    assertThat(ix.heapBytes()).isGreaterThanOrEqualTo((long) N * 16 + codebooks);
    assertThat(ix.heapBytes()).isLessThan((long) N * 16 * 2 + codebooks + 1024);
    String int8 =
        load(
            store,
            "int8",
            CollectionConfig.builder(DIM, Distance.COSINE)
                .quantization(QuantizationConfig.scalarInt8(0.99f, true))
                .build());
    QuantizedIndex int8Codes = store.collectionFor(int8).quantizedIndex();
    assertThat(int8Codes).isInstanceOf(ScalarInt8Index.class);
    assertThat(ix.heapBytes()).isLessThan(java.util.Objects.requireNonNull(int8Codes).heapBytes());
    assertThat(info.memory().heapBytes())
        .isLessThan(store.collectionInfo(int8).memory().heapBytes());
  }
}
