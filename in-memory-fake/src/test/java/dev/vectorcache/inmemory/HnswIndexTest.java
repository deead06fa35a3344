package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the HNSW index changes in the engine's semantics: when a graph exists, upserts that replace,
 * deletes, repair, plans, memory, concurrency, files. Small seeded collections; a {@code
 * full_scan_threshold} of 0 builds the graph from the first point.
 */
class HnswIndexTest {
  static final int DIM = 16;

  @TempDir Path dir;
  private InMemoryVectorStore store;

  private InMemoryVectorStore store() {
    if (store == null) {
      store = new InMemoryVectorStore(dir);
    }
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static CollectionConfig graphFromTheStart(Distance distance) {
    return CollectionConfig.builder(DIM, distance).hnsw(new HnswConfig(8, 40, 0, false)).build();
  }

  private String load(String name, CollectionConfig config, VectorSets data) {
    store().createCollection(name, config);
    data.load(store(), name, 0, data.points.length);
    return name;
  }

  @Test
  void aSmallCollectionBuildsNoGraphAndIsScannedExactly() {
    VectorSets data = VectorSets.random(1, 1_000, 5, DIM);
    // the default threshold is 10,000 KB: 160,000 vectors of 16 dimensions
    String c = load("small", CollectionConfig.builder(DIM, Distance.COSINE).build(), data);
    String flat =
        load(
            "flat",
            CollectionConfig.builder(DIM, Distance.COSINE).indexType(IndexType.FLAT).build(),
            data);
    String noGraph =
        load(
            "m0",
            CollectionConfig.builder(DIM, Distance.COSINE)
                .hnsw(new HnswConfig(0, 100, 0, false))
                .build(),
            data);
    assertThat(store().collectionFor(c).hnswIndex().active()).isFalse();
    assertThat(store().collectionFor(flat).hnswIndex()).isNull();
    assertThat(store().collectionFor(noGraph).hnswIndex()).isNull();
    assertThat(data.answers(store(), c, 10, null, SearchParams.DEFAULT))
        .isEqualTo(data.answers(store(), flat, 10, null, SearchParams.DEFAULT))
        .isEqualTo(data.answers(store(), noGraph, 10, null, SearchParams.DEFAULT));
    assertThat(store().collectionFor(c).searches(MemSearch.Outcome.EXACT)).isEqualTo(5);
    assertThat(store().collectionFor(c).searches(MemSearch.Outcome.GRAPH)).isZero();
  }

  @Test
  void theGraphIsBuiltWhenTheCollectionReachesTheThreshold() {
    // 1 KB = 16 vectors of 16 dimensions
    VectorSets data = VectorSets.random(2, 40, 3, DIM);
    String c = "grows";
    store()
        .createCollection(
            c,
            CollectionConfig.builder(DIM, Distance.DOT)
                .hnsw(new HnswConfig(4, 16, 1, false))
                .build());
    data.load(store(), c, 0, 15);
    HnswIndex index = store().collectionFor(c).hnswIndex();
    assertThat(index.active()).isFalse();
    assertThat(index.thresholdVectors()).isEqualTo(16);
    data.load(store(), c, 15, 40);
    assertThat(index.active()).isTrue();
    assertThat(index.graph().store().nodeCount()).isEqualTo(40);
    assertThat(index.pendingSlots()).isZero();
    data.answers(store(), c, 5, null, SearchParams.DEFAULT);
    assertThat(store().collectionFor(c).searches(MemSearch.Outcome.GRAPH)).isEqualTo(3);
    // exact=true scans even with a graph
    data.answers(store(), c, 5, null, SearchParams.exactSearch());
    assertThat(store().collectionFor(c).searches(MemSearch.Outcome.EXACT)).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Distance.class)
  void aGraphSearchFindsWhatTheExactScanFinds(Distance distance) {
    VectorSets data = VectorSets.clustered(3, 600, 1, DIM, 6, 0.3);
    String c = load("own-" + distance, graphFromTheStart(distance), data);
    for (int i = 0; i < 600; i += 7) {
      SearchRequest.Builder r = SearchRequest.builder(data.points[i], 1);
      List<ScoredPoint> hits = store().search(c, r.build());
      List<ScoredPoint> exact = store().search(c, r.params(SearchParams.exactSearch()).build());
      assertThat(hits).isEqualTo(exact);
    }
    assertThat(store().collectionFor(c).searches(MemSearch.Outcome.GRAPH)).isEqualTo(86);
  }

  @Test
  void anUpsertOfAnExistingIdReplacesThePoint() {
    VectorSets data = VectorSets.random(4, 500, 1, DIM);
    String c = load("replace", graphFromTheStart(Distance.COSINE), data);
    float[] old = data.points[3];
    float[] fresh = data.points[400].clone();
    fresh[0] += 0.01f;
    store().upsert(c, List.of(new PointStruct(PointId.of(3), fresh, Map.of("v", 2L))));
    assertThat(store().count(c, null)).isEqualTo(500);
    assertThat(store().collectionFor(c).hnswIndex().zombieCount()).isEqualTo(1);
    List<ScoredPoint> nearFresh = store().search(c, SearchRequest.builder(fresh, 2).build());
    assertThat(nearFresh).extracting(ScoredPoint::id).contains(PointId.of(3));
    for (ScoredPoint p : store().search(c, SearchRequest.builder(old, 10).build())) {
      assertThat(p.score()).as("the old vector is gone").isLessThan(0.999f);
    }
    var got = store().retrieve(c, List.of(PointId.of(3)), PayloadSelector.ALL, false);
    assertThat(got.get(0).payload()).containsEntry("v", 2L);
  }

  @Test
  void deletedPointsLeaveResultsAtOnceAndARepairFreesTheirSlots() {
    VectorSets data = VectorSets.random(5, 1_000, 1, DIM);
    String c = load("delete", graphFromTheStart(Distance.EUCLID), data);
    MemCollection mc = store().collectionFor(c);
    int slots = mc.slotLimit();
    List<PointId> first = ids(0, 50);
    store().delete(c, first);
    assertThat(mc.hnswIndex().zombieCount()).as("5 %: below the repair share").isEqualTo(50);
    for (int i = 0; i < 50; i++) {
      for (ScoredPoint p : store().search(c, SearchRequest.builder(data.points[i], 5).build())) {
        assertThat(first).doesNotContain(p.id());
      }
    }
    store().deleteByFilter(c, Filter.must(Condition.range(VectorSets.BUCKET, range(50, 110))));
    assertThat(store().count(c, null)).isEqualTo(890);
    assertThat(mc.hnswIndex().zombieCount()).as("11 %: repaired and freed").isZero();
    data.load(store(), c, 0, 110);
    assertThat(mc.slotLimit()).as("the freed slots were reused").isEqualTo(slots);
    for (int i = 0; i < 110; i += 3) {
      assertThat(store().search(c, SearchRequest.builder(data.points[i], 1).build()).get(0).id())
          .isEqualTo(PointId.of(i));
    }
  }

  private static dev.vectorcache.core.filter.Range range(double from, double below) {
    return new dev.vectorcache.core.filter.Range(below, null, from, null);
  }

  private static List<PointId> ids(int from, int to) {
    List<PointId> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(PointId.of(i));
    }
    return out;
  }

