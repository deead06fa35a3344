package dev.vectorcache.inmemory;

import static dev.vectorcache.inmemory.DurableFixtures.files;
import static dev.vectorcache.inmemory.DurableFixtures.open;
import static dev.vectorcache.inmemory.DurableFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A durable embedded store keeps every write across close and reopen, and across a crash. */
class DurableStoreTest {
  private static final ShardKey A = ShardKey.of("tenant-a");
  private static final ShardKey B = ShardKey.of("tenant-b");
  private static final ShardKey N = ShardKey.of(7);
  private static final Set<String> MULTI = Set.of("mv");

  @TempDir Path dir;

  /** Runs every kind of write the store offers; returns nothing, the state says what it did. */
  static void everyMutator(InMemoryVectorStore store, Path scratch) {
    CollectionAliases aliases = store.extension(CollectionAliases.class).orElseThrow();
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();

    // a restore, from a snapshot of another (not durable) store
    Path snapshot = scratch.resolve("seed.snapshot");
    try (InMemoryVectorStore seed = new InMemoryVectorStore()) {
      seed.createCollection("seed", CollectionConfig.builder(2, Distance.MANHATTAN).build());
      seed.upsert(
          "seed",
          List.of(
              PointStruct.of(PointId.of(1), new float[] {1, 2}, Map.of("s", "one")),
              PointStruct.of(PointId.of(2), new float[] {3, 4}, Map.of("s", "two"))));
      seed.snapshot("seed", snapshot);
    }
    store.restore(snapshot, "restored");

    // a restore has no log record: it takes a checkpoint; every write after it is replayed
    // from the log on top of that checkpoint
    Futures.join(
        mv.createCollection(
            "mv",
            MultiVectorConfig.of(
                Map.of("text", DenseVectorConfig.of(2, Distance.DOT)),
                Map.of("bm25", SparseVectorParams.DEFAULT))));
    Futures.join(
        mv.upsert(
            "mv",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(1),
                    Map.of("text", new float[] {1, 2}),
                    Map.of("bm25", SparseVector.of(new int[] {1, 5}, new float[] {0.5f, 2})),
                    Map.of("k", "v")))));
    Futures.join(mv.createSparseVectorName("mv", "extra", SparseVectorParams.DEFAULT));

    Futures.join(mv.createVectorName("mv", "image", DenseVectorConfig.of(3, Distance.COSINE)));
    Futures.join(
        mv.upsert(
            "mv",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(2),
                    Map.of("text", new float[] {3, 4}, "image", new float[] {1, 0, 1}),
                    Map.of(),
                    Map.of()))));
    Futures.join(
        mv.updateVectors(
            "mv",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(1),
                    Map.of("image", new float[] {0, 2, 0}),
                    Map.of("extra", SparseVector.of(new int[] {9}, new float[] {1})),
                    Map.of()))));
    Futures.join(mv.deleteVectors("mv", List.of(PointId.of(2)), Set.of("text")));
    Futures.join(mv.createVectorName("mv", "doomed", DenseVectorConfig.of(2, Distance.DOT)));
    Futures.join(mv.deleteVectorName("mv", "doomed"));

    store.createCollection("docs", CollectionConfig.builder(3, Distance.DOT).build());
    store.createPayloadIndex("docs", "kind", PayloadSchemaType.KEYWORD);
    List<PointStruct> points = new ArrayList<>();
    for (long i = 1; i <= 20; i++) {
      points.add(
          PointStruct.of(
              PointId.of(i),
              new float[] {i, -i, 0.5f * i},
              Map.of("kind", i % 2 == 0 ? "even" : "odd", "n", i, "tags", List.of("t" + i))));
    }
    store.upsert("docs", points);
    store.delete("docs", List.of(PointId.of(4)));
    store.deleteByFilter("docs", Filter.must(Condition.match("kind", "odd")));
    store.setPayload(
        "docs", List.of(PointId.of(2), PointId.of(6)), Map.of("extra", Map.of("a", 1)));
    store.overwritePayload("docs", List.of(PointId.of(8)), Map.of("only", true));
    store.deletePayloadKeys("docs", List.of(PointId.of(10)), List.of("n", "tags"));
    store.clearPayload("docs", List.of(PointId.of(12)));

    store.createCollection("cos", CollectionConfig.builder(2, Distance.COSINE).build());
    UUID uuid = UUID.fromString("6f1c2a9e-5d7b-4c3e-9a1f-0b2c3d4e5f60");
    store.upsert(
        "cos",
        List.of(
            PointStruct.of(PointId.of(uuid), new float[] {3, 4}, Map.of("u", "yes")),
            PointStruct.of(PointId.of(1), new float[] {1, 1}, Map.of())));

    store.createCollection("gone", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("gone", List.of(PointStruct.of(1, new float[] {1, 2})));
    assertThat(store.deleteCollection("gone")).isTrue();
    assertThat(store.deleteCollection("never-was")).isFalse();

    Futures.join(
        aliases.updateAliases(
            List.of(
                AliasAction.create("a1", "docs"),
                AliasAction.create("a2", "cos"),
                AliasAction.rename("a2", "a3"))));
    // a batch failing midway keeps the actions before the failing one, as in Qdrant
    assertThatThrownBy(
            () ->
                Futures.join(
                    aliases.updateAliases(
                        List.of(
                            AliasAction.create("a4", "docs"),
                            AliasAction.create("a5", "missing")))))
        .isInstanceOf(CollectionNotFoundException.class);
    store.upsert("a1", List.of(PointStruct.of(100, new float[] {1, 0, 0})));

    store.createCollection(
        "sharded", CollectionConfig.builder(2, Distance.EUCLID).customSharding(A, B).build());
    Futures.join(cluster.createShardKey("sharded", N));
    Futures.join(
        cluster.upsert(
            "sharded",
            List.of(PointStruct.of(1, new float[] {1, 0})),
            WriteOptions.builder().shardKeys(A).build()));
    Futures.join(
        cluster.upsert(
            "sharded",
            List.of(PointStruct.of(2, new float[] {2, 0})),
            WriteOptions.builder().shardKeys(B).build()));
    Futures.join(
        cluster.upsert(
            "sharded",
            List.of(PointStruct.of(3, new float[] {3, 0})),
            WriteOptions.builder().shardKeys(N).build()));
    Futures.join(cluster.deleteShardKey("sharded", B));
  }

  @Test
  void everyWriteSurvivesACrashThroughTheLogAlone() throws Exception {
    InMemoryVectorStore store = open(dir.resolve("data"));
    everyMutator(store, dir);
    Map<String, Object> before = state(store, MULTI);
    store.abandon(); // as a killed process leaves it: no checkpoint on close
    Path data = dir.resolve("data");
    List<String> wal = files(data, "wal-");
    assertThat(java.nio.file.Files.size(data.resolve(wal.get(wal.size() - 1))))
        .as("the writes after the last checkpoint are in the log alone")
        .isGreaterThan(1000);

    try (InMemoryVectorStore reopened = open(dir.resolve("data"))) {
      assertThat(state(reopened, MULTI)).isEqualTo(before);
      checkWorkloadRan(reopened);
    }
  }

  @Test
  void everyWriteSurvivesCloseAndReopenThroughACheckpoint() throws Exception {
    Path data = dir.resolve("data");
    InMemoryVectorStore store = open(data);
    everyMutator(store, dir);
    Map<String, Object> before = state(store, MULTI);
    store.close();
    assertThat(files(data, "checkpoint-")).hasSize(1);
    // the close's checkpoint covers every record: only the new, empty segment is left
    assertThat(files(data, "wal-")).hasSize(1);

    try (InMemoryVectorStore reopened = open(data)) {
      assertThat(state(reopened, MULTI)).isEqualTo(before);
      checkWorkloadRan(reopened);
      // and writes after a reopen are kept as well
      reopened.upsert("docs", List.of(PointStruct.of(200, new float[] {0, 0, 1})));
      before = state(reopened, MULTI);
      reopened.abandon();
    }
    try (InMemoryVectorStore again = open(data)) {
      assertThat(state(again, MULTI)).isEqualTo(before);
    }
  }

  private static void checkWorkloadRan(InMemoryVectorStore store) {
    assertThat(store.listCollections()).containsExactly("cos", "docs", "mv", "restored", "sharded");
    List<RetrievedPoint> docs =
        store.retrieve(
            "docs",
            List.of(PointId.of(1), PointId.of(2), PointId.of(4), PointId.of(8), PointId.of(12)),
            PayloadSelector.ALL,
            false);
    assertThat(docs).extracting(p -> p.id().num()).containsExactlyInAnyOrder(2L, 8L, 12L);
    assertThat(docs)
        .filteredOn(p -> p.id().num() == 2)
        .first()
        .satisfies(p -> assertThat(p.payload()).containsEntry("extra", Map.of("a", 1L)));
    assertThat(docs)
        .filteredOn(p -> p.id().num() == 8)
        .first()
        .satisfies(p -> assertThat(p.payload()).isEqualTo(Map.of("only", true)));
    assertThat(docs)
        .filteredOn(p -> p.id().num() == 12)
        .first()
        .satisfies(p -> assertThat(p.payload()).isEmpty());
    assertThat(store.payloadIndexes("docs")).containsEntry("kind", PayloadSchemaType.KEYWORD);
    assertThat(store.count("a1", null))
        .isEqualTo(10); // the ten even ids of 2..20 minus 4, plus 100
    assertThat(Futures.join(store.extension(CollectionAliases.class).orElseThrow().listAliases()))
        .extracting(a -> a.alias())
        .containsExactlyInAnyOrder("a1", "a3", "a4");
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    assertThat(Futures.join(cluster.listShardKeys("sharded"))).containsExactlyInAnyOrder(A, N);
    assertThat(
            Futures.join(
                cluster.count("sharded", null, ReadOptions.builder().shardKeys(N).build())))
        .isEqualTo(1);
    assertThat(Futures.join(store.extension(MultiVectors.class).orElseThrow().vectorsConfig("mv")))
        .satisfies(
            c -> {
              assertThat(c.sparse()).containsKeys("bm25", "extra");
              assertThat(c.dense()).containsOnlyKeys("text", "image");
            });
    List<MultiVectorPoint> mvPoints =
        Futures.join(
            store
                .extension(MultiVectors.class)
                .orElseThrow()
                .retrieve("mv", List.of(PointId.of(1), PointId.of(2)), PayloadSelector.ALL, true));
    assertThat(mvPoints).hasSize(2);
    assertThat(mvPoints.get(0).vectorNames()).containsOnly("text", "bm25", "image", "extra");
    assertThat(mvPoints.get(1).vectorNames()).containsOnly("image");
    assertThat(store.count("restored", null)).isEqualTo(2);
  }

  @Test
  void checkpointsTakenAsTheLogGrowsThenTheLogAfterTheNewestReplays() throws Exception {
    Path data = dir.resolve("data");
    InMemoryVectorStore store = open(data, FsyncPolicy.NEVER, 4096);
    store.createCollection("c", CollectionConfig.builder(8, Distance.EUCLID).build());
    for (int i = 0; i < 300; i++) {
      float[] v = new float[8];
      v[i % 8] = i;
      store.upsert("c", List.of(PointStruct.of(PointId.of(i), v, Map.of("i", (long) i))));
      if (i % 7 == 0) {
        store.setPayload("c", List.of(PointId.of(i)), Map.of("seven", true));
      }
      if (i % 11 == 0 && i > 0) {
        store.delete("c", List.of(PointId.of(i - 1)));
      }
    }
    Map<String, Object> before = state(store, Set.of());
    // 300 records of more than 60 bytes each passed 4096 bytes several times
    List<String> checkpoints = files(data, "checkpoint-");
    assertThat(checkpoints).hasSize(1); // older ones are deleted with their segments
    String newest = checkpoints.get(0);
    assertThat(files(data, "wal-"))
        .allSatisfy(
            w -> assertThat(w.substring(4, 24)).isGreaterThanOrEqualTo(newest.substring(11)));
    assertThat(newest.substring(11)).isNotEqualTo("00000000000000000001");
    store.abandon();

    try (InMemoryVectorStore reopened = open(data)) {
      assertThat(state(reopened, Set.of())).isEqualTo(before);
      assertThat(reopened.count("c", null)).isEqualTo(300 - 27);
    }
  }

  @Test
  void aLargeStoreCheckpointsAgainOnceItsLogReachesHalfItsLastCheckpoint() throws Exception {
    Path data = dir.resolve("data");
    InMemoryVectorStore store = open(data, FsyncPolicy.NEVER, 4096);
    store.createCollection("big", CollectionConfig.builder(64, Distance.EUCLID).build());
    List<PointStruct> bulk = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      float[] v = new float[64];
      v[i % 64] = i;
      bulk.add(PointStruct.of(i, v));
    }
    store.upsert("big", bulk); // one record of about 550 KB: past 4096 bytes, a checkpoint
    List<String> first = files(data, "checkpoint-");
    assertThat(first).hasSize(1);
    long checkpoint =
        java.nio.file.Files.size(data.resolve(first.get(0)).resolve(DurableStorage.SNAPSHOT_FILE));
    assertThat(checkpoint).isGreaterThan(500_000);

    // far more log than checkpointBytes, less than half the checkpoint: no new checkpoint
    float[] v = new float[64];
    int next = 10_000;
    for (int i = 0; i < 100; i++) {
      store.upsert("big", List.of(PointStruct.of(next++, v)));
    }
    List<String> wal = files(data, "wal-");
    long hundred = java.nio.file.Files.size(data.resolve(wal.get(wal.size() - 1)));
    assertThat(hundred).isGreaterThan(4096 * 4).isLessThan(checkpoint / 2);
    assertThat(hundred % 100).as("100 records of one size").isZero();
    long record = hundred / 100;
    assertThat(files(data, "checkpoint-")).isEqualTo(first);

    // the record that takes the log to half the checkpoint takes the next one
    while (files(data, "checkpoint-").equals(first) && next < 20_000) {
      store.upsert("big", List.of(PointStruct.of(next++, v)));
    }
    assertThat(files(data, "checkpoint-")).hasSize(1).doesNotContainAnyElementsOf(first);
    long records = next - 10_000L;
    assertThat(records * record).isGreaterThanOrEqualTo(checkpoint / 2);
    assertThat((records - 1) * record).isLessThan(checkpoint / 2);
    Map<String, Object> before = state(store, Set.of());
    store.abandon();
    try (InMemoryVectorStore reopened = open(data)) {
      assertThat(state(reopened, Set.of())).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void eachFsyncPolicyKeepsWritesAcrossAProcessCrash(FsyncPolicy policy) throws Exception {
    Path data = dir.resolve(policy.name());
    EmbeddedOptions options =
        EmbeddedOptions.builder()
            .storageDirectory(data)
            .fsyncPolicy(policy)
            .fsyncInterval(Duration.ofMillis(5))
            .build();
    InMemoryVectorStore store = new InMemoryVectorStore(options);
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    for (int i = 0; i < 50; i++) {
      store.upsert("c", List.of(PointStruct.of(i, new float[] {i, 1})));
    }
    store.abandon();
    try (InMemoryVectorStore reopened = new InMemoryVectorStore(options)) {
      assertThat(reopened.count("c", null)).isEqualTo(50);
      assertThat(reopened.ping().details()).containsEntry("storage", data.toString());
    }
  }

  @Test
  void badOptionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> EmbeddedOptions.builder().fsyncInterval(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fsyncInterval")
        .hasMessageContaining("1 ms to 1 minute");
    assertThatThrownBy(() -> EmbeddedOptions.builder().fsyncInterval(Duration.ofHours(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fsyncInterval");
    assertThatThrownBy(() -> EmbeddedOptions.builder().checkpointBytes(100))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("checkpointBytes")
        .hasMessageContaining("4096")
        .hasMessageContaining("100");
    assertThatThrownBy(() -> EmbeddedOptions.builder().fsyncPolicy(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fsyncPolicy");
    assertThatThrownBy(() -> EmbeddedOptions.builder().storageDirectory(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("storageDirectory");
  }

  @Test
  void urlsOpenADurableStoreAndRefuseWhatTheyCannotHonour() throws Exception {
    InMemoryVectorStoreProvider provider = new InMemoryVectorStoreProvider();
    Path data = dir.resolve("url data");
    String url =
        "memory:?path="
            + java.net.URLEncoder.encode(data.toString(), java.nio.charset.StandardCharsets.UTF_8)
            + "&fsync=interval&fsyncIntervalMs=20";
    try (VectorStore store = provider.open(VectorStoreConfig.builder().url(url).build())) {
      store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
      store.upsert("c", List.of(PointStruct.of(1, new float[] {1, 2})));
    }
    try (VectorStore store = provider.open(VectorStoreConfig.builder().url(url).build())) {
      assertThat(store.count("c", null)).isEqualTo(1);
    }
    assertThatThrownBy(
            () ->
                provider.open(
                    VectorStoreConfig.builder().url("memory:?path=x&colour=blue").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("colour")
        .hasMessageContaining("path, fsync, fsyncIntervalMs");
    assertThatThrownBy(
            () ->
                provider.open(
                    VectorStoreConfig.builder().url("memory:?path=x&fsync=sometimes").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("fsync")
        .hasMessageContaining("sometimes");
    assertThatThrownBy(
            () -> provider.open(VectorStoreConfig.builder().url("memory:?fsync=never").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("path=DIR");
    assertThatThrownBy(
            () -> provider.open(VectorStoreConfig.builder().url("memory:shared?path=x").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("shared store");
    assertThatThrownBy(
            () ->
                provider.open(
                    VectorStoreConfig.builder()
                        .url("memory:shared-durable")
                        .adapterOptions(EmbeddedOptions.builder().storageDirectory(data).build())
                        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("storageDirectory");
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
    Path data = dir.resolve("data");
    InMemoryVectorStore first = open(data);
    assertThatThrownBy(() -> open(data))
        .isInstanceOf(StorageLockedException.class)
        .hasMessageContaining(data.toString())
        .hasMessageContaining("already open");
    first.close();
    try (InMemoryVectorStore second = open(data)) {
      assertThat(second.listCollections()).isEmpty();
    }
  }
}
