package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.MigrationPlan;
import dev.vectorcache.core.MigrationProgress;
import dev.vectorcache.core.MigrationResult;
import dev.vectorcache.core.MigrationState;
import dev.vectorcache.core.Reembedder;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.MigrationInProgressException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of {@link VectorCache#migrate}: moving a cache to a new embedding model (here from
 * dimension 4, model {@code model-a}, to dimension 6, model {@code model-b}) with writers running,
 * searches that never see a mix, a crash and a resume that does not redo finished batches, the old
 * collection dropped, and bad plans refused before any I/O.
 *
 * <p>The vector store must offer {@link dev.vectorcache.core.port.CollectionAliases}. A backend
 * adds one subclass that opens its stores, as for {@link VectorCacheContract}. The caches run on
 * the system clock: entry versions are then increasing across the cache instances of a test.
 */
public abstract class VectorCacheMigrationContract {
  private static final int OLD_DIM = 4;
  private static final int NEW_DIM = 6;
  private static final String OLD_MODEL = "model-a";
  private static final String NEW_MODEL = "model-b";

  /** A fresh vector store with collection aliases; closed after each test. */
  protected abstract VectorStore createVectorStore();

  /** A fresh metadata store; closed after each test. */
  protected abstract MetadataStore createMetadataStore();

  private VectorStore store;
  private MetadataStore metadata;
  private String name;
  private final List<VectorCache> caches = new ArrayList<>();

  @BeforeEach
  void openStores() {
    store = createVectorStore();
    metadata = createMetadataStore();
    name = "vc_migrate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeStores() {
    try {
      caches.forEach(VectorCache::close);
      for (String c : store.listCollections()) {
        if (c.startsWith(name)) {
          store.deleteCollection(c);
        }
      }
    } finally {
      try {
        metadata.close();
      } finally {
        store.close();
      }
    }
  }

  // ---------------------------------------------------------------- tests

