package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.port.MultiVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code on_disk_payload=true} on a multi-vector collection: the collection's registry keeps the
 * payloads in a memory-mapped file and its dense spaces keep none of their own, yet every payload
 * mutator, retrieve, scroll, filtered search (on an indexed and on a non-indexed field) and a
 * snapshot round trip answer as a twin collection with payloads in RAM does, while the heap holds
 * at least the payload bytes less.
 */
class MultiVectorOnDiskPayloadTest {
  private static final int DIM = 8;

  @TempDir Path dir;

  private final List<InMemoryVectorStore> open = new ArrayList<>();
  private InMemoryVectorStore ram;
  private InMemoryVectorStore disk;

  @AfterEach
  void close() {
    open.forEach(InMemoryVectorStore::close);
  }

  private InMemoryVectorStore store() {
    InMemoryVectorStore s = new InMemoryVectorStore(dir.resolve("mmap-" + open.size()));
    open.add(s);
    return s;
  }

  private static MultiVectors mv(InMemoryVectorStore s) {
    return s.extension(MultiVectors.class).orElseThrow();
  }

  private static MultiVectorConfig config(boolean onDisk) {
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    dense.put("text", DenseVectorConfig.of(DIM, Distance.COSINE));
    dense.put("image", DenseVectorConfig.of(4, Distance.DOT));
    return new MultiVectorConfig(
        dense, Map.of("bm25", SparseVectorParams.DEFAULT), onDisk, OptimizersConfig.DEFAULT);
  }

  private static Map<String, Object> payload(int i, int pad) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("color", i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue");
    p.put("x", i + 0.5);
    p.put("flag", i % 2 == 0);
    p.put("list", List.of(1L, "two", Map.of("k", "v")));
    p.put("pad", "p".repeat(pad));
    p.put(EntryPayload.KEY, "k" + i);
    p.put(EntryPayload.EXPIRES_AT, 1_000L * i);
    return p;
  }

