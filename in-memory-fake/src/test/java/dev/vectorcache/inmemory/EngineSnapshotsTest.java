package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.inmemory.SnapshotFormatException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files of the embedded engine: round trips, refusals, a point in time under writes. */
class EngineSnapshotsTest {
  private static final ShardKey A = ShardKey.of("tenant-a");
  private static final ShardKey SEVEN = ShardKey.of(7);

  @TempDir Path dir;

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final InMemoryVectorStore other = new InMemoryVectorStore();

  @AfterEach
  void close() {
    store.close();
    other.close();
  }

  /** Every setting of a CollectionConfig set to something other than its default. */
  private static CollectionConfig everySetting() {
    return CollectionConfig.builder(4, Distance.COSINE)
        .hnsw(new HnswConfig(8, 50, 100, false, 2))
        .quantization(QuantizationConfig.scalarInt8(0.95f, false))
        .optimizers(new OptimizersConfig(1000L, 2000L, 3))
        .onDiskPayload(true)
        .shardNumber(2)
        .replicationFactor(1)
        .writeConsistencyFactor(1)
        .tenantIndex(TenantIndex.keyword("tenant"))
        .build();
  }

  private static Map<String, Object> payload(int i) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("tenant", i % 2 == 0 ? "even" : "odd");
    p.put("n", (long) i);
    p.put("x", i + 0.5);
    p.put("two", 2.0);
    p.put("flag", i % 3 == 0);
    p.put("nothing", null);
    p.put("text", "grüße ✓ \"quoted\" " + i);
    p.put("list", List.of(1L, "two", 3.0, List.of(true)));
    p.put("nested", Map.of("a", Map.of("b", (long) i)));
    return p;
  }

  private static List<PointStruct> points(int n, long seed) {
    Random r = new Random(seed);
    List<PointStruct> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = {r.nextFloat() - 0.5f, r.nextFloat(), r.nextFloat() * 3, -r.nextFloat()};
      PointId id = i % 3 == 0 ? PointId.of(new UUID(r.nextLong(), r.nextLong())) : PointId.of(i);
      out.add(PointStruct.of(id, v, payload(i)));
    }
    return out;
  }

  private static List<RetrievedPoint> all(InMemoryVectorStore s, String c) {
    return s.scroll(c, new ScrollRequest(null, 10_000, null, PayloadSelector.ALL, true)).points();
  }

  private static List<ScoredPoint> search(InMemoryVectorStore s, String c, float[] q, Filter f) {
    return s.search(
        c, SearchRequest.builder(q, 20).filter(f).withPayload(true).withVectors(true).build());
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aCollectionComesBackWithItsConfigPointsPayloadsAndIndexes() throws Exception {
    store.createCollection("docs", everySetting());
    store.upsert("docs", points(200, 1));
    store.createPayloadIndex("docs", "n", PayloadSchemaType.INTEGER);
    Path file = dir.resolve("docs.snapshot");

    SnapshotDescription d = store.snapshot("docs", file);

    assertThat(d.name()).isEqualTo("docs.snapshot");
    assertThat(d.size()).isEqualTo(Files.size(file));
    assertThat(d.checksum()).isEqualTo(sha256(file));
    assertThat(d.kind()).isEqualTo(SnapshotDescription.Kind.COLLECTION);
    assertThat(d.formatVersion()).isEqualTo(EngineSnapshots.FORMAT_VERSION);
    assertThat(d.collections()).containsExactly("docs");

    RestoredSnapshot r = other.restore(file);
    assertThat(r.collections()).containsExactly("docs");
    assertThat(r.kind()).isEqualTo(SnapshotDescription.Kind.COLLECTION);
    assertThat(r.creationTime()).isEqualTo(d.creationTime());

    assertThat(other.collectionInfo("docs").config()).isEqualTo(everySetting());
    assertThat(other.collectionInfo("docs").pointsCount()).isEqualTo(200);
    assertThat(other.payloadIndexes("docs"))
        .isEqualTo(Map.of("tenant", PayloadSchemaType.KEYWORD, "n", PayloadSchemaType.INTEGER));
    assertThat(all(other, "docs")).isEqualTo(all(store, "docs"));
    // the exact payload types: 2.0 stays a Double, integers stay Longs, null stays
    Map<String, Object> p = all(other, "docs").get(0).payload();
    assertThat(p.get("two")).isEqualTo(2.0);
    assertThat(p.get("n")).isInstanceOf(Long.class);
    assertThat(p).containsKey("nothing");
    assertThat(p.get("nothing")).isNull();

    Filter even = Filter.must(Condition.match("tenant", "even"));
    Filter none = null;
    Random r2 = new Random(9);
    for (int i = 0; i < 10; i++) {
      float[] q = {r2.nextFloat(), r2.nextFloat(), r2.nextFloat(), r2.nextFloat()};
      assertThat(search(other, "docs", q, even)).isEqualTo(search(store, "docs", q, even));
      assertThat(search(other, "docs", q, none)).isEqualTo(search(store, "docs", q, none));
    }
    assertThat(other.count("docs", even)).isEqualTo(store.count("docs", even));
  }

  @Test
  void memoryMappedBinaryQuantizedFlatCollectionsComeBackToo() throws Exception {
    CollectionConfig config =
        CollectionConfig.builder(4, Distance.EUCLID)
            .storageMode(StorageMode.MMAP)
            .indexType(IndexType.FLAT)
            .quantization(QuantizationConfig.binary(true))
            .build();
    store.createCollection("m", config);
    store.upsert("m", points(50, 2));
    Path file = dir.resolve("m.snapshot");
    store.snapshot("m", file);

    other.restore(file, "renamed");

    assertThat(other.listCollections()).containsExactly("renamed");
    assertThat(other.collectionInfo("renamed").config()).isEqualTo(config);
    assertThat(all(other, "renamed")).isEqualTo(all(store, "m"));
    float[] q = {0.1f, 0.2f, 0.3f, 0.4f};
    SearchRequest exact = SearchRequest.builder(q, 10).params(SearchParams.exactSearch()).build();
    assertThat(other.search("renamed", exact)).isEqualTo(store.search("m", exact));
  }

  @Test
  void customShardingKeepsItsKeysAndWhichKeyHoldsEachPoint() {
    store.createCollection(
        "c", CollectionConfig.builder(2, Distance.DOT).customSharding(A, SEVEN).build());
    ShardKey later = ShardKey.of("later");
    store.createShardKey("c", later);
    store.upsert("c", List.of(PointStruct.of(1, new float[] {1, 0})), to(A));
    store.upsert("c", List.of(PointStruct.of(1, new float[] {0, 1})), to(SEVEN));
    store.upsert(
        "c",
        List.of(PointStruct.of(2, new float[] {1, 1}), PointStruct.of(3, new float[] {2, 2})),
        to(later));
    store.createPayloadIndex("c", "k", PayloadSchemaType.KEYWORD);
    Path file = dir.resolve("c.snapshot");
    store.snapshot("c", file);

    other.restore(file);

    assertThat(other.listShardKeys("c")).isEqualTo(store.listShardKeys("c"));
    assertThat(other.collectionInfo("c").config()).isEqualTo(store.collectionInfo("c").config());
    for (ShardKey k : List.of(A, SEVEN, later)) {
      assertThat(other.count("c", null, in(k)))
          .as("%s", k)
          .isEqualTo(store.count("c", null, in(k)));
      assertThat(other.retrieve("c", List.of(PointId.of(1)), null, true, in(k)))
          .as("%s", k)
          .isEqualTo(store.retrieve("c", List.of(PointId.of(1)), null, true, in(k)));
    }
    assertThat(other.count("c", null)).isEqualTo(4);
    assertThat(other.payloadIndexes("c")).containsEntry("k", PayloadSchemaType.KEYWORD);
  }

  private static WriteOptions to(ShardKey... keys) {
    return WriteOptions.builder().shardKeys(keys).build();
  }

  private static ReadOptions in(ShardKey... keys) {
    return ReadOptions.builder().shardKeys(keys).build();
  }

  @Test
  void aFullSnapshotHoldsEveryCollectionAndTheirAttachments() {
    store.createCollection("a", CollectionConfig.builder(2, Distance.EUCLID).build());
    store.createCollection("b", CollectionConfig.builder(3, Distance.MANHATTAN).build());
    store.upsert("a", List.of(PointStruct.of(1, new float[] {1, 2})));
    store.upsert("b", List.of(PointStruct.of(5, new float[] {1, 2, 3})));
    Path file = dir.resolve("full.snapshot");

    SnapshotDescription d =
        store.snapshotAll(
            file, c -> Map.of("owner", c.getBytes(StandardCharsets.UTF_8), "empty", new byte[0]));

    assertThat(d.kind()).isEqualTo(SnapshotDescription.Kind.FULL);
    assertThat(d.collections()).containsExactly("a", "b");
    RestoredSnapshot r = other.restore(file);
    assertThat(r.collections()).containsExactly("a", "b");
    assertThat(other.listCollections()).containsExactly("a", "b");
    assertThat(all(other, "a")).isEqualTo(all(store, "a"));
    assertThat(all(other, "b")).isEqualTo(all(store, "b"));
    assertThat(r.attachments("b").get("owner")).isEqualTo("b".getBytes(StandardCharsets.UTF_8));
    assertThat(r.attachments("a").get("empty")).isEmpty();
    // a full snapshot keeps its names
    assertThatThrownBy(() -> other.restore(file, "x")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void anExistingCollectionIsReplacedOnlyWhenAsked() {
    store.createCollection("a", CollectionConfig.builder(2, Distance.EUCLID).build());
    store.upsert("a", List.of(PointStruct.of(1, new float[] {1, 2})));
    Path file = dir.resolve("a.snapshot");
    store.snapshot("a", file);
    store.upsert("a", List.of(PointStruct.of(2, new float[] {3, 4})));

    assertThatThrownBy(() -> store.restore(file))
        .isInstanceOf(CollectionAlreadyExistsException.class);
    assertThat(store.count("a", null)).isEqualTo(2);

    store.restore(file, null, true);
    assertThat(store.count("a", null)).isEqualTo(1);
  }

  @Test
  void attachmentsComeBackAndAnUnknownCollectionIsNotFound() {
    store.createCollection("a", CollectionConfig.builder(2, Distance.EUCLID).build());
    Path file = dir.resolve("a.snapshot");
    store.snapshot("a", file, Map.of("state", new byte[] {1, 2, 3}));

    assertThat(other.restore(file).attachments("a").get("state")).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> store.snapshot("nope", dir.resolve("n.snapshot")))
        .isInstanceOf(CollectionNotFoundException.class);
    assertThat(dir.resolve("n.snapshot")).doesNotExist();
  }

  // ---- refusals: typed, and nothing is created ----

  private Path snapshotOfOneCollection() {
    store.createCollection("a", CollectionConfig.builder(2, Distance.EUCLID).build());
    List<PointStruct> ps = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ps.add(PointStruct.of(PointId.of(i), new float[] {i, -i}, Map.of("i", (long) i)));
    }
    store.upsert("a", ps);
    Path file = dir.resolve("a.snapshot");
    store.snapshot("a", file);
    return file;
  }

  /** A copy of the ZIP {@code file} with the entries {@code change} rewrites (null: dropped). */
  private Path rewritten(Path file, String entry, UnaryOperator<byte[]> change) throws IOException {
    return SnapshotFiles.rewritten(dir, file, entry, change);
  }

  private void assertRefused(Path file, Reason reason) {
    assertThatThrownBy(() -> other.restore(file))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.file()).isEqualTo(file.toString());
            });
    assertThat(other.listCollections()).as("nothing restored").isEmpty();
  }

  @Test
  void aChangedByteInThePointsIsRefusedAsCorrupt() throws Exception {
    Path file = snapshotOfOneCollection();
    Path bad =
        rewritten(
            file,
            "collections/0/shard-0.points",
            b -> {
              byte[] c = Arrays.copyOf(b, b.length);
              int at = c.length / 2;
              c[at] = (byte) (c[at] ^ 0x40);
              return c;
            });
    assertRefused(bad, Reason.CORRUPT);
  }

  @Test
  void aMissingSectionOrACutFileIsRefusedAsCorrupt() throws Exception {
    Path file = snapshotOfOneCollection();
    assertRefused(rewritten(file, "collections/0/shard-0.points", b -> null), Reason.CORRUPT);
    assertRefused(
        rewritten(file, "collections/0/shard-0.points", b -> Arrays.copyOf(b, b.length - 7)),
        Reason.CORRUPT);
    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.snapshot");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    assertRefused(cut, Reason.CORRUPT);
  }

  @Test
  void aFutureFormatVersionIsRefusedAsUnsupported() throws Exception {
    Path file = snapshotOfOneCollection();
    Path future =
        rewritten(
            file,
            EngineSnapshots.MANIFEST,
            b ->
                new String(b, StandardCharsets.UTF_8)
                    .replaceFirst(
                        "\"formatVersion\"\\s*:\\s*" + EngineSnapshots.FORMAT_VERSION,
                        "\"formatVersion\": " + (EngineSnapshots.FORMAT_VERSION + 1))
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(Files.size(future)).isPositive();
    assertRefused(future, Reason.UNSUPPORTED_VERSION);
  }

  @Test
  void otherFilesAreNotSnapshots() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");
    assertRefused(text, Reason.NOT_A_SNAPSHOT);
    Path file = snapshotOfOneCollection();
    assertRefused(rewritten(file, EngineSnapshots.MANIFEST, b -> null), Reason.NOT_A_SNAPSHOT);
    assertThatThrownBy(() -> other.restore(dir.resolve("missing.snapshot")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aDamagedManifestIsRefusedAsCorrupt() throws Exception {
    Path file = snapshotOfOneCollection();
    Path bad =
        rewritten(
            file,
            EngineSnapshots.MANIFEST,
            b ->
                new String(b, StandardCharsets.UTF_8)
                    .replace("\"EUCLID\"", "\"SIDEWAYS\"")
                    .getBytes(StandardCharsets.UTF_8));
    assertRefused(bad, Reason.CORRUPT);
  }

  // ---- a point in time ----

  @Test
  void aSnapshotTakenDuringWritesIsOnePointInTime() throws Exception {
    store.createCollection("w", CollectionConfig.builder(2, Distance.EUCLID).build());
    int perBatch = 20;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (long b = 0; !stop.get() && b < 400; b++) {
                  LockSupport.parkNanos(50_000);
                  List<PointStruct> batch = new ArrayList<>(perBatch);
                  for (int i = 0; i < perBatch; i++) {
                    batch.add(
                        PointStruct.of(
                            PointId.of(b * perBatch + i), new float[] {b, i}, Map.of("batch", b)));
                  }
                  store.upsert("w", batch);
                  // and rewrite the payload of the previous batch: one more write to interleave
                  if (b > 0) {
                    List<PointId> previous = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                      previous.add(PointId.of((b - 1) * perBatch + i));
                    }
                    store.setPayload("w", previous, Map.of("done", true));
                  }
                }
              } catch (Throwable t) {
                failed.set(t);
              }
            });
    writer.start();
    try {
      for (int s = 0; s < 5; s++) {
        Path file = dir.resolve("w-" + s + ".snapshot");
        store.snapshot("w", file);
        String name = "w" + s;
        other.restore(file, name);
        List<RetrievedPoint> points = all(other, name);
        Map<Long, Integer> perBatchSeen = new LinkedHashMap<>();
        Map<Long, Integer> doneSeen = new LinkedHashMap<>();
        for (RetrievedPoint p : points) {
          long b = (Long) p.payload().get("batch");
          perBatchSeen.merge(b, 1, Integer::sum);
          if (Boolean.TRUE.equals(p.payload().get("done"))) {
            doneSeen.merge(b, 1, Integer::sum);
          }
        }
        // every batch is whole, and they are the first ones written
        assertThat(perBatchSeen.values()).allMatch(n -> n == perBatch);
        long batches = perBatchSeen.size();
        assertThat(perBatchSeen.keySet()).allMatch(b -> b < batches);
        // each payload rewrite is whole too: all points of a batch are done, or none
        assertThat(doneSeen.values()).allMatch(n -> n == perBatch);
        Thread.sleep(2);
      }
    } finally {
      stop.set(true);
      writer.join(30_000);
    }
    assertThat(failed.get()).isNull();
  }
}