  @Test
  void deletingEveryPointEmptiesTheGraphAndItGrowsAgain() {
    VectorSets data = VectorSets.random(6, 200, 1, DIM);
    String c = load("empty", graphFromTheStart(Distance.DOT), data);
    store().delete(c, ids(0, 200));
    HnswIndex index = store().collectionFor(c).hnswIndex();
    assertThat(index.zombieCount()).isZero();
    assertThat(index.graph().store().entry()).isEqualTo(-1);
    assertThat(store().search(c, SearchRequest.builder(data.points[0], 3).build())).isEmpty();
    data.load(store(), c, 0, 200);
    assertThat(store().search(c, SearchRequest.builder(data.points[9], 1).build()).get(0).id())
        .isEqualTo(PointId.of(9));
  }

  @Test
  void quantizedCollectionsTraverseCodesAndRescore() {
    VectorSets data = VectorSets.clustered(7, 800, 20, DIM, 8, 0.4);
    for (QuantizationConfig q :
        List.of(QuantizationConfig.scalarInt8(0.99f, false), QuantizationConfig.binary(false))) {
      String c =
          load(
              "q-" + q.type(),
              CollectionConfig.builder(DIM, Distance.COSINE)
                  .storageMode(dev.vectorcache.core.model.StorageMode.MMAP)
                  .hnsw(new HnswConfig(8, 40, 0, true))
                  .quantization(q)
                  .build(),
              data);
      List<Set<PointId>> truth = data.truth(10, i -> true);
      SearchParams wide = new SearchParams(null, false, false, null, 20.0);
      assertThat(VectorSets.recall(data.answers(store(), c, 10, null, wide), truth))
          .as(q.type().toString())
          .isGreaterThanOrEqualTo(0.9);
      // a filter keeping a tenth on codes, then the exact scan of the matching points
      Filter tenth = Filter.must(Condition.range(VectorSets.BUCKET, range(0, 80)));
      assertThat(data.answers(store(), c, 5, tenth, SearchParams.DEFAULT.withRescore(false, null)))
          .allSatisfy(a -> assertThat(a).hasSize(5));
      assertThat(store().collectionInfo(c).memory().mappedBytes())
          .as("vectors, codes and graph mapped")
          .isGreaterThan(800L * DIM * 4 + 800L * (2 * 8 + 3) * 4);
    }
  }