  private static float[] vector(Random r, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = r.nextFloat() - 0.5f;
    }
    return v;
  }

  /**
   * {@code n} points: most hold "text", some "image" too or instead, some a sparse vector; every
   * fifth (unless {@code allText}) no dense vector at all.
   */
  private static List<MultiVectorPoint> points(int n, int pad, long seed, boolean allText) {
    Random r = new Random(seed);
    List<MultiVectorPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, float[]> dense = new LinkedHashMap<>();
      if (allText || i % 5 != 4) {
        if (allText || i % 7 != 3) {
          dense.put("text", vector(r, DIM));
        }
        if (i % 2 == 1 || dense.isEmpty()) {
          dense.put("image", vector(r, 4));
        }
      }
      Map<String, SparseVector> sparse =
          i % 3 == 0
              ? Map.of("bm25", SparseVector.of(new int[] {i % 10, 20}, new float[] {1f, 0.5f}))
              : Map.of();
      out.add(MultiVectorPoint.of(PointId.of(i), dense, sparse, payload(i, pad)));
    }
    return out;
  }

  private static List<RetrievedPoint> all(InMemoryVectorStore s) {
    return s.scroll("m", new ScrollRequest(null, 100_000, null, PayloadSelector.ALL, false))
        .points();
  }

  private static List<PointId> ids(int from, int to) {
    List<PointId> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(PointId.of(i));
    }
    return out;
  }

  /** The same write on both twins, then every read compared. */
  private void bothWays(BiConsumer<InMemoryVectorStore, String> write) {
    write.accept(ram, "m");
    write.accept(disk, "m");
    assertSame();
  }

  private void assertSame() {
    List<RetrievedPoint> expected = all(ram);
    assertThat(all(disk)).isEqualTo(expected);
    List<PointId> every = ids(0, 2_100); // more than any twin holds: missing ids are skipped
    assertThat(Futures.join(mv(disk).retrieve("m", every, PayloadSelector.ALL, false)))
        .isEqualTo(Futures.join(mv(ram).retrieve("m", every, PayloadSelector.ALL, false)))
        .hasSize(expected.size());
    // paging keeps the scroll order
    ScrollRequest page = new ScrollRequest(null, 9, PointId.of(17), PayloadSelector.ALL, false);
    assertThat(disk.scroll("m", page)).isEqualTo(ram.scroll("m", page));
    // a filtered page on a field no index holds, payloads picked by key
    ScrollRequest filtered =
        new ScrollRequest(
            Filter.must(Condition.range("x", Range.gt(30))),
            7,
            PointId.of(3),
            PayloadSelector.include("color", "x"),
            false);
    assertThat(disk.scroll("m", filtered)).isEqualTo(ram.scroll("m", filtered));
  }

  private void twins(List<MultiVectorPoint> pts) {
    ram = store();
    disk = store();
    Futures.join(mv(ram).createCollection("m", config(false)));
    Futures.join(mv(disk).createCollection("m", config(true)));
    bothWays((s, c) -> Futures.join(mv(s).upsert(c, pts)));
  }

  private static SearchRequest search(float[] q, Filter f) {
    return SearchRequest.builder(q, 12).filter(f).withPayload(true).build();
  }

  /** Filtered dense searches of both spaces, a sparse search and counts: equal on both twins. */
  private void searchesAgree(Filter f) {
    assertThat(disk.count("m", f)).isEqualTo(ram.count("m", f)).isPositive();
    float[] text = vector(new Random(5), DIM);
    float[] image = vector(new Random(6), 4);
    List<ScoredPoint> hits = Futures.join(mv(disk).search("m", "text", search(text, f)));
    assertThat(hits)
        .isEqualTo(Futures.join(mv(ram).search("m", "text", search(text, f))))
        .isNotEmpty()
        .anySatisfy(h -> assertThat(h.payload()).containsKey("color"));
    assertThat(Futures.join(mv(disk).search("m", "image", search(image, f))))
        .isEqualTo(Futures.join(mv(ram).search("m", "image", search(image, f))))
        .isNotEmpty();
    SparseSearch sparse =
        SparseSearch.of(SparseVector.of(new int[] {3, 20}, new float[] {1f, 1f}), 10)
            .withFilter(f)
            .withPayload(PayloadSelector.ALL);
    assertThat(Futures.join(mv(disk).searchSparse("m", "bm25", sparse)))
        .isEqualTo(Futures.join(mv(ram).searchSparse("m", "bm25", sparse)));
  }

  @Test
  void everyPayloadMutatorAndFilteredSearchAgreesWithTheRamTwin() {
    twins(points(300, 40, 7, false));
    ram.createPayloadIndex("m", "color", PayloadSchemaType.KEYWORD);
    disk.createPayloadIndex("m", "color", PayloadSchemaType.KEYWORD);
    Filter indexed = Filter.must(Condition.match("color", "red"));
    Filter notIndexed = Filter.must(Condition.range("x", Range.gt(120)));
    Filter bookkeeping = Filter.must(Condition.range(EntryPayload.EXPIRES_AT, Range.gte(90_000)));
    searchesAgree(indexed);
    searchesAgree(notIndexed);
    searchesAgree(bookkeeping);

    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("added", List.of("a", "b"));
    extra.put("color", "red");
    bothWays((s, c) -> s.setPayload(c, ids(0, 60), extra));
    bothWays((s, c) -> s.overwritePayload(c, ids(50, 90), Map.of("only", 1L, "color", "blue")));
    bothWays((s, c) -> s.deletePayloadKeys(c, ids(80, 130), List.of("pad", "x")));
    bothWays((s, c) -> s.clearPayload(c, ids(120, 140)));
    bothWays((s, c) -> s.delete(c, ids(135, 150)));
    bothWays((s, c) -> s.deleteByFilter(c, Filter.must(Condition.range("x", Range.gt(280)))));
    List<MultiVectorPoint> again = points(320, 40, 8, false).subList(270, 320);
    bothWays((s, c) -> Futures.join(mv(s).upsert(c, again)));
    // new vectors only: the payloads stay
    bothWays(
        (s, c) ->
            Futures.join(
                mv(s)
                    .updateVectors(
                        c,
                        List.of(
                            MultiVectorPoint.of(
                                PointId.of(3),
                                Map.of("image", new float[] {1, 0, 0, 0}),
                                Map.of(),
                                Map.of())))));

    assertThat(disk.retrieve("m", List.of(PointId.of(60)), PayloadSelector.ALL, false))
        .singleElement()
        .satisfies(p -> assertThat(p.payload()).isEqualTo(Map.of("only", 1L, "color", "blue")));
    assertThat(disk.retrieve("m", List.of(PointId.of(125)), PayloadSelector.ALL, false))
        .singleElement()
        .satisfies(p -> assertThat(p.payload()).isEmpty());
    assertThat(
            disk.retrieve(
                "m", List.of(PointId.of(5)), PayloadSelector.include("color", "added"), false))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.payload())
                    .isEqualTo(Map.of("color", "red", "added", List.of("a", "b"))));
    searchesAgree(indexed);
    searchesAgree(notIndexed);
    searchesAgree(bookkeeping);
    // the spaces store no payload of their own: the registry's mapped file holds them
    assertThat(disk.collectionInfo("m").memory().mappedBytes()).isPositive();
  }

  @Test
  void theHeapHoldsAtLeastThePayloadBytesLessAndTheFileIsMapped() {
    int n = 2_000;
    twins(points(n, 1_024, 11, true));
    MemoryUsage r = ram.collectionInfo("m").memory();
    MemoryUsage d = disk.collectionInfo("m").memory();
    assertThat(r.mappedBytes()).isZero();
    assertThat(d.mappedBytes()).isGreaterThanOrEqualTo(n * 1_024L);
    assertThat(r.heapBytes() - d.heapBytes()).isGreaterThanOrEqualTo(n * 1_024L);
  }

  @Test
  void aSnapshotRoundTripsAndDeletingTheCollectionDeletesTheFile() throws Exception {
    twins(points(200, 100, 9, false));
    disk.createPayloadIndex("m", "color", PayloadSchemaType.KEYWORD);
    disk.setPayload("m", List.of(PointId.of(1)), Map.of("late", "yes"));
    Path file = dir.resolve("m.snapshot");
    disk.snapshot("m", file);

    InMemoryVectorStore other = store();
    other.restore(file);
    assertThat(Futures.join(mv(other).vectorsConfig("m")).onDiskPayload()).isTrue();
    assertThat(other.collectionInfo("m").memory().mappedBytes()).isPositive();
    assertThat(all(other)).isEqualTo(all(disk)).hasSize(200);
    Filter red = Filter.must(Condition.match("color", "red"));
    assertThat(other.count("m", red)).isEqualTo(disk.count("m", red)).isPositive();
    SearchRequest q = search(vector(new Random(1), DIM), red);
    assertThat(Futures.join(mv(other).search("m", "text", q)))
        .isEqualTo(Futures.join(mv(disk).search("m", "text", q)));

    Path mmap = dir.resolve("mmap-1");
    try (Stream<Path> files = Files.list(mmap)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .anySatisfy(name -> assertThat(name).startsWith("m-points-").endsWith(".payload"));
    }
    disk.deleteCollection("m");
    try (Stream<Path> files = Files.list(mmap)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void aConvertedSingleVectorCollectionKeepsItsPayloadsOnDisk() {
    ram = store();
    disk = store();
    Random r = new Random(4);
    List<PointStruct> pts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      pts.add(PointStruct.of(PointId.of(i), vector(r, DIM), payload(i, 64)));
    }
    for (InMemoryVectorStore s : List.of(ram, disk)) {
      s.createCollection(
          "m", CollectionConfig.builder(DIM, Distance.COSINE).onDiskPayload(s == disk).build());
      s.upsert("m", pts);
      // a new vector name makes it a multi-vector collection
      Futures.join(mv(s).createVectorName("m", "image", DenseVectorConfig.of(4, Distance.DOT)));
    }
    assertThat(Futures.join(mv(disk).vectorsConfig("m")).onDiskPayload()).isTrue();
    assertSame();
    bothWays((s, c) -> s.setPayload(c, ids(0, 30), Map.of("color", "violet")));
    bothWays((s, c) -> s.clearPayload(c, ids(20, 40)));
    Filter violet = Filter.must(Condition.match("color", "violet"));
    assertThat(disk.count("m", violet)).isEqualTo(ram.count("m", violet)).isEqualTo(20);
    SearchRequest q = search(vector(new Random(2), DIM), violet);
    assertThat(disk.search("m", q)).isEqualTo(ram.search("m", q)).hasSize(12);
    assertThat(disk.collectionInfo("m").memory().mappedBytes()).isPositive();
  }
}
