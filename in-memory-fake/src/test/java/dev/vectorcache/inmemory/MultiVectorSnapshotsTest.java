package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.inmemory.SnapshotFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots (format version 2) of collections with named dense and sparse vectors: round trips in
 * which every search answers as before, full snapshots mixing both kinds, refused files.
 */
class MultiVectorSnapshotsTest {
  private static final String HYBRID = "hybrid";
  private static final String POINTS_ENTRY = "collections/0/points.mvpoints";

  @TempDir Path dir;

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final InMemoryVectorStore other = new InMemoryVectorStore();
  private final MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();
  private final MultiVectors otherMv = other.extension(MultiVectors.class).orElseThrow();

  @AfterEach
  void close() {
    store.close();
    other.close();
  }

  /** Two dense spaces (Cosine with every setting changed, Dot) and a sparse IDF space. */
  private static MultiVectorConfig config() {
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    dense.put(
        "text",
        DenseVectorConfig.of(4, Distance.COSINE)
            .withHnsw(new HnswConfig(8, 40, 50, false, 1))
            .withQuantization(QuantizationConfig.scalarInt8(0.9f, false)));
    dense.put(
        "image",
        DenseVectorConfig.of(3, Distance.DOT)
            .withStorageMode(StorageMode.MMAP)
            .withIndexType(IndexType.FLAT));
    return new MultiVectorConfig(
        dense, Map.of("bm25", SparseVectorParams.IDF), true, new OptimizersConfig(500L, 700L, 2));
  }