  @Test
  void migrationCopiesEveryEntryWithTheNewDimensionAndDropsTheOldCollection() {
    VectorCache cache = openCache();
    storeEntries(cache, 40);
    List<MigrationProgress> progress = new ArrayList<>();
    MigrationResult result =
        cache.migrate(
            plan(counting(new AtomicInteger()), 7).progressListener(progress::add).build());

    assertThat(result.copied()).isEqualTo(40);
    assertThat(result.skippedAsNewer()).isZero();
    assertThat(result.failed()).isZero();
    assertThat(result.caughtUp()).isZero();
    assertThat(result.resumed()).isFalse();
    assertThat(result.previousCollection()).isEqualTo(name);
    assertThat(result.collection()).isEqualTo(name + "__g1");
    // 40 entries in batches of 7: at least six checkpoints, then the switch
    assertThat(progress).hasSizeGreaterThanOrEqualTo(7);
    assertThat(progress.get(0).phase()).isEqualTo(MigrationState.Phase.COPYING);
    assertThat(progress.get(progress.size() - 1).phase()).isEqualTo(MigrationState.Phase.SWITCHING);

    assertThat(cache.modelId()).isEqualTo(NEW_MODEL);
    assertThat(cache.collectionConfig().dimension()).isEqualTo(NEW_DIM);
    for (int i = 0; i < 40; i++) {
      assertNewModelPoint(cache, i, 0);
      assertThat(cache.get(key(i))).map(e -> rev(e.metadata())).contains(0);
    }
    assertThat(store.listCollections())
        .contains(name + "__g1")
        .doesNotContain(name, name + "__migration");
    assertThat(store.collectionExists(name)).as("the name is now an alias").isTrue();
    assertThat(cache.pendingMigration()).isEmpty();
    assertThatThrownBy(() -> cache.store(key(0), oldVec(0, 1), meta(0, 1)))
        .isInstanceOf(InvalidInputException.class);
    List<CacheHit> hits = cache.searchSimilar(newVec(5, 0), 3);
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).entry().key()).isEqualTo(key(5));

    // a second migration re-points the alias in one step and drops the first generation
    MigrationResult again =
        cache.migrate(
            MigrationPlan.builder(
                    "model-c",
                    CollectionConfig.builder(3, Distance.COSINE).build(),
                    (e, previous) -> new float[] {n(e.metadata()) + 1f, 1f, 2f})
                .batchSize(16)
                .build());
    assertThat(again.copied()).isEqualTo(40);
    assertThat(again.previousCollection()).isEqualTo(name + "__g1");
    assertThat(again.collection()).isEqualTo(name + "__g2");
    assertThat(store.listCollections()).contains(name + "__g2").doesNotContain(name + "__g1", name);
    assertThat(cache.get(key(7))).isPresent();
    assertThat(vectorOf(key(7), cache)).hasSize(3);
  }

  @Test
  void aCacheBehindAnAliasKeepsItsNameThroughTheFirstMigration() throws Exception {
    VectorCache cache = openCache(true);
    String first = name + "__g0";
    assertThat(store.listCollections()).contains(first).doesNotContain(name);
    assertThat(store.collectionExists(name)).isTrue();
    storeEntries(cache, 30);
    assertThat(cache.searchSimilar(oldVec(3, 0), 1).get(0).entry().key()).isEqualTo(key(3));
    // another instance initializes against the alias and creates nothing
    VectorCache other = openCache(true);
    assertThat(store.listCollections().stream().filter(c -> c.startsWith(name)))
        .containsExactly(first);
    assertThat(other.get(key(4))).map(e -> n(e.metadata())).contains(4);

    // a reader of the name in another thread, all through the migration
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger missing = new AtomicInteger();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> reader =
        pool.submit(
            () -> {
              while (!done.get() || reads.get() == 0) {
                if (!store.collectionExists(name)) {
                  missing.incrementAndGet();
                }
                reads.incrementAndGet();
                LockSupport.parkNanos(200_000);
              }
            });
    try {
      MigrationResult result = cache.migrate(plan(counting(new AtomicInteger()), 8).build());
      assertThat(result.previousCollection()).isEqualTo(first);
      assertThat(result.collection()).isEqualTo(name + "__g1");
      assertThat(result.copied()).isEqualTo(30);
    } finally {
      done.set(true);
      reader.get(30, TimeUnit.SECONDS);
      pool.shutdown();
    }
    assertThat(reads.get()).isPositive();
    assertThat(missing.get()).as("reads of the name that found no collection").isZero();
    assertThat(store.listCollections()).contains(name + "__g1").doesNotContain(name, first);
    assertNewModelPoint(cache, 3, 0);
  }

  @Test
  void writersDuringTheMigrationLoseNothingAndEveryKeyEndsWithItsLatestValue() throws Exception {
    VectorCache cache = openCache();
    int n = 60;
    storeEntries(cache, n);
    Map<Integer, Integer> latest = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      latest.put(i, 0);
    }
    Map<Integer, Boolean> deleted = new ConcurrentHashMap<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch writersDone = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int thread = t;
      writers.add(
          pool.submit(
              () -> {
                started.await();
                for (int rev = 1; rev <= 4; rev++) {
                  for (int i = thread; i < n + 6; i += 3) {
                    if (i % 10 == 9 && rev == 3) {
                      cache.delete(key(i)); // deleted for good
                      deleted.put(i, true);
                      latest.remove(i);
                    } else if (!deleted.containsKey(i)) {
                      cache.store(key(i), oldVec(i, rev), meta(i, rev));
                      latest.put(i, rev);
                    }
                  }
                }
                return null;
              }));
    }
    MigrationResult result;
    try {
      Reembedder slow =
          (e, previous) -> {
            sleepQuietly();
            return newVec(n(e.metadata()), rev(e.metadata()));
          };
      result =
          cache.migrate(
              plan(slow, 5)
                  .progressListener(
                      p -> {
                        started.countDown();
                        if (p.phase() == MigrationState.Phase.CATCHING_UP) {
                          // the backfill is done: let the writers finish before the switch
                          awaitWriters(writers, writersDone);
                        }
                      })
                  .build());
    } finally {
      started.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(writersDone.getCount()).isZero();
    // every write went through this cache's dual write, so the backfill left nothing to catch up
    assertThat(result.caughtUp()).isZero();
    assertThat(result.failed()).isZero();
    assertThat(latest).hasSize(n + 6 - deleted.size());
    for (Map.Entry<Integer, Integer> e : latest.entrySet()) {
      int i = e.getKey();
      Optional<CacheEntry> found = cache.get(key(i));
      assertThat(found).as("key %s", key(i)).isPresent();
      assertThat(rev(found.get().metadata())).as("rev of %s", key(i)).isEqualTo(e.getValue());
      assertNewModelPoint(cache, i, e.getValue());
    }
    for (int i : deleted.keySet()) {
      assertThat(cache.get(key(i))).as("deleted %s", key(i)).isEmpty();
      assertThat(store.retrieve(name, List.of(cache.pointId(key(i))), PayloadSelector.NONE, false))
          .isEmpty();
    }
  }

  @Test
  void searchesSeeOnlyTheOldModelUntilTheSwitchAndOnlyTheNewOneAfter() {
    VectorCache cache = openCache();
    storeEntries(cache, 20);
    List<List<CacheHit>> during = new ArrayList<>();
    cache.migrate(
        plan(counting(new AtomicInteger()), 5)
            .progressListener(
                p -> {
                  if (p.phase() == MigrationState.Phase.COPYING) {
                    during.add(cache.searchSimilar(oldVec(3, 0), 5));
                    // a new-model query is refused until the switch
                    assertThatThrownBy(() -> cache.searchSimilar(newVec(3, 0), 5))
                        .isInstanceOf(InvalidInputException.class);
                    assertThat(cache.modelId()).isEqualTo(OLD_MODEL);
                  }
                })
            .build());
    assertThat(during).isNotEmpty();
    for (List<CacheHit> hits : during) {
      assertThat(hits).hasSize(5);
      assertThat(hits.get(0).entry().key()).isEqualTo(key(3));
      assertThat(hits.get(0).score()).isGreaterThan(0.999f);
    }
    List<CacheHit> after = cache.searchSimilar(newVec(3, 0), 5);
    assertThat(after).hasSize(5);
    assertThat(after.get(0).entry().key()).isEqualTo(key(3));
    assertThat(after.get(0).score()).isGreaterThan(0.999f);
    for (CacheHit h : after) {
      assertThat(modelOf(h.entry().key(), cache)).isEqualTo(NEW_MODEL);
      assertThat(vectorOf(h.entry().key(), cache)).hasSize(NEW_DIM);
    }
    assertThatThrownBy(() -> cache.searchSimilar(oldVec(3, 0), 5))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aCrashedMigrationResumesOnAFreshCacheWithoutRedoingFinishedBatches() {
    VectorCache first = openCache();
    storeEntries(first, 30);
    AtomicInteger calls = new AtomicInteger();
    Reembedder failing =
        (e, previous) -> {
          if (calls.incrementAndGet() > 10) {
            throw new IllegalStateException("model endpoint down");
          }
          return newVec(n(e.metadata()), rev(e.metadata()));
        };
    assertThatThrownBy(() -> first.migrate(plan(failing, 4).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model endpoint down");
    // the instance that failed is back on the old model
    assertThat(first.modelId()).isEqualTo(OLD_MODEL);
    assertThat(first.get(key(0))).isPresent();
    first.close();

    VectorCache second = openCache();
    Optional<MigrationState> pending = second.pendingMigration();
    assertThat(pending).isPresent();
    MigrationState state = pending.get();
    assertThat(state.modelId()).isEqualTo(NEW_MODEL);
    assertThat(state.phase()).isEqualTo(MigrationState.Phase.COPYING);
    // batches of 4: two were checkpointed, the third failed at its third entry
    assertThat(state.copied()).isEqualTo(8);
    assertThat(state.checkpoint()).isNotNull();
    // another plan is refused while this one is unfinished
    assertThatThrownBy(
            () ->
                second.migrate(
                    MigrationPlan.builder(
                            "model-c",
                            CollectionConfig.builder(NEW_DIM, Distance.COSINE).build(),
                            (e, p) -> newVec(0, 0))
                        .build()))
        .isInstanceOf(MigrationInProgressException.class)
        .hasMessageContaining(NEW_MODEL);

    AtomicInteger resumedCalls = new AtomicInteger();
    MigrationResult result = second.migrate(plan(counting(resumedCalls), 4).build());
    assertThat(result.resumed()).isTrue();
    assertThat(resumedCalls.get()).as("entries re-embedded by the resume").isEqualTo(30 - 8);
    assertThat(result.copied()).isEqualTo(30);
    assertThat(result.failed()).isZero();
    assertThat(second.pendingMigration()).isEmpty();
    assertThat(store.listCollections()).doesNotContain(name, name + "__migration");
    for (int i = 0; i < 30; i++) {
      assertNewModelPoint(second, i, 0);
    }
  }

  @Test
  @SuppressWarnings("NullAway") // passes nulls on purpose
  void badPlansAreRefusedBeforeAnyIo() {
    CollectionConfig newConfig = CollectionConfig.builder(NEW_DIM, Distance.COSINE).build();
    Reembedder fn = (e, p) -> newVec(0, 0);
    assertField(() -> MigrationPlan.builder(NEW_MODEL, newConfig, null), "reembedder");
    assertField(() -> MigrationPlan.builder(" ", newConfig, fn), "modelId");
    assertField(() -> MigrationPlan.builder(NEW_MODEL, null, fn), "collectionConfig");
    assertField(() -> MigrationPlan.builder(NEW_MODEL, newConfig, fn).batchSize(0), "batchSize");
    assertField(
        () -> MigrationPlan.builder(NEW_MODEL, newConfig, fn).batchSize(10_001), "batchSize");

    RecordingVectorStore recording = new RecordingVectorStore(store);
    VectorCache cache =
        track(
            VectorCache.builder()
                .collection(name)
                .collectionConfig(CollectionConfig.builder(OLD_DIM, Distance.COSINE).build())
                .vectorStore(recording)
                .metadataStore(metadata)
                .modelId(OLD_MODEL)
                .ownsStores(false)
                .build());
    assertField(() -> cache.migrate(null), "plan");
    assertField(
        () ->
            cache.migrate(
                MigrationPlan.builder(
                        OLD_MODEL, CollectionConfig.builder(OLD_DIM, Distance.COSINE).build(), fn)
                    .build()),
        "plan");
    // the recording wrapper offers no aliases: refused, still before any I/O
    assertThatThrownBy(() -> cache.migrate(MigrationPlan.builder(NEW_MODEL, newConfig, fn).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("ALIASES");
    assertThat(recording.recorder().totalCalls()).isZero();
    assertThat(store.listCollections()).noneMatch(c -> c.startsWith(name));
  }

  // ---------------------------------------------------------------- helpers

  private VectorCache openCache() {
    return openCache(false);
  }

  private VectorCache openCache(boolean behindAlias) {
    VectorCache cache =
        track(
            VectorCache.builder()
                .collection(name)
                .collectionConfig(CollectionConfig.builder(OLD_DIM, Distance.COSINE).build())
                .vectorStore(store)
                .metadataStore(metadata)
                .modelId(OLD_MODEL)
                .defaultTtl(Duration.ofHours(1))
                .ownsStores(false)
                .behindAlias(behindAlias)
                .build());
    cache.initialize();
    return cache;
  }

  private VectorCache track(VectorCache cache) {
    caches.add(cache);
    return cache;
  }

  private static MigrationPlan.Builder plan(Reembedder fn, int batchSize) {
    return MigrationPlan.builder(
            NEW_MODEL, CollectionConfig.builder(NEW_DIM, Distance.COSINE).build(), fn)
        .batchSize(batchSize);
  }

  private static Reembedder counting(AtomicInteger calls) {
    return (e, previous) -> {
      calls.incrementAndGet();
      return newVec(n(e.metadata()), rev(e.metadata()));
    };
  }

  private static void storeEntries(VectorCache cache, int count) {
    for (int i = 0; i < count; i++) {
      cache.store(key(i), oldVec(i, 0), meta(i, 0));
    }
  }

  private void assertNewModelPoint(VectorCache cache, int i, int rev) {
    List<RetrievedPoint> found =
        store.retrieve(name, List.of(cache.pointId(key(i))), PayloadSelector.ALL, true);
    assertThat(found).as("point of %s", key(i)).hasSize(1);
    RetrievedPoint p = found.get(0);
    assertThat(p.payload()).containsEntry(EntryPayload.MODEL, NEW_MODEL);
    float[] v = Objects.requireNonNull(p.vector(), "vector");
    assertThat(v).hasSize(NEW_DIM);
    float[] expected = unit(newVec(i, rev));
    for (int d = 0; d < NEW_DIM; d++) {
      assertThat(v[d]).as("%s[%s]", key(i), d).isCloseTo(expected[d], within());
    }
  }

  private float[] vectorOf(String key, VectorCache cache) {
    List<RetrievedPoint> found =
        store.retrieve(name, List.of(cache.pointId(key)), PayloadSelector.NONE, true);
    assertThat(found).hasSize(1);
    return Objects.requireNonNull(found.get(0).vector(), "vector");
  }

  private Object modelOf(String key, VectorCache cache) {
    List<RetrievedPoint> found =
        store.retrieve(name, List.of(cache.pointId(key)), PayloadSelector.ALL, false);
    assertThat(found).hasSize(1);
    return Objects.requireNonNull(found.get(0).payload().get(EntryPayload.MODEL), "model");
  }

  private static void awaitWriters(List<Future<?>> writers, CountDownLatch done) {
    try {
      for (Future<?> w : writers) {
        w.get(30, TimeUnit.SECONDS);
      }
      done.countDown();
    } catch (Exception e) {
      throw new AssertionError("a writer failed", e);
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertField(Runnable call, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(1e-4f);
  }

  private static String key(int i) {
    return "k" + i;
  }

  private static Map<String, Object> meta(int i, int rev) {
    return Map.of("n", i, "rev", rev);
  }

  private static int n(Map<String, Object> metadata) {
    return ((Number) Objects.requireNonNull(metadata.get("n"), "n")).intValue();
  }

  private static int rev(Map<String, Object> metadata) {
    return ((Number) Objects.requireNonNull(metadata.get("rev"), "rev")).intValue();
  }

  /** The old model: dimension 4. */
  private static float[] oldVec(int i, int rev) {
    return new float[] {1 + i % 7, 1 + rev, 1 + i / 7f, (i * 13) % 5 + 1};
  }

  /** The new model: dimension 6, a different direction for every key and revision. */
  private static float[] newVec(int i, int rev) {
    return new float[] {i + 1, rev + 1, 2, 3, (i % 3) + 1, 1};
  }

  private static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
