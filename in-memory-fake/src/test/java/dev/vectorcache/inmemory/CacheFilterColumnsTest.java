package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import dev.vectorcache.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The not-expired filter every cache search carries is answered from the expiry's payload index (a
 * column of longs), not from the payloads, on every kind of collection the cache may use; and the
 * index never changes an answer, also for points whose expiry is not a plain integer.
 */
class CacheFilterColumnsTest {
  static final int DIM = 16;
  static final int N = 240;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The collections a cache may search: flat or graph, float32 on the heap or int8 over MMAP. */
  enum Shape {
    FLAT(false, false),
    HNSW(true, false),
    INT8_MMAP_FLAT(false, true),
    INT8_MMAP_HNSW(true, true);

    final boolean graph;
    final boolean int8;

    Shape(boolean graph, boolean int8) {
      this.graph = graph;
      this.int8 = int8;
    }

    CollectionConfig config() {
      CollectionConfig.Builder b = CollectionConfig.builder(DIM, Distance.COSINE);
      if (graph) {
        b.hnsw(new HnswConfig(8, 40, 0, false)); // a graph from the first point
      } else {
        b.indexType(IndexType.FLAT);
      }
      if (int8) {
        b.storageMode(StorageMode.MMAP).quantization(QuantizationConfig.scalarInt8());
      }
      return b.build();
    }
  }

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private InMemoryVectorStore store() {
    InMemoryVectorStore s = new InMemoryVectorStore(dir);
    open.add(s);
    return s;
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void theCachesSearchesReadTheExpiryColumnAndNoPayload(Shape shape) {
    InMemoryVectorStore vectors = store();
    MutableClock clock = MutableClock.at(T0);
    VectorCache cache =
        VectorCache.builder()
            .collection("c")
            .collectionConfig(shape.config())
            .vectorStore(vectors)
            .metadataStore(new InMemoryMetadataStore(clock))
            .clock(clock)
            .build();
    open.add(cache);
    cache.initialize();
    // enough points that a graph search visits fewer nodes than the filter matches (its budget)
    VectorSets data = VectorSets.random(3, 1_500, 8, DIM);
    List<CacheWrite> writes = new ArrayList<>();
    Set<String> expiring = new HashSet<>();
    for (int i = 0; i < data.points.length; i++) {
      Ttl ttl =
          switch (i % 3) {
            case 0 -> Ttl.of(Duration.ofMinutes(1));
            case 1 -> Ttl.of(Duration.ofHours(1));
            default -> Ttl.none();
          };
      if (i % 3 == 0) {
        expiring.add("k" + i);
      }
      writes.add(CacheWrite.of("k" + i, data.points[i], Map.of("n", (long) i), ttl));
    }
    cache.storeAll(writes);
    clock.advance(Duration.ofMinutes(2));

    for (float[] q : data.queries) {
      List<CacheHit> hits = cache.searchSimilar(q, 10);
      assertThat(hits).hasSize(10);
      for (CacheHit h : hits) {
        assertThat(h.entry().key()).isNotIn(expiring);
      }
    }

    MemCollection c = vectors.collectionFor("c");
    assertThat(c.filterPayloadReads()).isZero();
    if (shape.graph) {
      assertThat(c.searches(MemSearch.Outcome.GRAPH)).isEqualTo(data.queries.length);
    }
    // the sweeper's scroll for expired entries reads the column too
    assertThat(cache.sweepExpired()).isEqualTo(expiring.size());
    assertThat(vectors.count("c", null)).isEqualTo(data.points.length - expiring.size());
    assertThat(c.filterPayloadReads()).isZero();
  }

  /** The filter a cache search carries, as {@code EntryPayload} builds it. */
  static Filter live(Instant now) {
    return Filter.must(
        Condition.filter(
            Filter.should(
                Condition.isEmpty(EntryPayload.EXPIRES_AT),
                Condition.range(EntryPayload.EXPIRES_AT, Range.gt((double) now.toEpochMilli())))));
  }

  /** An expiry of every shape: integers past and future, none, and values a column cannot hold. */
  private static Map<String, Object> payload(int i, long now) {
    Map<String, Object> p = new HashMap<>();
    p.put(EntryPayload.KEY, "k" + i);
    switch (i % 8) {
      case 0 -> p.put(EntryPayload.EXPIRES_AT, now - 1_000L * i);
      case 1, 2 -> p.put(EntryPayload.EXPIRES_AT, now + 1_000L * i);
      case 3 -> p.put(EntryPayload.EXPIRES_AT, now); // not later than now: expired
      case 4 -> p.put(EntryPayload.EXPIRES_AT, (i % 16 == 4 ? now + 0.5 : now - 0.5));
      case 5 -> p.put(EntryPayload.EXPIRES_AT, List.of(now - 1, now + 1_000));
      case 6 -> p.put(EntryPayload.EXPIRES_AT, i % 16 == 6 ? null : "soon");
      default -> {} // no expiry: live
    }
    return p;
  }

  private static void load(InMemoryVectorStore s, String name, VectorSets data, long now) {
    List<PointStruct> points = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      points.add(new PointStruct(PointId.of(i), data.points[i], payload(i, now)));
    }
    s.upsert(name, points.subList(0, N / 2));
    s.upsert(name, points.subList(N / 2, N));
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void theIndexNeverChangesTheAnswer(Shape shape) {
    InMemoryVectorStore s = store();
    long now = T0.toEpochMilli();
    VectorSets data = VectorSets.random(4, N, 8, DIM);
    s.createCollection("indexed", shape.config());
    s.createCollection("plain", shape.config());
    // one index made before the points (columns filled on write), the other case after half
    s.createPayloadIndex("indexed", EntryPayload.EXPIRES_AT, PayloadSchemaType.INTEGER);
    load(s, "indexed", data, now);
    load(s, "plain", data, now);

    Filter live = live(T0);
    Filter liveAndUser =
        Filter.must(
            Condition.filter(
                Filter.should(
                    Condition.match(EntryPayload.KEY, "k9"),
                    Condition.match(EntryPayload.KEY, "k17"),
                    Condition.match(EntryPayload.KEY, "k40"),
                    Condition.match(EntryPayload.KEY, "k41"))),
            Condition.filter(live));
    for (Filter f : List.of(live, liveAndUser)) {
      for (float[] q : data.queries) {
        SearchRequest request = SearchRequest.builder(q, 10).filter(f).withPayload(true).build();
        List<ScoredPoint> indexed = s.search("indexed", request);
        assertThat(indexed).isNotEmpty().isEqualTo(s.search("plain", request));
        for (ScoredPoint p : indexed) {
          assertThat(FilterEvaluator.test(f, p.id(), p.payload())).as("%s", p).isTrue();
        }
      }
    }
    // every live point, exactly: the points the evaluator accepts
    SearchRequest all =
        SearchRequest.builder(data.queries[0], N)
            .filter(live)
            .params(SearchParams.exactSearch())
            .withPayload(true)
            .build();
    Set<PointId> expected = new HashSet<>();
    for (int i = 0; i < N; i++) {
      if (FilterEvaluator.test(live, PointId.of(i), payload(i, now))) {
        expected.add(PointId.of(i));
      }
    }
    Set<PointId> found = new HashSet<>();
    s.search("indexed", all).forEach(p -> found.add(p.id()));
    assertThat(found).isEqualTo(expected).hasSizeBetween(N / 4, 3 * N / 4);
    // only the points a column cannot answer for made the indexed collection read payloads (a
    // float or a string is answered from the column; a list or a null is not)
    assertThat(s.collectionFor("indexed").filterPayloadReads())
        .isPositive()
        .isLessThan(s.collectionFor("plain").filterPayloadReads());
  }
}