  private static float[] floats(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat() * 2 - 1;
    }
    return v;
  }

  private static SparseVector sparse(Random r) {
    int n = 1 + r.nextInt(4);
    int[] indices = new int[n];
    float[] values = new float[n];
    int at = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      at += 1 + r.nextInt(3);
      indices[i] = at;
      values[i] = 0.1f + r.nextFloat();
    }
    return SparseVector.of(indices, values);
  }

  /** {@code n} points, some without the text, image or sparse vector, one without any. */
  private static List<MultiVectorPoint> points(int n, long seed) {
    Random r = new Random(seed);
    List<MultiVectorPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, float[]> dense = new LinkedHashMap<>();
      if (i % 4 != 1 && i != 7) {
        dense.put("text", floats(r, 4));
      }
      if (i % 5 != 2 && i != 7) {
        dense.put("image", floats(r, 3));
      }
      Map<String, SparseVector> sparse =
          i % 3 == 0 || i == 7 ? Map.of() : Map.of("bm25", sparse(r));
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("tenant", i % 2 == 0 ? "even" : "odd");
      payload.put("n", (long) i);
      payload.put("x", i + 0.25);
      PointId id = i % 6 == 0 ? PointId.of(new UUID(r.nextLong(), r.nextLong())) : PointId.of(i);
      out.add(MultiVectorPoint.of(id, dense, sparse, payload));
    }
    return out;
  }

  private void createHybrid(InMemoryVectorStore s, String name) {
    MultiVectors m = s.extension(MultiVectors.class).orElseThrow();
    Futures.join(m.createCollection(name, config()));
    Futures.join(m.upsert(name, points(120, 3)));
    s.createPayloadIndex(name, "tenant", PayloadSchemaType.KEYWORD);
    s.createPayloadIndex(name, "n", PayloadSchemaType.INTEGER);
  }

  private static List<PointId> ids(List<MultiVectorPoint> points) {
    return points.stream().map(MultiVectorPoint::id).toList();
  }

  private static List<MultiVectorPoint> all(MultiVectors m, String c) {
    return Futures.join(m.retrieve(c, ids(points(120, 3)), PayloadSelector.ALL, true));
  }

  /** Every answer of {@code b}'s collection {@code cb} equals {@code a}'s of {@code ca}. */
  private static void assertSameAnswers(MultiVectors a, String ca, MultiVectors b, String cb) {
    assertThat(Futures.join(b.vectorsConfig(cb))).isEqualTo(Futures.join(a.vectorsConfig(ca)));
    List<MultiVectorPoint> before = all(a, ca);
    assertThat(before).hasSize(120);
    assertThat(all(b, cb)).isEqualTo(before);
    Random r = new Random(11);
    Filter even = Filter.must(Condition.match("tenant", "even"));
    for (int i = 0; i < 8; i++) {
      Filter f = i % 2 == 0 ? null : even;
      SearchRequest text =
          SearchRequest.builder(floats(r, 4), 15)
              .filter(f)
              .withPayload(true)
              .withVectors(true)
              .build();
      SearchRequest image = SearchRequest.builder(floats(r, 3), 15).filter(f).build();
      SparseSearch sparse =
          SparseSearch.of(sparse(r), 15).withFilter(f).withPayload(PayloadSelector.ALL);
      List<ScoredPoint> textHits = Futures.join(a.search(ca, "text", text));
      assertThat(textHits).isNotEmpty();
      assertThat(Futures.join(b.search(cb, "text", text))).isEqualTo(textHits);
      assertThat(Futures.join(b.search(cb, "image", image)))
          .isEqualTo(Futures.join(a.search(ca, "image", image)));
      List<ScoredPoint> sparseHits = Futures.join(a.searchSparse(ca, "bm25", sparse));
      assertThat(sparseHits).isNotEmpty();
      assertThat(Futures.join(b.searchSparse(cb, "bm25", sparse))).isEqualTo(sparseHits);
      for (Fusion fusion : Fusion.values()) {
        HybridQuery q =
            HybridQuery.of(
                    fusion,
                    10,
                    VectorSearch.dense("text", SearchRequest.builder(floats(r, 4), 20).build()),
                    VectorSearch.dense("image", SearchRequest.builder(floats(r, 3), 20).build()),
                    VectorSearch.sparse("bm25", SparseSearch.of(sparse(r), 20)))
                .withPayload(PayloadSelector.include("n"));
        List<ScoredPoint> fused = Futures.join(a.query(ca, q));
        assertThat(fused).hasSize(10);
        assertThat(Futures.join(b.query(cb, q))).isEqualTo(fused);
      }
    }
  }

  @Test
  void aCollectionWithNamedAndSparseVectorsComesBackAnsweringAsBefore() throws Exception {
    createHybrid(store, HYBRID);
    Path file = dir.resolve("hybrid.snapshot");

    SnapshotDescription d = store.snapshot(HYBRID, file);

    assertThat(d.formatVersion()).isEqualTo(2);
    assertThat(d.collections()).containsExactly(HYBRID);
    RestoredSnapshot r = other.restore(file);
    assertThat(r.collections()).containsExactly(HYBRID);
    assertSameAnswers(mv, HYBRID, otherMv, HYBRID);
    assertThat(other.payloadIndexes(HYBRID)).isEqualTo(store.payloadIndexes(HYBRID));
    assertThat(other.collectionInfo(HYBRID).pointsCount()).isEqualTo(120);
    // the point without any vector is there too
    assertThat(Futures.join(otherMv.retrieve(HYBRID, List.of(PointId.of(7)), null, true)))
        .singleElement()
        .satisfies(p -> assertThat(p.vectorNames()).isEmpty());
    Filter odd = Filter.must(Condition.match("tenant", "odd"));
    assertThat(other.count(HYBRID, odd)).isEqualTo(store.count(HYBRID, odd)).isPositive();

    // under another name, replacing nothing; the restored collection takes writes as before
    other.restore(file, "copy");
    assertSameAnswers(mv, HYBRID, otherMv, "copy");
    Futures.join(
        otherMv.upsert(
            "copy",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(1000),
                    Map.of("text", new float[] {1, 0, 0, 0}),
                    Map.of(),
                    Map.of()))));
    assertThat(other.collectionInfo("copy").pointsCount()).isEqualTo(121);
  }

  @Test
  void theManifestHoldsEachSpaceWithItsSettings() throws Exception {
    createHybrid(store, HYBRID);
    Path file = dir.resolve("hybrid.snapshot");
    store.snapshot(HYBRID, file);

    JsonNode manifest =
        JsonMapper.builder().build().readTree(SnapshotFiles.entry(file, EngineSnapshots.MANIFEST));

    assertThat(manifest.get("formatVersion").intValue()).isEqualTo(2);
    JsonNode c = manifest.get("collections").get(0);
    assertThat(c.has("config")).isFalse();
    assertThat(c.has("shards")).isFalse();
    JsonNode dense = c.get("vectorsConfig").get("dense");
    assertThat(dense.get(0).get("name").textValue()).isEqualTo("text");
    assertThat(dense.get(0).get("quantization").get("type").textValue()).isEqualTo("SCALAR_INT8");
    assertThat(dense.get(1).get("storageMode").textValue()).isEqualTo("MMAP");
    assertThat(c.get("vectorsConfig").get("sparse").get(0).get("modifier").textValue())
        .isEqualTo("IDF");
    assertThat(c.get("points").get("entry").textValue()).isEqualTo(POINTS_ENTRY);
    assertThat(c.get("points").get("points").longValue()).isEqualTo(120);
    assertThat(c.get("points").get("sha256").textValue()).hasSize(64);
  }

  @Test
  void aFullSnapshotHoldsSingleAndMultiVectorCollections() {
    store.createCollection("plain", CollectionConfig.builder(2, Distance.EUCLID).build());
    store.upsert(
        "plain",
        List.of(
            PointStruct.of(PointId.of(1L), new float[] {1, 2}, Map.of("k", "a")),
            PointStruct.of(PointId.of(2L), new float[] {3, 4}, Map.of())));
    createHybrid(store, HYBRID);
    // a single-vector collection given a sparse name becomes a multi-vector one with space ""
    store.createCollection("grown", CollectionConfig.builder(3, Distance.COSINE).build());
    store.upsert("grown", List.of(PointStruct.of(PointId.of(5L), new float[] {0, 3, 4}, Map.of())));
    Futures.join(mv.createSparseVectorName("grown", "kw", SparseVectorParams.DEFAULT));
    Futures.join(
        mv.updateVectors(
            "grown",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(5L),
                    Map.of(),
                    Map.of("kw", SparseVector.of(new int[] {3}, new float[] {2})),
                    Map.of()))));
    Path file = dir.resolve("full.snapshot");

    SnapshotDescription d =
        store.snapshotAll(file, c -> Map.of("owner", c.getBytes(StandardCharsets.UTF_8)));

    assertThat(d.collections()).containsExactly("grown", HYBRID, "plain");
    RestoredSnapshot r = other.restore(file);
    assertThat(other.listCollections()).containsExactly("grown", HYBRID, "plain");
    assertThat(r.attachments(HYBRID).get("owner"))
        .isEqualTo(HYBRID.getBytes(StandardCharsets.UTF_8));
    assertSameAnswers(mv, HYBRID, otherMv, HYBRID);
    ScrollRequest everything = new ScrollRequest(null, 100, null, PayloadSelector.ALL, true);
    assertThat(other.scroll("plain", everything)).isEqualTo(store.scroll("plain", everything));
    assertThat(other.collectionInfo("plain").config())
        .isEqualTo(store.collectionInfo("plain").config());
    assertThat(Futures.join(otherMv.vectorsConfig("grown")))
        .isEqualTo(Futures.join(mv.vectorsConfig("grown")));
    assertThat(Futures.join(otherMv.retrieve("grown", List.of(PointId.of(5L)), null, true)))
        .isEqualTo(Futures.join(mv.retrieve("grown", List.of(PointId.of(5L)), null, true)));
    // the port's search reads the unnamed space "" of the grown collection
    SearchRequest q = SearchRequest.builder(new float[] {0, 1, 0}, 3).build();
    assertThat(other.search("grown", q)).isEqualTo(store.search("grown", q)).hasSize(1);
  }

  @Test
  void aRestoreReplacesACollectionOfEitherKindOnlyWhenAsked() {
    createHybrid(store, HYBRID);
    Path file = dir.resolve("h.snapshot");
    store.snapshot(HYBRID, file);
    other.createCollection(HYBRID, CollectionConfig.builder(2, Distance.DOT).build());

    assertThatThrownBy(() -> other.restore(file))
        .isInstanceOf(dev.vectorcache.core.exception.CollectionAlreadyExistsException.class);
    other.restore(file, null, true);

    assertSameAnswers(mv, HYBRID, otherMv, HYBRID);
  }

  private void assertRefused(Path file, Reason reason) {
    assertThatThrownBy(() -> other.restore(file))
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    assertThat(other.listCollections()).as("nothing restored").isEmpty();
  }

  @Test
  void aDamagedMultiVectorSectionIsRefusedAsCorrupt() throws Exception {
    createHybrid(store, HYBRID);
    Path file = dir.resolve("hybrid.snapshot");
    store.snapshot(HYBRID, file);

    // a flipped bit in the middle of the section
    assertRefused(
        SnapshotFiles.rewritten(
            dir,
            file,
            POINTS_ENTRY,
            b -> {
              byte[] c = Arrays.copyOf(b, b.length);
              c[c.length / 2] ^= 0x01;
              return c;
            }),
        Reason.CORRUPT);
    assertRefused(SnapshotFiles.rewritten(dir, file, POINTS_ENTRY, b -> null), Reason.CORRUPT);
    assertRefused(
        SnapshotFiles.rewritten(dir, file, POINTS_ENTRY, b -> Arrays.copyOf(b, b.length - 3)),
        Reason.CORRUPT);
    // an unknown sparse modifier in the manifest
    assertRefused(
        SnapshotFiles.rewritten(
            dir,
            file,
            EngineSnapshots.MANIFEST,
            b ->
                new String(b, StandardCharsets.UTF_8)
                    .replace("\"IDF\"", "\"BM42\"")
                    .getBytes(StandardCharsets.UTF_8)),
        Reason.CORRUPT);
    // named or sparse vectors cannot be in a version 1 file
    assertRefused(
        SnapshotFiles.rewritten(
            dir,
            file,
            EngineSnapshots.MANIFEST,
            b ->
                new String(b, StandardCharsets.UTF_8)
                    .replaceFirst("\"formatVersion\"\\s*:\\s*2", "\"formatVersion\": 1")
                    .getBytes(StandardCharsets.UTF_8)),
        Reason.CORRUPT);
    // the intact file restores
    assertThat(other.restore(file).collections()).containsExactly(HYBRID);
  }
}
