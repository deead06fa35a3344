package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.port.MultiVectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots and checkpoints keep the HNSW graph: a restore, and the recovery of a durable store,
 * install it instead of building it again, with every link between live points as it was.
 */
class GraphImageTest {
  private static final int DIM = 16;
  private static final int N = 2_000;

  @TempDir Path dir;

  private static CollectionConfig graphConfig(boolean onDisk) {
    return CollectionConfig.builder(DIM, Distance.COSINE)
        .hnsw(new HnswConfig(8, 40, 0, onDisk))
        .build();
  }

  /**
   * Loads {@code N} points, then deletes 150 (tombstones: below the repair share) and replaces 40.
   */
  private static VectorSets loadWithTombstones(InMemoryVectorStore store, String c) {
    VectorSets data = VectorSets.random(11, N, 20, DIM);
    data.load(store, c, 0, N);
    List<PointId> doomed = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      doomed.add(PointId.of(i * 13L));
    }
    store.delete(c, doomed);
    List<PointStruct> replaced = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replaced.add(data.point(i * 13 + 1));
    }
    store.upsert(c, replaced);
    assertThat(store.collectionFor(c).hnswIndex().zombieCount()).isEqualTo(190);
    return data;
  }

  /** Every live point's neighbour ids at {@code level}, read from its graph. */
  private static Map<PointId, Set<PointId>> links(MemCollection c, int level) {
    HnswIndex ix = c.hnswIndex();
    HnswGraph g = ix.graph();
    assertThat(g).isNotNull();
    Map<PointId, Set<PointId>> out = new HashMap<>();
    int[] list = new int[g.store().m0 + 1];
    for (int s = 0; s < c.slotLimit(); s++) {
      PointId id = c.idAt(s);
      if (id == null || g.isDeleted(s) || !g.inGraph(s)) {
        continue;
      }
      Set<PointId> ns = new HashSet<>();
      int n = g.read(s, level, list);
      for (int i = 0; i < n; i++) {
        PointId to = c.idAt(list[i]);
        if (to != null && !g.isDeleted(list[i])) {
          ns.add(to);
        }
      }
      out.put(id, ns);
    }
    return out;
  }

  private static double recall(InMemoryVectorStore store, String c, VectorSets data) {
    List<Set<PointId>> truth = data.truth(10, i -> i % 13 != 0 || i >= 150 * 13);
    List<List<ScoredPoint>> answers =
        data.answers(store, c, 10, null, new SearchParams(64, false, false, null, null));
    return VectorSets.recall(answers, truth);
  }

  /** The id of the graph search's best hit for {@code v}. */
  private static long nearest(InMemoryVectorStore store, String c, float[] v) {
    List<ScoredPoint> hits =
        store.search(
            c,
            SearchRequest.builder(v, 1)
                .params(new SearchParams(64, false, false, null, null))
                .build());
    assertThat(hits).hasSize(1);
    return hits.get(0).id().num();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aRestoreInstallsTheSnapshotsGraphWithTheSameLinks(boolean onDisk) {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir.resolve("files"))) {
      store.createCollection("c", graphConfig(onDisk));
      VectorSets data = loadWithTombstones(store, "c");
      Path file = dir.resolve("c.snapshot");
      store.snapshot("c", file);
      store.restore(file, "copy");

      MemCollection original = store.collectionFor("c");
      MemCollection copy = store.collectionFor("copy");
      assertThat(copy.hnswIndex().imageInstalled()).isTrue();
      assertThat(copy.hnswIndex().zombieCount()).isZero();
      assertThat(copy.slotLimit()).isEqualTo(N - 150);
      for (int level = 0; level < 3; level++) {
        assertThat(links(copy, level))
            .as("level %d: the links between live points", level)
            .isEqualTo(links(original, level));
      }
      assertThat(recall(store, "copy", data)).isGreaterThanOrEqualTo(0.9);

      // the installed graph takes new points like a built one
      float[] v = new float[DIM];
      v[3] = 1;
      store.upsert("copy", List.of(PointStruct.of(99_999, v)));
      assertThat(nearest(store, "copy", v)).isEqualTo(99_999L);
      assertThat(copy.hnswIndex().pendingSlots()).isZero();
    }
  }

  @Test
  void aRestoreInstallsTheGraphOfEachNamedVectorThatHasOne() throws Exception {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir.resolve("files"))) {
      MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();
      Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
      dense.put(
          "text",
          DenseVectorConfig.of(DIM, Distance.COSINE).withHnsw(new HnswConfig(8, 40, 0, false)));
      dense.put(
          "title", DenseVectorConfig.of(4, Distance.DOT).withHnsw(new HnswConfig(4, 20, 0, true)));
      dense.put("flat", DenseVectorConfig.of(4, Distance.EUCLID).withIndexType(IndexType.FLAT));
      Futures.join(
          mv.createCollection(
              "mv", MultiVectorConfig.of(dense, Map.of("bm25", SparseVectorParams.IDF))));
      VectorSets data = VectorSets.random(17, 600, 1, DIM);
      List<MultiVectorPoint> points = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        if (i % 3 != 0) {
          vectors.put("text", data.points[i]);
        }
        if (i % 4 != 1) {
          vectors.put("title", java.util.Arrays.copyOf(data.points[i], 4));
        }
        vectors.put("flat", java.util.Arrays.copyOf(data.points[i], 4));
        // ids not in insertion order: the section is in id order, the slots in insertion order
        PointId id = i % 2 == 0 ? PointId.of(10_000L - i) : PointId.of(new UUID(i, 7));
        points.add(MultiVectorPoint.of(id, vectors, Map.of(), Map.of("i", (long) i)));
      }
      Futures.join(mv.upsert("mv", points));
      List<PointId> gone = new ArrayList<>();
      for (int i = 0; i < 600; i += 50) {
        gone.add(points.get(i).id());
      }
      store.delete("mv", gone);
      Path file = dir.resolve("mv.snapshot");
      store.snapshot("mv", file);
      String manifest =
          new String(SnapshotFiles.entry(file, EngineSnapshots.MANIFEST), StandardCharsets.UTF_8);
      assertThat(manifest)
          .contains("\"graphs\"")
          .doesNotContain("\"flat\" : {\n          \"entry\"");
      store.restore(file, "copy");

      for (String space : List.of("text", "title")) {
        MemCollection original = store.denseSpaceFor("mv", space);
        MemCollection copy = store.denseSpaceFor("copy", space);
        assertThat(copy.hnswIndex().imageInstalled()).as(space).isTrue();
        for (int level = 0; level < 3; level++) {
          assertThat(links(copy, level))
              .as("%s level %d", space, level)
              .isEqualTo(links(original, level));
        }
      }
      assertThat(store.denseSpaceFor("copy", "flat").hnswIndex()).isNull();
    }
  }

  @Test
  void aCollectionBelowItsThresholdOrWithoutAGraphWritesNoGraphSection() throws Exception {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir.resolve("files"))) {
      store.createCollection("small", CollectionConfig.builder(DIM, Distance.COSINE).build());
      store.createCollection(
          "flat", CollectionConfig.builder(DIM, Distance.COSINE).indexType(IndexType.FLAT).build());
      VectorSets data = VectorSets.random(3, 100, 1, DIM);
      data.load(store, "small", 0, 100);
      data.load(store, "flat", 0, 100);
      Path file = dir.resolve("all.snapshot");
      store.snapshotAll(file);
      String manifest =
          new String(SnapshotFiles.entry(file, EngineSnapshots.MANIFEST), StandardCharsets.UTF_8);
      assertThat(manifest).doesNotContain("\"graph\"");
    }
  }

  @Test
  void aDamagedGraphSectionIsRefusedAsCorrupt() throws Exception {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir.resolve("files"))) {
      store.createCollection("c", graphConfig(false));
      VectorSets.random(5, 500, 1, DIM).load(store, "c", 0, 500);
      Path file = dir.resolve("c.snapshot");
      store.snapshot("c", file);
      String entry = "collections/0/shard-0.graph";
      byte[] bytes = SnapshotFiles.entry(file, entry);
      assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(HnswIndex.IMAGE_MAGIC);
      Path damaged =
          SnapshotFiles.rewritten(
              dir,
              file,
              entry,
              b -> {
                byte[] c = b.clone();
                c[c.length - 1] ^= 0x40;
                return c;
              });
      assertThatThrownBy(() -> store.restore(damaged, "copy"))
          .isInstanceOf(SnapshotFormatException.class)
          .hasMessageContaining("SHA-256 of " + entry);

      // a section that is damaged although its SHA-256 matches (written wrong) is refused too
      byte[] wrong = bytes.clone();
      ByteBuffer.wrap(wrong).putInt(8, 499); // the node count
      String oldSha = HexFormat.of().formatHex(EngineSnapshots.sha256().digest(bytes));
      String newSha = HexFormat.of().formatHex(EngineSnapshots.sha256().digest(wrong));
      Path withWrongGraph = SnapshotFiles.rewritten(dir, file, entry, b -> wrong);
      Path consistent =
          SnapshotFiles.rewritten(
              dir,
              withWrongGraph,
              EngineSnapshots.MANIFEST,
              m ->
                  new String(m, StandardCharsets.UTF_8)
                      .replace(oldSha, newSha)
                      .getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> store.restore(consistent, "copy"))
          .isInstanceOf(SnapshotFormatException.class)
          .hasMessageContaining(entry)
          .hasMessageContaining("the graph has 499 nodes, the points section 500 points");
      assertThat(store.listCollections()).containsExactly("c");
    }
  }

  @Test
  void aDurableStoreRecoversItsGraphFromTheCheckpointAndTheLogAfterIt() throws Exception {
    Path data = dir.resolve("data");
    VectorSets sets;
    Map<PointId, Set<PointId>> before;
    InMemoryVectorStore store = DurableFixtures.open(data);
    try {
      store.createCollection("c", graphConfig(false));
      sets = loadWithTombstones(store, "c");
      before = links(store.collectionFor("c"), 0);
    } finally {
      store.close(); // a checkpoint with the graph
    }
    float[] v = new float[DIM];
    v[5] = 1;
    try (InMemoryVectorStore reopened = DurableFixtures.open(data)) {
      MemCollection c = reopened.collectionFor("c");
      assertThat(c.hnswIndex().imageInstalled()).isTrue();
      assertThat(links(c, 0)).isEqualTo(before);
      assertThat(recall(reopened, "c", sets)).isGreaterThanOrEqualTo(0.9);
      reopened.upsert("c", List.of(PointStruct.of(77_777, v)));
      reopened.abandon(); // the new point is in the log alone
    }
    try (InMemoryVectorStore again = DurableFixtures.open(data)) {
      MemCollection c = again.collectionFor("c");
      assertThat(c.hnswIndex().imageInstalled()).isTrue();
      @Nullable HnswGraph g = c.hnswIndex().graph();
      assertThat(g).isNotNull();
      assertThat(again.count("c", null)).isEqualTo(N - 150L + 1);
      assertThat(nearest(again, "c", v)).isEqualTo(77_777L);
    }
  }
}
