package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Quantized search: recall against exact search, search parameters, calibration. */
class QuantizedSearchTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();

  @AfterEach
  void close() {
    store.close();
  }

  /** {@code n} points around {@code clusters} Gaussian centres; seeded. */
  static List<float[]> clustered(long seed, int n, int dim, int clusters, double spread) {
    Random r = new Random(seed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) r.nextGaussian();
      }
    }
    List<float[]> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      float[] c = centres[r.nextInt(clusters)];
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) {
        v[i] = (float) (c[i] + spread * r.nextGaussian());
      }
      out.add(v);
    }
    return out;
  }

  private String load(CollectionConfig config, List<float[]> vectors) {
    String name = "c" + System.nanoTime();
    store.createCollection(name, config);
    List<PointStruct> batch = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      batch.add(new PointStruct(PointId.of(i), vectors.get(i), Map.of()));
      if (batch.size() == 500) {
        store.upsert(name, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.upsert(name, batch);
    }
    return name;
  }

  private double recallAt10(
      String quantized, String exact, List<float[]> queries, SearchParams params) {
    int found = 0;
    for (float[] q : queries) {
      Set<PointId> truth = new HashSet<>();
      for (ScoredPoint p : store.search(exact, SearchRequest.builder(q, 10).build())) {
        truth.add(p.id());
      }
      for (ScoredPoint p :
          store.search(quantized, SearchRequest.builder(q, 10).params(params).build())) {
        if (truth.contains(p.id())) {
          found++;
        }
      }
    }
    return found / (10.0 * queries.size());
  }

  @ParameterizedTest
  @EnumSource(
      value = Distance.class,
      names = {"COSINE", "DOT", "EUCLID", "MANHATTAN"})
  void int8WithRescoringRecallsAtLeast95PercentOnClusteredData(Distance distance) {
    List<float[]> data = clustered(1, 2000, 384, 40, 0.6);
    List<float[]> queries = clustered(1, 2050, 384, 40, 0.6).subList(2000, 2050);
    String exact = load(CollectionConfig.builder(384, distance).build(), data);
    String int8 =
        load(
            CollectionConfig.builder(384, distance)
                .quantization(QuantizationConfig.scalarInt8(0.99f, true))
                .build(),
            data);
    assertThat(recallAt10(int8, exact, queries, SearchParams.DEFAULT)).isGreaterThanOrEqualTo(0.95);
    // without rescoring the approximate ranking alone still finds most neighbours
    assertThat(recallAt10(int8, exact, queries, SearchParams.DEFAULT.withRescore(false, null)))
        .isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void binaryWithRescoringRecallsAtLeast80PercentOn256Dims() {
    List<float[]> data = clustered(2, 2000, 256, 40, 0.6);
    List<float[]> queries = clustered(2, 2050, 256, 40, 0.6).subList(2000, 2050);
    String exact = load(CollectionConfig.builder(256, Distance.COSINE).build(), data);
    String binary =
        load(
            CollectionConfig.builder(256, Distance.COSINE)
                .storageMode(StorageMode.MMAP)
                .quantization(QuantizationConfig.binary(true))
                .build(),
            data);
    assertThat(recallAt10(binary, exact, queries, SearchParams.DEFAULT))
        .isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void rescoredHitsCarryExactScoresAndExactSearchMatchesFloat() {
    List<float[]> data = clustered(3, 1000, 64, 10, 0.5);
    String exact = load(CollectionConfig.builder(64, Distance.DOT).build(), data);
    String int8 =
        load(
            CollectionConfig.builder(64, Distance.DOT)
                .quantization(QuantizationConfig.scalarInt8())
                .build(),
            data);
    float[] q = data.get(17);
    List<ScoredPoint> truth = store.search(exact, SearchRequest.builder(q, 5).build());
    List<ScoredPoint> rescored = store.search(int8, SearchRequest.builder(q, 5).build());
    for (ScoredPoint p : rescored) {
      float expected = 0;
      float[] v = data.get((int) p.id().num());
      for (int i = 0; i < 64; i++) {
        expected += q[i] * v[i];
      }
      assertThat(p.score()).isCloseTo(expected, within(1e-3f));
    }
    assertThat(rescored.get(0).id()).isEqualTo(truth.get(0).id());
    // exact=true and ignoreQuantization=true search the originals
    assertThat(
            store.search(
                int8, SearchRequest.builder(q, 5).params(SearchParams.exactSearch()).build()))
        .isEqualTo(truth);
    assertThat(
            store.search(
                int8,
                SearchRequest.builder(q, 5)
                    .params(new SearchParams(null, false, true, null, null))
                    .build()))
        .isEqualTo(truth);
  }

  @Test
  void withoutRescoringScoresAreApproximate() {
    List<float[]> data = clustered(4, 500, 128, 5, 0.5);
    String int8 =
        load(
            CollectionConfig.builder(128, Distance.DOT)
                .quantization(QuantizationConfig.scalarInt8())
                .build(),
            data);
    float[] q = data.get(3);
    ScoredPoint approx =
        store
            .search(
                int8,
                SearchRequest.builder(q, 1)
                    .params(SearchParams.DEFAULT.withRescore(false, null))
                    .build())
            .get(0);
    float exact = 0;
    float[] v = data.get((int) approx.id().num());
    for (int i = 0; i < 128; i++) {
      exact += q[i] * v[i];
    }
    // close (int8 error is about 1%), but not the float score
    assertThat(approx.score()).isCloseTo(exact, within(Math.abs(exact) * 0.05f));
    assertThat(approx.score()).isNotEqualTo(exact);
  }

  @Test
  void oversamplingOfOneRescoresOnlyTheQuantizedTopK() {
    List<float[]> data = clustered(5, 1000, 32, 2, 1.0);
    String bin =
        load(
            CollectionConfig.builder(32, Distance.COSINE)
                .quantization(QuantizationConfig.binary(true))
                .build(),
            data);
    float[] q = data.get(0);
    List<ScoredPoint> one =
        store.search(
            bin,
            SearchRequest.builder(q, 10)
                .params(SearchParams.DEFAULT.withRescore(true, 1.0))
                .build());
    List<ScoredPoint> approx =
        store.search(
            bin,
            SearchRequest.builder(q, 10)
                .params(SearchParams.DEFAULT.withRescore(false, null))
                .build());
    // the same ten candidates, re-ranked by their exact scores
    assertThat(one)
        .extracting(ScoredPoint::id)
        .containsExactlyInAnyOrderElementsOf(approx.stream().map(ScoredPoint::id).toList());
  }

  @Test
  void int8RangeIsRecalibratedWhenTheCollectionDoublesOrDrifts() {
    String c = "calib";
    store.createCollection(
        c,
        CollectionConfig.builder(8, Distance.EUCLID)
            .quantization(QuantizationConfig.scalarInt8(0.95f, true))
            .build());
    ScalarInt8Index index = (ScalarInt8Index) store.collectionFor(c).quantizedIndex();
    List<float[]> small = clustered(6, 100, 8, 1, 0.1);
    List<PointStruct> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(new PointStruct(PointId.of(i), small.get(i), Map.of()));
    }
    store.upsert(c, batch);
    assertThat(index.calibrations()).isEqualTo(1);
    float hiBefore = index.hi();
    // 40 more points from the same distribution: neither rule fires
    List<PointStruct> more = new ArrayList<>();
    List<float[]> same = clustered(6, 140, 8, 1, 0.1).subList(100, 140);
    for (int i = 0; i < 40; i++) {
      more.add(new PointStruct(PointId.of(100 + i), same.get(i), Map.of()));
    }
    store.upsert(c, more);
    assertThat(index.calibrations()).isEqualTo(1);
    // 30 points far outside the range: drift, recalibrated although the size did not double
    List<PointStruct> drift = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      float[] v = new float[8];
      java.util.Arrays.fill(v, 50f + i);
      drift.add(new PointStruct(PointId.of(200 + i), v, Map.of()));
    }
    store.upsert(c, drift);
    assertThat(index.calibrations()).isEqualTo(2);
    assertThat(index.hi()).isGreaterThan(hiBefore);
    // doubling the collection recalibrates
    List<PointStruct> dbl = new ArrayList<>();
    List<float[]> extra = clustered(7, 170, 8, 1, 0.1);
    for (int i = 0; i < 170; i++) {
      dbl.add(new PointStruct(PointId.of(1000 + i), extra.get(i), Map.of()));
    }
    store.upsert(c, dbl);
    assertThat(index.calibrations()).isEqualTo(3);
    // and the nearest neighbour of a drifted point is still found with an exact score
    ScoredPoint hit =
        store.search(c, SearchRequest.builder(drift.get(5).vector(), 1).build()).get(0);
    assertThat(hit.id()).isEqualTo(PointId.of(205));
    assertThat(hit.score()).isCloseTo(0f, within(1e-6f));
  }
}
