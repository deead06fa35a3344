package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.MigrationInProgressException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorCache#migrate} over the in-core fakes (with aliases): the switch, the writes made
 * while it runs, the catch-up pass, failures and the resume, and the plans it refuses.
 */
class VectorCacheMigrationTest {
  private static final String COLL = CacheFixture.COLL;
  private static final CollectionConfig NEW = CollectionConfig.builder(2, Distance.COSINE).build();

  private final CacheFixture f = new CacheFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private VectorCache open() {
    f.vectors.supports(Capability.ALIASES);
    return f.open(f.builder().modelId("old"));
  }

  private static float[] oldVec(int i) {
    return new float[] {1 + i, 1, 2};
  }

  private static float[] newVec(Map<String, Object> meta) {
    return new float[] {((Number) meta.get("n")).floatValue() + 1, 1};
  }

  private static Reembedder counting(AtomicInteger calls) {
    return (e, previous) -> {
      calls.incrementAndGet();
      return newVec(e.metadata());
    };
  }

  private static MigrationPlan.Builder plan(Reembedder fn) {
    return MigrationPlan.builder("new", NEW, fn).batchSize(2);
  }

  private static void fill(VectorCache cache, int n) {
    for (int i = 0; i < n; i++) {
      cache.store("e" + i, oldVec(i), Map.of("n", i, "group", i % 2 == 0 ? "even" : "odd"));
    }
  }

  private RetrievedPoint point(VectorCache cache, String collection, String key) {
    List<RetrievedPoint> found =
        f.vectors.retrieve(collection, List.of(cache.pointId(key)), PayloadSelector.ALL, true);
    assertThat(found).as(key).hasSize(1);
    return found.get(0);
  }

  @Test
  void migratesAPlainCollectionAndTheNameBecomesAnAliasOfTheNewOne() {
    VectorCache cache = open();
    fill(cache, 5);
    AtomicInteger calls = new AtomicInteger();
    List<MigrationProgress> progress = new ArrayList<>();
    MigrationResult r =
        cache.migrate(plan(counting(calls)).progressListener(progress::add).build());

    assertThat(r.copied()).isEqualTo(5);
    assertThat(calls).hasValue(5);
    assertThat(r.resumed()).isFalse();
    assertThat(r.duration()).isPositive();
    assertThat(r.collection()).isEqualTo(COLL + "__g1");
    assertThat(progress).extracting(MigrationProgress::copied).containsExactly(2L, 4L, 5L, 5L);
    assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g1");
    assertThat(f.vectors.collectionExists(COLL)).isTrue();
    assertThat(cache.modelId()).isEqualTo("new");
    assertThat(cache.collectionConfig()).isEqualTo(NEW);
    assertThat(cache.pendingMigration()).isEmpty();
    RetrievedPoint p = point(cache, COLL, "e3");
    assertThat(p.payload()).containsEntry(EntryPayload.MODEL, "new");
    assertThat(((Number) p.payload().get("n")).intValue()).isEqualTo(3);
    assertThat(Objects.requireNonNull(p.vector())).hasSize(2);
    assertThat(cache.get("e3")).isPresent();
    assertThat(cache.searchSimilar(new float[] {4, 1}, 1).get(0).key()).isEqualTo("e3");
    // new writes record the new model
    cache.store("later", new float[] {1, 0}, Map.of("n", 9));
    assertThat(point(cache, COLL, "later").payload()).containsEntry(EntryPayload.MODEL, "new");
    assertThatThrownBy(() -> cache.store("x", oldVec(0), null))
        .isInstanceOf(InvalidInputException.class);

    // a second migration re-points the alias and drops the first generation
    MigrationResult again =
        cache.migrate(
            MigrationPlan.builder(
                    "newer",
                    CollectionConfig.builder(3, Distance.DOT).build(),
                    (e, previous) -> new float[] {previous[0], previous[1], 1})
                .build());
    assertThat(again.previousCollection()).isEqualTo(COLL + "__g1");
    assertThat(again.collection()).isEqualTo(COLL + "__g2");
    assertThat(again.copied()).isEqualTo(6);
    assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g2");
    assertThat(cache.get("later")).isPresent();
  }

