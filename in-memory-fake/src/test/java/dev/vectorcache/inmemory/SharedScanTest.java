package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flat scan of a collection past {@link MemSearch#PARALLEL_MIN_SLOTS} is shared between the
 * caller and a pool thread; its answers are still the exact ones, with a broad filter too, and also
 * when many searches run at once (the pool busy, callers scanning alone).
 */
class SharedScanTest {
  static final int N = MemSearch.PARALLEL_MIN_SLOTS + 7_777; // not a whole number of chunks
  static final int DIM = 16;
  static final int K = 10;
  static final Filter NINETY = Filter.must(Condition.range(VectorSets.BUCKET, Range.lt(900)));

  @TempDir static Path dir;
  static InMemoryVectorStore store;
  static VectorSets data;

  @BeforeAll
  static void load() {
    store = new InMemoryVectorStore(dir);
    store.createCollection(
        "flat", CollectionConfig.builder(DIM, Distance.COSINE).indexType(IndexType.FLAT).build());
    data = VectorSets.random(41, N, 24, DIM);
    data.load(store, "flat", 0, N);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void aSharedScanFindsTheExactNeighbours() {
    List<List<ScoredPoint>> answers = data.answers(store, "flat", K, null, SearchParams.DEFAULT);
    assertThat(answers).allSatisfy(hits -> assertThat(hits).hasSize(K));
    // one near-tie may rank differently between the SIMD kernel and the test's scalar sum
    assertThat(VectorSets.recall(answers, data.truth(K, i -> true))).isGreaterThanOrEqualTo(0.995);
    assertThat(answers)
        .allSatisfy(
            hits -> {
              for (int i = 1; i < hits.size(); i++) {
                assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
              }
            });
  }

  @Test
  void aSharedScanAppliesABroadFilterToTheHitsOfBothHalves() {
    List<List<ScoredPoint>> answers = data.answers(store, "flat", K, NINETY, SearchParams.DEFAULT);
    assertThat(answers)
        .allSatisfy(
            hits ->
                assertThat(hits)
                    .hasSize(K)
                    .allSatisfy(
                        h -> assertThat(VectorSets.bucket((int) h.id().num())).isLessThan(900)));
    assertThat(VectorSets.recall(answers, data.truth(K, i -> VectorSets.bucket(i) < 900)))
        .isGreaterThanOrEqualTo(0.995);
  }

  @Test
  void concurrentSharedScansGiveTheAnswersOfOneAtATime() throws Exception {
    List<List<ScoredPoint>> alone = data.answers(store, "flat", K, NINETY, SearchParams.DEFAULT);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<List<ScoredPoint>>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> data.answers(store, "flat", K, NINETY, SearchParams.DEFAULT)));
      }
      for (Future<List<List<ScoredPoint>>> run : runs) {
        assertThat(ids(run.get())).isEqualTo(ids(alone));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<List<PointId>> ids(List<List<ScoredPoint>> answers) {
    List<List<PointId>> out = new ArrayList<>();
    for (List<ScoredPoint> hits : answers) {
      out.add(hits.stream().map(ScoredPoint::id).toList());
    }
    return out;
  }
}