  @Test
  void concurrentWritersAndReadersNeverSeeATornGraph() throws Exception {
    VectorSets data = VectorSets.random(8, 4_000, 50, DIM);
    String c = "concurrent";
    store()
        .createCollection(
            c,
            CollectionConfig.builder(DIM, Distance.COSINE)
                .hnsw(new HnswConfig(8, 40, 0, false, 2))
                .build());
    data.load(store(), c, 0, 500);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int from = 500 + w * 1_000;
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = from; i < from + 1_000; i += 50) {
                        data.load(store(), c, i, i + 50);
                        store().delete(c, List.of(PointId.of(i + 1)));
                      }
                      return null;
                    }));
      }
      for (int r = 0; r < 3; r++) {
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = 0; i < 300; i++) {
                        float[] q = data.queries[i % data.queries.length];
                        List<ScoredPoint> hits =
                            store().search(c, SearchRequest.builder(q, 10).build());
                        Set<PointId> seen = new HashSet<>();
                        float last = Float.MAX_VALUE;
                        for (ScoredPoint p : hits) {
                          assertThat(seen.add(p.id())).as("no duplicate").isTrue();
                          assertThat(p.score()).isLessThanOrEqualTo(last);
                          last = p.score();
                        }
                        assertThat(hits).hasSize(10);
                      }
                      return null;
                    }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store().count(c, null)).isEqualTo(3_500 - 60);
    assertThat(store().collectionFor(c).hnswIndex().pendingSlots()).isZero();
    for (int i = 0; i < 3_500; i += 97) {
      if (i < 500 || (i - 500) % 50 != 1) {
        assertThat(store().search(c, SearchRequest.builder(data.points[i], 1).build()).get(0).id())
            .isEqualTo(PointId.of(i));
      }
    }
  }

  @Test
  void theGraphsFilesGoWithTheCollection() throws Exception {
    VectorSets data = VectorSets.random(9, 300, 1, DIM);
    load(
        "files",
        CollectionConfig.builder(DIM, Distance.COSINE).hnsw(new HnswConfig(8, 40, 0, true)).build(),
        data);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".hnsw"))
          .anyMatch(n -> n.endsWith(".hnswu"));
    }
    store().deleteCollection("files");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