  @Test
  void behindAliasCreatesTheFirstGenerationWithItsIndexesBeforeTheAlias() {
    f.vectors.supports(Capability.ALIASES);
    VectorCache cache = f.open(f.builder().modelId("old").behindAlias(true));

    String first = COLL + "__g0";
    assertThat(f.vectors.log().calls())
        .containsExactly(
            "collectionExists",
            "createCollection",
            "createPayloadIndex",
            "createPayloadIndex",
            "updateAliases");
    assertThat(f.vectors.listCollections()).containsExactly(first);
    assertThat(f.vectors.indexes(first))
        .containsOnlyKeys(EntryPayload.EXPIRES_AT, EntryPayload.KEY);
    assertThat(aliasOf(COLL)).isEqualTo(first);
    fill(cache, 3);
    assertThat(f.vectors.size(first)).isEqualTo(3);

    // a second instance finds the alias and creates nothing
    f.vectors.log().clear();
    f.open(f.builder().modelId("old").behindAlias(true));
    assertThat(f.vectors.log().calls()).doesNotContain("createCollection", "updateAliases");

    // the first migration re-points the alias: the name is never a missing collection
    MigrationResult r = cache.migrate(plan(counting(new AtomicInteger())).build());
    assertThat(r.previousCollection()).isEqualTo(first);
    assertThat(r.collection()).isEqualTo(COLL + "__g1");
    assertThat(aliasOf(COLL)).isEqualTo(COLL + "__g1");
    assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g1");
  }

  @Test
  void behindAliasNeedsAStoreWithAliasesAndIsRefusedAtBuild() {
    assertThatThrownBy(() -> f.builder().behindAlias(true).build())
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("behindAlias(true)")
        .hasMessageContaining("Capability.ALIASES");
    assertThat(f.vectors.log().calls()).isEmpty();
  }

  private String aliasOf(String name) {
    return f
        .vectors
        .extension(dev.vectorcache.core.port.CollectionAliases.class)
        .orElseThrow()
        .listAliases()
        .join()
        .stream()
        .filter(a -> a.alias().equals(name))
        .findFirst()
        .orElseThrow()
        .collection();
  }

  @Test
  void writesDeletesAndExpiryMovesDuringTheMigrationReachBothCollections() {
    VectorCache cache = open();
    fill(cache, 6);
    CacheEntry e2 = cache.get("e2").orElseThrow();
    Instant later = CacheFixture.START.plus(Duration.ofHours(5));
    AtomicInteger checkpoints = new AtomicInteger();
    MigrationResult r =
        cache.migrate(
            plan(counting(new AtomicInteger()))
                .progressListener(
                    p -> {
                      if (checkpoints.incrementAndGet() == 1) {
                        String target = COLL + "__g1";
                        cache.store("fresh", oldVec(7), Map.of("n", 7));
                        assertThat(point(cache, target, "fresh").payload())
                            .containsEntry(EntryPayload.MODEL, "new");
                        cache.store("e0", oldVec(0), Map.of("n", 10)); // overwrite
                        cache.delete("e1");
                        assertThat(cache.extendExpiry(e2, later)).isTrue();
                        cache.deleteWhere(Filter.must(Condition.match("group", "odd")));
                        assertThat(cache.modelId()).isEqualTo("old");
                      }
                    })
                .build());
    assertThat(r.failed()).isZero();
    assertThat(r.caughtUp()).isZero();
    assertThat(cache.get("fresh")).isPresent();
    assertThat(n(cache.get("e0").orElseThrow())).isEqualTo(10);
    assertThat(Objects.requireNonNull(point(cache, COLL, "e0").vector())[0])
        .isGreaterThan(0.99f); // direction (11, 1)
    assertThat(cache.get("e1")).isEmpty();
    assertThat(cache.get("e3")).isEmpty();
    assertThat(cache.get("e5")).isEmpty();
    assertThat(cache.get("e2").orElseThrow().expiresAt()).isEqualTo(later);
    assertThat(point(cache, COLL, "e2").payload())
        .containsEntry(EntryPayload.EXPIRES_AT, later.toEpochMilli());
  }

