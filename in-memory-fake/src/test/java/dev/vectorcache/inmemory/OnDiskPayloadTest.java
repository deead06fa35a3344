package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code on_disk_payload=true}: payloads live in a memory-mapped file and come back equal through
 * every mutator, filters on indexed and bookkeeping fields read columns (never the file), filters
 * on other fields read the file and still answer right, compaction keeps every payload, and a
 * snapshot round trips. Each check runs the same operations on a twin collection with payloads in
 * RAM and compares.
 */
class OnDiskPayloadTest {
  static final int DIM = 8;

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private InMemoryVectorStore store() {
    InMemoryVectorStore s = new InMemoryVectorStore(dir.resolve("mmap-" + open.size()));
    open.add(s);
    return s;
  }

  private static CollectionConfig config(boolean onDisk) {
    return CollectionConfig.builder(DIM, Distance.COSINE).onDiskPayload(onDisk).build();
  }

  private static Map<String, Object> payload(int i) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("color", i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue");
    p.put("n", (long) i);
    p.put("neg", (long) -i * 1_000_003L);
    p.put("x", i + 0.25);
    p.put("two", 2.0);
    p.put("flag", i % 2 == 0);
    p.put("nothing", null);
    p.put("text", "grüße ✓ 𝄞 \"q\" " + i + "x".repeat(i % 50));
    p.put("list", List.of(1L, "two", 3.0, List.of(true), Map.of("k", "v")));
    p.put("nested", Map.of("a", Map.of("b", (long) i)));
    p.put(EntryPayload.EXPIRES_AT, 1_000L * i);
    p.put(EntryPayload.KEY, "k" + i);
    p.put(EntryPayload.VERSION, (long) i);
    return p;
  }

