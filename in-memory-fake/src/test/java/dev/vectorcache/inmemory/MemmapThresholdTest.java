package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Qdrant's {@code memmap_threshold}: an in-memory collection whose vectors reach the threshold
 * (kilobytes of vector data) moves them to a memory-mapped file on the write that crosses it, and
 * answers the same searches afterwards; 0 or unset never moves them.
 */
class MemmapThresholdTest {
  static final int DIM = 64; // 256 bytes a vector: 4 vectors a kilobyte

  private final InMemoryVectorStore store = new InMemoryVectorStore();

  @AfterEach
  void close() {
    store.close();
  }

  private static CollectionConfig config(
      @Nullable Long thresholdKb, @Nullable QuantizationConfig q) {
    return CollectionConfig.builder(DIM, Distance.COSINE)
        .indexType(IndexType.FLAT)
        .quantization(q)
        .optimizers(new OptimizersConfig(thresholdKb, null, null))
        .build();
  }

  private static List<PointStruct> points(int n, long seed) {
    Random r = new Random(seed);
    List<PointStruct> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) r.nextGaussian();
      }
      out.add(PointStruct.of(PointId.of(i), v, Map.of("i", (long) i)));
    }
    return out;
  }

  private List<List<ScoredPoint>> searches(String c) {
    Random r = new Random(11);
    List<List<ScoredPoint>> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      float[] q = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        q[d] = (float) r.nextGaussian();
      }
      out.add(store.search(c, SearchRequest.builder(q, 10).withPayload(true).build()));
    }
    return out;
  }

  private static void assertSame(List<List<ScoredPoint>> a, List<List<ScoredPoint>> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      List<ScoredPoint> x = a.get(i);
      List<ScoredPoint> y = b.get(i);
      assertThat(x.stream().map(ScoredPoint::id).toList())
          .isEqualTo(y.stream().map(ScoredPoint::id).toList());
      for (int j = 0; j < x.size(); j++) {
        assertThat(x.get(j).score()).isCloseTo(y.get(j).score(), within(1e-5f));
        assertThat(x.get(j).payload()).isEqualTo(y.get(j).payload());
      }
    }
  }

  private void crossesOnTheWriteThatReachesIt(@Nullable QuantizationConfig q) {
    store.createCollection("t", config(64L, q)); // 64 KB: 256 vectors of 64 floats
    store.createCollection("ram", config(null, q));
    List<PointStruct> pts = points(300, 5);
    store.upsert("t", pts.subList(0, 255));
    store.upsert("ram", pts.subList(0, 255));
    MemCollection t = store.collectionFor("t");
    assertThat(t.vectorsMapped()).isFalse();
    assertThat(store.collectionInfo("t").memory().mappedBytes()).isZero();
    // re-upserting a stored point adds no vector
    store.upsert("t", pts.subList(0, 1));
    store.upsert("ram", pts.subList(0, 1));
    assertThat(t.vectorsMapped()).isFalse();
    assertSame(searches("t"), searches("ram"));

    store.upsert("t", pts.subList(255, 256)); // 256 × 256 bytes = 64 KB
    store.upsert("ram", pts.subList(255, 256));
    assertThat(t.vectorsMapped()).isTrue();
    assertThat(store.collectionInfo("t").memory().mappedBytes())
        .isGreaterThanOrEqualTo(256L * DIM * 4);
    assertThat(store.collectionInfo("t").memory().heapBytes())
        .isLessThan(store.collectionInfo("ram").memory().heapBytes());
    assertSame(searches("t"), searches("ram"));

    // and it goes on taking writes and deletes in the mapped file
    store.upsert("t", pts.subList(256, 300));
    store.upsert("ram", pts.subList(256, 300));
    store.delete("t", List.of(PointId.of(3), PointId.of(280)));
    store.delete("ram", List.of(PointId.of(3), PointId.of(280)));
    assertSame(searches("t"), searches("ram"));
    assertThat(
            store
                .retrieve("t", List.of(PointId.of(290)), PayloadSelector.ALL, true)
                .get(0)
                .vector())
        .isEqualTo(
            store
                .retrieve("ram", List.of(PointId.of(290)), PayloadSelector.ALL, true)
                .get(0)
                .vector());
  }

  @Test
  void crossingTheThresholdMapsTheVectors() {
    crossesOnTheWriteThatReachesIt(null);
  }

  @Test
  void quantizedCollectionsRescoreFromTheMappedOriginals() {
    crossesOnTheWriteThatReachesIt(QuantizationConfig.scalarInt8());
  }

  @Test
  void zeroOrUnsetNeverMaps() {
    store.createCollection("zero", config(0L, null));
    store.createCollection("unset", config(null, null));
    List<PointStruct> pts = points(600, 6);
    store.upsert("zero", pts);
    store.upsert("unset", pts);
    assertThat(store.collectionFor("zero").vectorsMapped()).isFalse();
    assertThat(store.collectionFor("unset").vectorsMapped()).isFalse();
    assertThat(store.collectionInfo("zero").memory().mappedBytes()).isZero();
  }
}