  @Test
  void clearDuringTheMigrationEmptiesBothCollections() {
    VectorCache cache = open();
    fill(cache, 4);
    cache.migrate(plan(counting(new AtomicInteger())).progressListener(p -> cache.clear()).build());
    assertThat(f.vectors.size(COLL)).isZero();
  }

  @Test
  void theCatchUpPassBringsWritesThatDidNotGoThroughTheMigratingCache() {
    VectorCache cache = open();
    VectorCache other = f.open(f.builder().modelId("old"));
    fill(cache, 4);
    MigrationResult r =
        cache.migrate(
            plan(counting(new AtomicInteger()))
                .progressListener(
                    p -> {
                      if (p.phase() == MigrationState.Phase.CATCHING_UP) {
                        f.clock.advance(Duration.ofSeconds(1));
                        other.store("e0", oldVec(0), Map.of("n", 20));
                        other.store("elsewhere", oldVec(3), Map.of("n", 21));
                      }
                    })
                .build());
    assertThat(r.caughtUp()).isEqualTo(2);
    assertThat(n(cache.get("e0").orElseThrow())).isEqualTo(20);
    assertThat(point(cache, COLL, "elsewhere").payload()).containsEntry(EntryPayload.MODEL, "new");
  }

  @Test
  void entriesWithoutAVectorExpiredOrForeignAreCountedAndLeftBehind() {
    VectorCache cache = open();
    fill(cache, 3);
    cache.store("short", oldVec(4), Map.of("n", 4), Duration.ofMinutes(1));
    cache.store("skip-me", oldVec(5), Map.of("n", 5, "skip", true));
    f.vectors.upsert(COLL, List.of(new PointStruct(PointId.of(7L), oldVec(6), Map.of("x", 1))));
    f.clock.advance(Duration.ofMinutes(2));
    MigrationResult r =
        cache.migrate(
            plan((e, prev) -> e.metadata().containsKey("skip") ? null : newVec(e.metadata()))
                .build());
    assertThat(r.copied()).isEqualTo(3);
    assertThat(r.expired()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(cache.get("skip-me")).isEmpty();
    assertThat(cache.get("e1")).isPresent();
  }

  @Test
  void aFailedMigrationKeepsItsStateAndAFreshCacheResumesFromTheCheckpoint() {
    VectorCache first = open();
    fill(first, 7);
    AtomicInteger calls = new AtomicInteger();
    Reembedder failing =
        (e, prev) -> {
          if (calls.incrementAndGet() == 4) {
            throw new IllegalStateException("model down");
          }
          return newVec(e.metadata());
        };
    assertThatThrownBy(() -> first.migrate(plan(failing).build()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(first.modelId()).isEqualTo("old");
    MigrationState state = first.pendingMigration().orElseThrow();
    assertThat(state.phase()).isEqualTo(MigrationState.Phase.COPYING);
    assertThat(state.copied()).isEqualTo(2);
    assertThat(state.checkpoint()).isNotNull();
    assertThat(state.source()).isEqualTo(COLL);
    assertThat(state.target()).isEqualTo(COLL + "__g1");
    assertThat(state.dimension()).isEqualTo(2);
    assertThat(state.distance()).isEqualTo(Distance.COSINE);
    f.clock.advance(Duration.ofSeconds(1));

    VectorCache second = f.open(f.builder().modelId("old"));
    assertThatThrownBy(
            () ->
                second.migrate(
                    MigrationPlan.builder("other", NEW, (e, p) -> new float[] {1, 1}).build()))
        .isInstanceOf(MigrationInProgressException.class)
        .hasMessageContaining("new");
    AtomicInteger resumedCalls = new AtomicInteger();
    MigrationResult r = second.migrate(plan(counting(resumedCalls)).build());
    assertThat(r.resumed()).isTrue();
    assertThat(resumedCalls).hasValue(5);
    assertThat(r.copied()).isEqualTo(7);
    assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g1");
  }

  /**
   * A cache of three entries whose first migration failed at the alias switch, after the plain
   * collection was dropped.
   */
  private VectorCache cacheWhoseSwitchFailed() {
    VectorCache cache = open();
    fill(cache, 3);
    f.vectors
        .log()
        .failNext("updateAliases", new BackendUnavailableException("fake", "gone", null));
    assertThatThrownBy(() -> cache.migrate(plan(counting(new AtomicInteger())).build()))
        .isInstanceOf(BackendUnavailableException.class);
    return cache;
  }

  @Test
  void aCrashBetweenDroppingThePlainCollectionAndNamingTheNewOneIsFinishedByTheResume() {
    VectorCache cache = cacheWhoseSwitchFailed();
    // this cache already reads the new collection
    assertThat(cache.modelId()).isEqualTo("new");
    assertThat(cache.get("e1")).isPresent();
    MigrationState state = cache.pendingMigration().orElseThrow();
    assertThat(state.phase()).isEqualTo(MigrationState.Phase.SWITCHING);
    assertThat(f.vectors.listCollections()).doesNotContain(COLL);

    // the same instance may finish it with the same plan
    MigrationResult finished = cache.migrate(plan(counting(new AtomicInteger())).build());
    assertThat(finished.resumed()).isTrue();
    assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g1");
    assertThat(cache.get("e1")).isPresent();
    assertThatThrownBy(() -> cache.migrate(plan(counting(new AtomicInteger())).build()))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aFreshCacheFinishesASwitchThatFailedAfterDroppingThePlainCollection() {
    cacheWhoseSwitchFailed();
    // not initialized: the name stands for nothing until the resume names the new collection
    try (VectorCache fresh = f.builder().collectionConfig(NEW).modelId("old").build()) {
      AtomicInteger calls = new AtomicInteger();
      MigrationResult r = fresh.migrate(plan(counting(calls)).build());
      assertThat(calls).hasValue(0);
      assertThat(r.copied()).isEqualTo(3);
      assertThat(r.resumed()).isTrue();
      assertThat(f.vectors.listCollections()).containsExactly(COLL + "__g1");
      assertThat(fresh.get("e2")).isPresent();
    }
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose
  void badPlansAreRefusedBeforeAnyIo() {
    VectorCache cache = f.open(f.builder().modelId("old"));
    f.vectors.log().clear();
    Reembedder fn = (e, p) -> new float[] {1, 1};
    assertField(() -> cache.migrate(null), "plan");
    assertField(
        () -> cache.migrate(MigrationPlan.builder("old", CacheFixture.CONFIG, fn).build()), "plan");
    assertThatThrownBy(() -> cache.migrate(MigrationPlan.builder("new", NEW, fn).build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertField(() -> MigrationPlan.builder(null, NEW, fn), "modelId");
    assertField(() -> MigrationPlan.builder("m".repeat(201), NEW, fn), "modelId");
    assertField(() -> MigrationPlan.builder("new", null, fn), "collectionConfig");
    assertField(() -> MigrationPlan.builder("new", NEW, null), "reembedder");
    assertField(() -> MigrationPlan.builder("new", NEW, fn).batchSize(-1), "batchSize");
    assertField(() -> VectorCache.builder().modelId(" "), "modelId");
    assertThat(f.vectors.log().calls()).isEmpty();
    MigrationPlan plan = MigrationPlan.builder("new", NEW, fn).build();
    assertThat(plan.batchSize()).isEqualTo(MigrationPlan.DEFAULT_BATCH_SIZE);
    assertThat(plan.progressListener()).isNull();
    assertThat(plan.reembedder()).isSameAs(fn);
    assertThat(plan.toString()).contains("new", "dimension=2", "COSINE");
  }

  private static int n(CacheEntry e) {
    return ((Number) e.metadata().get("n")).intValue();
  }

  private static void assertField(Runnable call, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }
}