  private static List<PointStruct> points(int n, long seed) {
    Random r = new Random(seed);
    List<PointStruct> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = r.nextFloat() - 0.5f;
      }
      PointId id = i % 4 == 0 ? PointId.of(new UUID(r.nextLong(), r.nextLong())) : PointId.of(i);
      out.add(PointStruct.of(id, v, payload(i)));
    }
    return out;
  }

  private static List<RetrievedPoint> all(InMemoryVectorStore s, String c) {
    return s.scroll(c, new ScrollRequest(null, 10_000, null, PayloadSelector.ALL, false)).points();
  }

  private static List<PointId> ids(List<PointStruct> points, int from, int to) {
    return points.subList(from, to).stream().map(PointStruct::id).toList();
  }

  /** The same writes on payloads in RAM and on disk; {@code check} compares after each. */
  private void bothWays(java.util.function.BiConsumer<InMemoryVectorStore, String> write) {
    write.accept(ram, "c");
    write.accept(disk, "c");
    assertThat(all(disk, "c")).isEqualTo(all(ram, "c"));
  }

  private InMemoryVectorStore ram;
  private InMemoryVectorStore disk;

  private List<PointStruct> twins(int n) {
    ram = store();
    disk = store();
    ram.createCollection("c", config(false));
    disk.createCollection("c", config(true));
    assertThat(ram.collectionFor("c").payloadStore().onDisk()).isFalse();
    assertThat(disk.collectionFor("c").payloadStore().onDisk()).isTrue();
    List<PointStruct> pts = points(n, 7);
    bothWays((s, c) -> s.upsert(c, pts));
    return pts;
  }

  private MappedPayloadStore diskStore() {
    return (MappedPayloadStore) disk.collectionFor("c").payloadStore();
  }

  @Test
  void payloadsRoundTripThroughEveryMutator() {
    List<PointStruct> pts = twins(120);
    // exact types come back: 2.0 a Double, integers Longs, null kept, order kept
    RetrievedPoint first =
        disk.retrieve("c", List.of(pts.get(5).id()), PayloadSelector.ALL, false).get(0);
    assertThat(first.payload()).isEqualTo(Payloads.copy(payload(5), "p"));
    assertThat(first.payload().get("two")).isInstanceOf(Double.class);
    assertThat(first.payload().get("n")).isInstanceOf(Long.class);
    assertThat(first.payload()).containsKey("nothing");
    assertThat(new ArrayList<>(first.payload().keySet()))
        .isEqualTo(new ArrayList<>(payload(5).keySet()));

    Map<String, Object> extra = new HashMap<>();
    extra.put("added", List.of("a", "b"));
    extra.put("color", "violet");
    bothWays((s, c) -> s.setPayload(c, ids(pts, 0, 30), extra));
    bothWays((s, c) -> s.overwritePayload(c, ids(pts, 20, 50), Map.of("only", 1L)));
    bothWays((s, c) -> s.deletePayloadKeys(c, ids(pts, 40, 80), List.of("text", "list", "n")));
    bothWays((s, c) -> s.clearPayload(c, ids(pts, 70, 90)));
    bothWays((s, c) -> s.delete(c, ids(pts, 85, 100)));
    List<PointStruct> again = points(120, 8).subList(95, 120); // re-upserts, new vectors
    bothWays((s, c) -> s.upsert(c, again));

    Map<String, Object> overwritten =
        disk.retrieve("c", List.of(pts.get(25).id()), PayloadSelector.ALL, false).get(0).payload();
    assertThat(overwritten).isEqualTo(Map.of("only", 1L));
    Map<String, Object> cleared =
        disk.retrieve("c", List.of(pts.get(75).id()), PayloadSelector.ALL, false).get(0).payload();
    assertThat(cleared).isEmpty();
    // a selector picks keys out of the decoded payload
    RetrievedPoint picked =
        disk.retrieve(
                "c", List.of(pts.get(3).id()), PayloadSelector.include("color", "added"), false)
            .get(0);
    assertThat(picked.payload()).isEqualTo(Map.of("color", "violet", "added", List.of("a", "b")));

    // search hits are hydrated from the file, with the same payloads as from RAM
    float[] q = pts.get(10).vector();
    SearchRequest req = SearchRequest.builder(q, 15).withPayload(true).build();
    List<ScoredPoint> fromDisk = disk.search("c", req);
    assertThat(fromDisk).isEqualTo(ram.search("c", req));
    assertThat(fromDisk).allSatisfy(h -> assertThat(h.payload()).isNotNull());

    // the memory report: payload bytes mapped instead of on the heap
    MemoryUsage r = ram.collectionInfo("c").memory();
    MemoryUsage d = disk.collectionInfo("c").memory();
    assertThat(d.mappedBytes()).isGreaterThan(r.mappedBytes());
    assertThat(d.heapBytes()).isLessThan(r.heapBytes());
  }

  @Test
  void filtersOnIndexedAndBookkeepingFieldsReadColumnsAndOthersReadTheFile() {
    twins(300);
    ram.createPayloadIndex("c", "color", PayloadSchemaType.KEYWORD);
    disk.createPayloadIndex("c", "color", PayloadSchemaType.KEYWORD);
    long before = diskStore().reads();

    Filter red = Filter.must(Condition.match("color", "red"));
    Filter notExpired = Filter.must(Condition.range(EntryPayload.EXPIRES_AT, Range.gte(150_000)));
    Filter key = Filter.must(Condition.match(EntryPayload.KEY, "k42"));
    for (Filter f : List.of(red, notExpired, key)) {
      assertThat(disk.count("c", f)).isEqualTo(ram.count("c", f)).isPositive();
      SearchRequest req =
          SearchRequest.builder(new float[] {1, 0, 0, 0, 0, 0, 0, 1}, 5).filter(f).build();
      assertThat(disk.search("c", req)).isEqualTo(ram.search("c", req));
    }
    // hits and retrieves asking for bookkeeping fields only are answered from the columns too
    PayloadSelector bookkeeping = PayloadSelector.include(EntryPayload.KEY, EntryPayload.VERSION);
    List<PointId> some = List.of(PointId.of(1), PointId.of(2), PointId.of(7));
    List<RetrievedPoint> got = disk.retrieve("c", some, bookkeeping, false);
    assertThat(got).isEqualTo(ram.retrieve("c", some, bookkeeping, false)).hasSize(3);
    assertThat(got.get(0).payload())
        .isEqualTo(Map.of(EntryPayload.KEY, "k1", EntryPayload.VERSION, 1L));
    SearchRequest hydrated =
        SearchRequest.builder(new float[] {0, 1, 0, 0, 0, 0, 1, 0}, 5)
            .filter(notExpired)
            .withPayload(bookkeeping)
            .build();
    assertThat(disk.search("c", hydrated)).isEqualTo(ram.search("c", hydrated)).hasSize(5);
    assertThat(diskStore().reads()).isEqualTo(before); // not one payload decoded from the file
    assertThat(disk.collectionFor("c").filterPayloadReads()).isZero();

    // a field with no index: correct, by reading payloads from the file
    Filter big = Filter.must(Condition.range("x", Range.gt(200)));
    assertThat(disk.count("c", big)).isEqualTo(ram.count("c", big)).isEqualTo(100);
    assertThat(diskStore().reads()).isGreaterThanOrEqualTo(before + 300);
    Filter nested = Filter.must(Condition.match("nested.a.b", 7L));
    assertThat(disk.count("c", nested)).isEqualTo(1);

    disk.deleteByFilter("c", big);
    ram.deleteByFilter("c", big);
    assertThat(all(disk, "c")).isEqualTo(all(ram, "c")).hasSize(200);
  }

  @Test
  void compactionRewritesTheFileAndKeepsEveryPayload() throws Exception {
    Path files = dir.resolve("compact");
    Files.createDirectories(files);
    // a small chunk, so records straddle chunks; compaction from 4 KiB on
    MappedPayloadStore s = new MappedPayloadStore(files, "t", 1024, 4096);
    open.add(s);
    int n = 64;
    s.ensureCapacity(n);
    Map<Integer, Map<String, Object>> expected = new HashMap<>();
    Random r = new Random(3);
    for (int round = 0; round < 20; round++) {
      for (int slot = 0; slot < n; slot++) {
        if (r.nextInt(10) == 0) {
          s.clear(slot);
          expected.remove(slot);
          continue;
        }
        Map<String, Object> p =
            Payloads.copy(
                Map.of(
                    "slot", (long) slot, "round", (long) round, "pad", "p".repeat(r.nextInt(300))),
                "p");
        s.set(slot, p);
        expected.put(slot, p);
      }
      for (int slot = 0; slot < n; slot++) {
        assertThat(s.get(slot)).isEqualTo(expected.getOrDefault(slot, Map.of()));
      }
      // garbage never exceeds the live bytes once the file is past the compaction floor
      assertThat(s.fileBytes()).isLessThanOrEqualTo(Math.max(4096 + 512, 2 * s.liveBytes() + 512));
    }
    assertThat(s.compactions()).isPositive();
    try (Stream<Path> left = Files.list(files)) {
      assertThat(left.toList()).hasSize(1); // the old files were deleted
    }
    s.close();
    open.remove(s);
    try (Stream<Path> left = Files.list(files)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aSnapshotRoundTripsPayloadsKeptOnDisk() throws Exception {
    twins(150);
    disk.createPayloadIndex("c", "color", PayloadSchemaType.KEYWORD);
    disk.setPayload("c", List.of(PointId.of(1)), Map.of("late", "yes"));
    Path file = dir.resolve("c.snapshot");
    disk.snapshot("c", file);

    InMemoryVectorStore other = store();
    other.restore(file);
    assertThat(other.collectionInfo("c").config().onDiskPayload()).isTrue();
    assertThat(other.collectionFor("c").payloadStore().onDisk()).isTrue();
    assertThat(all(other, "c")).isEqualTo(all(disk, "c")).hasSize(150);
    Filter red = Filter.must(Condition.match("color", "red"));
    assertThat(other.count("c", red)).isEqualTo(disk.count("c", red)).isEqualTo(50);
  }

  @Test
  void closingTheStoreDeletesThePayloadFile() throws Exception {
    twins(10);
    Path mmap = dir.resolve("mmap-1");
    try (Stream<Path> files = Files.list(mmap)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .anySatisfy(name -> assertThat(name).endsWith(".payload"));
    }
    disk.deleteCollection("c");
    try (Stream<Path> files = Files.list(mmap)) {
      assertThat(files.toList()).isEmpty();
    }
  }
}
