package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.adapter.BlockingMetadataStore;
import dev.vectorcache.core.adapter.OutageLog;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntryRankingTest {
  private static final String COLLECTION = "answers";
  private static final String GLOBAL = COLLECTION + ":sc:rank";
  private static final String SCOPES = COLLECTION + ":sc:scopes";
  private static final String S1 = hash("tenant-1");
  private static final String S2 = hash("tenant-2");
  private static final String S3 = hash("tenant-3");

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final FakeScoredSets sets = new FakeScoredSets();
  private final List<Long> evictions = new CopyOnWriteArrayList<>();
  private final SemanticCacheListener listener =
      new SemanticCacheListener() {
        @Override
        public void onEvicted(long count) {
          evictions.add(count);
        }
      };
  private InMemoryVectorStore vectors;
  private InMemoryMetadataStore metadata;
  private VectorCache cache;
  private final List<EntryRanking> rankings = new ArrayList<>();

  @BeforeEach
  void open() {
    vectors = new InMemoryVectorStore();
    metadata = new InMemoryMetadataStore(clock);
    cache =
        VectorCache.builder()
            .collection(COLLECTION)
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(new WithScoredSets(metadata.async(), sets))
            .clock(clock)
            .build();
    cache.initialize();
  }

  @AfterEach
  void close() {
    rankings.forEach(EntryRanking::close);
    cache.close();
  }

  private EntryRanking ranking(Eviction eviction, long maxEntries, long maxPerScope) {
    return ranking(eviction, maxEntries, maxPerScope, EntryRanking.DEFAULT_CAPACITY);
  }

  private EntryRanking ranking(Eviction eviction, long maxEntries, long maxPerScope, int capacity) {
    EntryRanking r =
        EntryRanking.create(
            cache, COLLECTION, eviction, maxEntries, maxPerScope, List.of(listener), capacity);
    rankings.add(r);
    return r;
  }

  // ------------------------------------------------------------------ eviction order

  @Test
  void lruEvictsTheLeastRecentlyUsedAndAHitProtectsAnEntry() {
    EntryRanking r = ranking(Eviction.LRU, 3, 0);
    String a = put(r, S1, "a");
    String b = put(r, S1, "b");
    String c = put(r, S1, "c");
    flush(r);
    clock.advance(Duration.ofSeconds(1));
    r.onHit(S1, a); // a is now the most recent; b the least
    flush(r);
    String d = put(r, S1, "d");
    flush(r);

    assertThat(live()).containsExactlyInAnyOrder(a, c, d);
    assertThat(sets.members(GLOBAL))
        .containsExactlyInAnyOrder(S1 + "|" + a, S1 + "|" + c, S1 + "|" + d);
    assertThat(sets.members(scopeSet(S1))).containsExactlyInAnyOrder(a, c, d);
    assertThat(r.evicted()).isEqualTo(1);
    assertThat(evictions).containsExactly(1L);
    assertThat(b).isNotIn(live());
  }

  @Test
  void lruScoresAreTheTimesOfTheLastUse() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    String a = put(r, S1, "a");
    long putAt = clock.millis();
    flush(r);
    clock.advance(Duration.ofSeconds(5));
    r.onHit(S1, a);
    flush(r);
    assertThat(sets.score(scopeSet(S1), a)).isEqualTo((double) putAt + 5000);
    assertThat(sets.score(GLOBAL, S1 + "|" + a)).isEqualTo((double) putAt + 5000);
  }

  @Test
  void lfuEvictsTheLeastFrequentlyUsed() {
    EntryRanking r = ranking(Eviction.LFU, 3, 0);
    String a = put(r, S1, "a");
    String b = put(r, S1, "b");
    String c = put(r, S1, "c");
    flush(r);
    hit(r, S1, a, 2);
    hit(r, S1, c, 1);
    flush(r);
    assertThat(sets.score(GLOBAL, S1 + "|" + a)).isEqualTo(3.0);
    assertThat(sets.score(GLOBAL, S1 + "|" + b)).isEqualTo(1.0);
    assertThat(sets.score(GLOBAL, S1 + "|" + c)).isEqualTo(2.0);
    String d = put(r, S1, "d");
    r.onHit(S1, d); // merged with its queued put: 2 uses
    flush(r);

    assertThat(sets.score(scopeSet(S1), d)).isEqualTo(2.0);
    assertThat(live()).containsExactlyInAnyOrder(a, c, d);
    assertThat(evictions).containsExactly(1L);
  }

  @Test
  void lfuPutOfAReplacedAnswerStartsAgainAtOne() {
    EntryRanking r = ranking(Eviction.LFU, 10, 0);
    String a = put(r, S1, "a");
    flush(r);
    hit(r, S1, a, 4);
    flush(r);
    assertThat(sets.score(scopeSet(S1), a)).isEqualTo(5.0);
    r.onPut(S1, a);
    flush(r);
    assertThat(sets.score(scopeSet(S1), a)).isEqualTo(1.0);
    r.onHit(S1, a);
    r.onPut(S1, a); // a put after a queued hit resets it
    flush(r);
    assertThat(sets.score(scopeSet(S1), a)).isEqualTo(1.0);
  }

  // ------------------------------------------------------------------ bounds

  @Test
  void perScopeBoundEvictsOnlyWithinTheScope() {
    EntryRanking r = ranking(Eviction.LRU, 0, 2);
    String a1 = put(r, S1, "a1");
    String a2 = put(r, S1, "a2");
    String b1 = put(r, S2, "b1");
    String b2 = put(r, S2, "b2");
    flush(r);
    String a3 = put(r, S1, "a3");
    flush(r);

    assertThat(live()).containsExactlyInAnyOrder(a2, a3, b1, b2);
    assertThat(sets.members(scopeSet(S1))).containsExactlyInAnyOrder(a2, a3);
    assertThat(sets.members(scopeSet(S2))).containsExactlyInAnyOrder(b1, b2);
    assertThat(sets.members(GLOBAL)).as("no global set without a global bound").isEmpty();
    assertThat(a1).isNotIn(live());
    assertThat(evictions).containsExactly(1L);
  }

  @Test
  void globalBoundEvictsAcrossScopesAndRemovesBothMembers() {
    EntryRanking r = ranking(Eviction.LRU, 4, 0);
    String a1 = put(r, S1, "a1");
    String b1 = put(r, S2, "b1");
    String c1 = put(r, S3, "c1");
    String a2 = put(r, S1, "a2");
    flush(r);
    String b2 = put(r, S2, "b2");
    String c2 = put(r, S3, "c2");
    flush(r);

    assertThat(live()).containsExactlyInAnyOrder(c1, a2, b2, c2);
    assertThat(sets.members(scopeSet(S1))).containsExactly(a2);
    assertThat(sets.members(scopeSet(S2))).containsExactly(b2);
    assertThat(sets.members(scopeSet(S3))).containsExactlyInAnyOrder(c1, c2);
    assertThat(sets.size(GLOBAL).join()).isEqualTo(4);
    assertThat(List.of(a1, b1)).doesNotContainAnyElementsOf(live());
    assertThat(r.evicted()).isEqualTo(2);
    assertThat(sets.members(SCOPES)).containsExactlyInAnyOrder(S1, S2, S3);
  }

  @Test
  void bothBoundsTogether() {
    EntryRanking r = ranking(Eviction.LRU, 3, 2);
    put(r, S1, "a1");
    String a2 = put(r, S1, "a2");
    String a3 = put(r, S1, "a3");
    String b1 = put(r, S2, "b1");
    flush(r);
    assertThat(live()).containsExactlyInAnyOrder(a2, a3, b1);
    String b2 = put(r, S2, "b2");
    flush(r);
    assertThat(live()).containsExactlyInAnyOrder(a3, b1, b2);
    assertThat(sets.members(GLOBAL))
        .containsExactlyInAnyOrder(S1 + "|" + a3, S2 + "|" + b1, S2 + "|" + b2);
  }

  @Test
  void evictionRemovesTheVectorPointAndTheMetadataCopy() {
    EntryRanking r = ranking(Eviction.LRU, 1, 0);
    String a = put(r, S1, "a");
    flush(r);
    assertThat(vectors.retrieve(COLLECTION, List.of(cache.pointId(a)), PayloadSelector.NONE, false))
        .hasSize(1);
    assertThat(metadata.get(COLLECTION + ":" + a)).isPresent();
    String b = put(r, S1, "b");
    flush(r);

    assertThat(vectors.retrieve(COLLECTION, List.of(cache.pointId(a)), PayloadSelector.NONE, false))
        .isEmpty();
    assertThat(metadata.get(COLLECTION + ":" + a)).isEmpty();
    assertThat(vectors.retrieve(COLLECTION, List.of(cache.pointId(b)), PayloadSelector.NONE, false))
        .hasSize(1);
    assertThat(metadata.get(COLLECTION + ":" + b)).isPresent();
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(1);
  }

  @Test
  void overshootStaysWithinOneBatchOverTheBound() {
    int bound = 100;
    EntryRanking r = ranking(Eviction.LRU, bound, 0);
    for (int i = 0; i < 2_000; i++) {
      put(r, i % 2 == 0 ? S1 : S2, "entry-" + i);
    }
    flush(r);

    assertThat(sets.maxSize(GLOBAL))
        .as("the global set never holds more than its bound plus one batch of puts")
        .isGreaterThan(bound)
        .isLessThanOrEqualTo(bound + EntryRanking.BATCH);
    assertThat(sets.size(GLOBAL).join()).isEqualTo(bound);
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(bound);
    assertThat(r.evicted()).isEqualTo(2_000 - bound);
    assertThat(sets.largestUpdate()).isLessThanOrEqualTo(2 * EntryRanking.BATCH + 2);
  }

  @Test
  void perScopeOvershootStaysWithinOneBatch() {
    EntryRanking r = ranking(Eviction.LFU, 0, 10);
    for (int i = 0; i < 1_000; i++) {
      put(r, S1, "entry-" + i);
    }
    flush(r);
    assertThat(sets.maxSize(scopeSet(S1))).isLessThanOrEqualTo(10 + EntryRanking.BATCH);
    assertThat(sets.size(scopeSet(S1)).join()).isEqualTo(10);
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(10);
  }

  @Test
  void membersOfEntriesAlreadyGoneAreRemovedButNotCountedAsEvictions() {
    EntryRanking r = ranking(Eviction.LRU, 2, 0);
    String a = put(r, S1, "a");
    String b = put(r, S1, "b");
    flush(r);
    cache.delete(a); // invalidated by other means: its members stay until they are the lowest
    String c = put(r, S1, "c");
    flush(r);

    assertThat(live()).containsExactlyInAnyOrder(b, c);
    assertThat(sets.members(scopeSet(S1))).containsExactlyInAnyOrder(b, c);
    assertThat(r.evicted()).isZero();
    assertThat(evictions).isEmpty();
  }

  @Test
  void onlyBatchesWithPutsCheckTheSizes() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    String a = put(r, S1, "a");
    flush(r);
    int sizeCalls = sets.calls("size");
    assertThat(sizeCalls).isPositive();
    r.onHit(S1, a);
    flush(r);
    assertThat(sets.calls("update")).isEqualTo(2);
    assertThat(sets.calls("size")).isEqualTo(sizeCalls);
  }

  // ------------------------------------------------------------------ off the request path

  @Test
  void usesAreSentOnTheRankingsOwnThreadAndAHungStoreNeverBlocksAHit() throws Exception {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    sets.hang(true);
    String a = put(r, S1, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") == 1);
    for (int i = 0; i < 1_000; i++) {
      r.onHit(S1, a); // returns at once while the store hangs
    }
    CompletableFuture<Void> flushed = r.flush();
    assertThat(flushed).isNotDone();
    assertThat(sets.threads()).allMatch(t -> t.equals("vectorcache-sc-rank-" + COLLECTION));
    sets.hang(false);
    sets.releaseHung();
    flushed.get(10, TimeUnit.SECONDS);
    assertThat(sets.score(scopeSet(S1), a)).isNotNull();
    assertThat(r.dropped()).isZero();
  }

  @Test
  void usesThatFindTheQueueFullAreDroppedAndCounted() {
    EntryRanking r = ranking(Eviction.LRU, 100, 0, 10);
    sets.hang(true);
    r.onPut(S1, "first");
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") == 1);
    for (int i = 0; i < 15; i++) {
      r.onHit(S1, "k" + i);
    }
    r.onHit(S1, "k3"); // already queued: merged, not dropped
    assertThat(r.dropped()).isEqualTo(5);
    sets.hang(false);
    sets.releaseHung();
    flush(r);
    assertThat(sets.members(scopeSet(S1))).hasSize(11);
  }

  @Test
  void usesThatCouldNotBeSplitBackAreDropped() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    r.onPut("a|b", "key");
    r.onHit("", "key");
    r.onHit(S1, "");
    flush(r);
    assertThat(r.dropped()).isEqualTo(3);
    assertThat(sets.totalCalls()).isZero();
  }

  @Test
  void aFailingStoreNeverFailsTheCallerAndIsCounted() {
    EntryRanking r = ranking(Eviction.LRU, 1, 0);
    sets.fail(true);
    String a = put(r, S1, "a");
    flush(r);
    assertThat(r.failures()).isEqualTo(1);
    assertThat(r.forgetScope(S1)).succeedsWithin(Duration.ofSeconds(10));
    assertThat(r.clear()).succeedsWithin(Duration.ofSeconds(10));
    assertThat(r.rebuild()).failsWithin(Duration.ofSeconds(10));
    // counted by the ranking's thread as the failed step ends
    await().atMost(Duration.ofSeconds(10)).until(() -> r.failures() == 4);

    sets.fail(false);
    String b = put(r, S1, "b");
    String c = put(r, S1, "c");
    flush(r);
    assertThat(live()).containsExactlyInAnyOrder(a, c);
    assertThat(b).isNotIn(live());
  }

  @Test
  void aFailedEvictionIsTriedAgainAfterTheNextPuts() {
    EntryRanking r = ranking(Eviction.LRU, 1, 0);
    String a = put(r, S1, "a");
    flush(r);
    sets.failOn("lowest", true);
    String b = put(r, S1, "b");
    flush(r);
    assertThat(live()).containsExactlyInAnyOrder(a, b);
    assertThat(r.failures()).isEqualTo(1);
    sets.failOn("lowest", false);
    String c = put(r, S1, "c");
    flush(r);
    assertThat(live()).containsExactly(c);
  }

  @Test
  void aListenerThatThrowsIsIgnored() {
    EntryRanking r =
        EntryRanking.create(
            cache,
            COLLECTION,
            Eviction.LRU,
            1,
            0,
            List.of(
                new SemanticCacheListener() {
                  @Override
                  public void onEvicted(long count) {
                    throw new IllegalStateException("listener bug");
                  }
                },
                listener));
    rankings.add(r);
    put(r, S1, "a");
    String b = put(r, S1, "b");
    flush(r);
    assertThat(live()).containsExactly(b);
    assertThat(evictions).containsExactly(1L);
    assertThat(r.failures()).isZero();
  }

  @Test
  void membersThatAreNotOfThisRankingAreRemovedWithoutDeletingAnything() {
    EntryRanking r = ranking(Eviction.LRU, 1, 0);
    sets.update(List.of(ScoredSets.Update.set(GLOBAL, "no-separator", 0))).join();
    sets.update(List.of(ScoredSets.Update.set(GLOBAL, "trailing|", 0))).join();
    String a = put(r, S1, "a");
    flush(r);
    assertThat(sets.members(GLOBAL)).containsExactly(S1 + "|" + a);
    assertThat(live()).containsExactly(a);
    assertThat(r.evicted()).isZero();
  }

  @Test
  void aLongOutageIsSummarisedAndCounted() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    sets.fail(true);
    for (int i = 0; i < 3; i++) {
      put(r, S1, "a" + i);
      flush(r);
      clock.advance(Duration.ofMillis(OutageLog.SUMMARY_EVERY_MILLIS));
    }
    assertThat(r.failures()).isEqualTo(3);
    sets.fail(false);
    put(r, S1, "b");
    flush(r);
    assertThat(r.failures()).isEqualTo(3);
    assertThat(sets.members(scopeSet(S1))).hasSize(1);
  }

  // ------------------------------------------------------------------ scopes, clear, rebuild

  @Test
  void forgetScopeRemovesItsMembersEverywhereAndDropsItsQueuedUses() {
    EntryRanking r = ranking(Eviction.LRU, 1_000, 0);
    for (int i = 0; i < 300; i++) {
      put(r, S1, "a" + i); // more than one page of members
    }
    String b = put(r, S2, "b");
    flush(r);
    int updates = sets.calls("update");
    sets.hang(true);
    String late = put(r, S2, "late"); // in flight while the scope is forgotten
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") > updates);
    r.onHit(S1, "a1"); // queued, then dropped by forgetScope
    CompletableFuture<Void> forgotten = r.forgetScope(S1);
    r.onPut(S1, "after"); // recorded after the forget
    sets.hang(false);
    sets.releaseHung();
    assertThat(forgotten).succeedsWithin(Duration.ofSeconds(10));
    flush(r);

    assertThat(sets.members(scopeSet(S1))).containsExactly("after");
    assertThat(sets.members(GLOBAL))
        .containsExactlyInAnyOrder(S2 + "|" + b, S2 + "|" + late, S1 + "|after");
    assertThat(sets.members(SCOPES)).containsExactlyInAnyOrder(S1, S2);
  }

  @Test
  void forgetScopeWithoutAGlobalBoundDeletesTheScopeSet() {
    EntryRanking r = ranking(Eviction.LFU, 0, 5);
    put(r, S1, "a");
    String b = put(r, S2, "b");
    flush(r);
    assertThat(r.forgetScope(S1)).succeedsWithin(Duration.ofSeconds(10));
    assertThat(sets.keys()).containsExactlyInAnyOrder(scopeSet(S2), SCOPES);
    assertThat(sets.members(scopeSet(S2))).containsExactly(b);
    assertThat(sets.members(SCOPES)).containsExactly(S2);
  }

  @Test
  void clearDeletesEverySetAndDropsQueuedUses() {
    EntryRanking r = ranking(Eviction.LRU, 1_000, 0);
    for (int i = 0; i < 300; i++) {
      put(r, hash("scope-" + i), "a" + i); // more scopes than one page of the registry
    }
    flush(r);
    assertThat(sets.keys()).hasSize(302);
    int updates = sets.calls("update");
    sets.hang(true);
    put(r, S1, "in-flight");
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") > updates);
    r.onHit(S1, "queued");
    CompletableFuture<Void> cleared = r.clear();
    sets.hang(false);
    sets.releaseHung();
    assertThat(cleared).succeedsWithin(Duration.ofSeconds(10));
    flush(r);
    assertThat(sets.keys()).isEmpty();
  }

  @Test
  void rebuildAddsEveryLiveEntryWithItsCreationTimeThenEvicts() {
    EntryRanking r = ranking(Eviction.LRU, 300, 2);
    List<String> keys = new ArrayList<>();
    Map<String, Long> created = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      String scope = i < 3 ? S1 : hash("scope-" + (i % 200));
      String key = hash("entry-" + i);
      created.put(key, clock.millis());
      storeEntry(scope, key, Ttl.of(Duration.ofHours(1)));
      keys.add(key);
      clock.advance(Duration.ofMillis(10));
    }
    storeEntry(S2, hash("expired"), Ttl.of(Duration.ofSeconds(1)));
    cache.store(hash("not-ranked"), new float[] {1, 2, 3}, Map.of("other", "data"), Ttl.none());
    clock.advance(Duration.ofSeconds(2));
    // nothing was recorded: as after a Redis restart
    assertThat(sets.keys()).isEmpty();

    assertThat(r.rebuild()).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(400L);
    flush(r);

    assertThat(sets.members(scopeSet(S2))).isEmpty();
    // S1 had 3 entries, bound 2: the oldest went; the global bound keeps the 300 newest
    assertThat(sets.members(scopeSet(S1))).doesNotContain(keys.get(0));
    assertThat(sets.size(GLOBAL).join()).isEqualTo(300);
    // plus the entries that were not ranked: the expired one (not swept yet) and the one of no
    // scope
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(302);
    assertThat(live()).contains(hash("not-ranked"), hash("expired"));
    String newest = keys.get(399);
    assertThat(sets.score(GLOBAL, hash("scope-" + (399 % 200)) + "|" + newest))
        .isEqualTo((double) created.get(newest));
    assertThat(live()).doesNotContainAnyElementsOf(keys.subList(0, 100));
  }

  @Test
  void rebuildUnderLfuScoresOne() {
    EntryRanking r = ranking(Eviction.LFU, 0, 10);
    String key = put(r, S1, "x");
    hit(r, S1, key, 3);
    flush(r);
    assertThat(sets.score(scopeSet(S1), key)).isEqualTo(4.0);
    sets.deleteEverything(); // a Redis restart
    cache.store(
        hash("y"),
        new float[] {1, 1, 1},
        Map.of(EntryRanking.SCOPE_HASH_FIELD, S1),
        Ttl.none()); // no creation time: fine under LFU
    assertThat(r.rebuild()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(2L);
    assertThat(sets.score(scopeSet(S1), key)).isEqualTo(1.0);
    assertThat(sets.score(scopeSet(S1), hash("y"))).isEqualTo(1.0);
  }

  // ------------------------------------------------------------------ configuration, lifecycle

  @Test
  void disabledSendsNothing() {
    EntryRanking r = EntryRanking.disabled();
    r.onPut(S1, "a");
    r.onHit(S1, "a");
    assertThat(r.forgetScope(S1)).isDone();
    assertThat(r.clear()).isDone();
    assertThat(r.flush()).isDone();
    assertThat(r.rebuild()).isCompletedWithValue(0L);
    r.close();
    assertThat(r.dropped() + r.failures() + r.evicted()).isZero();
    EntryRanking none = ranking(Eviction.LRU, 0, 0);
    assertThat(none).isSameAs(EntryRanking.disabled());
    none.onPut(S1, "b");
    assertThat(sets.totalCalls()).isZero();
  }

  @Test
  void negativeBoundsAreRefused() {
    assertThatThrownBy(() -> ranking(Eviction.LRU, -1, 0))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("maxEntries"));
    assertThatThrownBy(() -> ranking(Eviction.LFU, 0, -3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("-3");
    assertThatThrownBy(() -> ranking(Eviction.LFU, 1, 0, 0))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aStoreWithoutScoredSetsIsRefusedNamingTheSetting() {
    try (VectorCache plain =
        VectorCache.builder()
            .collection("plain")
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(new RecordingMetadataStore(metadata)) // forwards no extension
            .ownsStores(false)
            .build()) {
      assertThatThrownBy(() -> EntryRanking.create(plain, "plain", Eviction.LRU, 10, 0, List.of()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("maxEntries")
          .hasMessageContaining("SCORED_SETS");
      assertThatThrownBy(() -> EntryRanking.create(plain, "plain", Eviction.LFU, 0, 5, List.of()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageStartingWith("maxEntriesPerScope ");
      assertThat(EntryRanking.create(plain, "plain", Eviction.LRU, 0, 0, List.of()))
          .isSameAs(EntryRanking.disabled());
    }
  }

  @Test
  void closeDropsWhatIsLeftAndLaterUsesAreIgnored() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    sets.hang(true);
    r.onPut(S1, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") == 1);
    r.onPut(S1, "b");
    CompletableFuture<Long> rebuilt = r.rebuild();
    CompletableFuture<Void> flushed = r.flush();
    r.close();
    assertThat(flushed).isDone();
    assertThat(rebuilt).isCompletedExceptionally();
    assertThat(r.dropped()).isEqualTo(1);
    r.onHit(S1, "c");
    assertThat(r.dropped()).isEqualTo(2);
    assertThat(r.flush()).isDone();
    assertThat(r.forgetScope(S1)).isDone();
    assertThat(r.clear()).isDone();
    assertThat(r.rebuild()).isCompletedExceptionally();
    r.close(); // twice is fine
    sets.releaseHung();
  }

  @Test
  void closingDuringARebuildFailsIt() {
    EntryRanking r = ranking(Eviction.LRU, 10, 0);
    for (int i = 0; i < 200; i++) {
      storeEntry(S1, hash("entry-" + i), Ttl.none()); // two pages
    }
    sets.hang(true);
    CompletableFuture<Long> rebuilt = r.rebuild();
    await().atMost(Duration.ofSeconds(10)).until(() -> sets.calls("update") == 1);
    r.close();
    assertThat(rebuilt).failsWithin(Duration.ofSeconds(10));
    sets.hang(false);
    sets.releaseHung(); // the page ends after the close: nothing more is read
    assertThat(sets.calls("update")).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private String put(EntryRanking r, String scope, String name) {
    clock.advance(Duration.ofMillis(1));
    String key = hash(scope + "/" + name);
    storeEntry(scope, key, Ttl.of(Duration.ofHours(1)));
    r.onPut(scope, key);
    return key;
  }

  private void storeEntry(String scope, String key, Ttl ttl) {
    cache.store(
        key,
        new float[] {1, (float) (key.hashCode() % 7), 2},
        Map.of(EntryRanking.SCOPE_HASH_FIELD, scope, EntryRanking.CREATED_FIELD, clock.millis()),
        ttl);
  }

  private static void hit(EntryRanking r, String scope, String key, int times) {
    for (int i = 0; i < times; i++) {
      r.onHit(scope, key);
    }
  }

  private static void flush(EntryRanking r) {
    assertThat(r.flush()).succeedsWithin(Duration.ofSeconds(30));
  }

  /** The keys of the entries in the vector store. */
  private Set<String> live() {
    Set<String> out = new HashSet<>();
    vectors
        .scroll(
            COLLECTION,
            new ScrollRequest(null, 10_000, null, PayloadSelector.include(EntryPayload.KEY), false))
        .points()
        .forEach(p -> out.add((String) p.payload().get(EntryPayload.KEY)));
    return out;
  }

  private static String scopeSet(String scope) {
    return GLOBAL + ":" + scope;
  }

  static String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sorted sets over TreeMaps, as Redis keeps them (a set without members does not exist). Can hang
   * (futures that complete only when released) or fail, and records calls, the calling threads and
   * the largest size each set reached.
   */
  static final class FakeScoredSets implements ScoredSets {
    private final Map<String, Map<String, Double>> sets = new TreeMap<>();
    private final Map<String, Integer> maxSizes = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final List<Runnable> hung = new ArrayList<>();
    private final Set<String> threads = new HashSet<>();
    private boolean hang;
    private boolean failAll;
    private int largestUpdate;

    synchronized void hang(boolean on) {
      hang = on;
    }

    synchronized void fail(boolean on) {
      failAll = on;
    }

    synchronized void failOn(String operation, boolean on) {
      if (on) {
        failing.add(operation);
      } else {
        failing.remove(operation);
      }
    }

    void releaseHung() {
      List<Runnable> release;
      synchronized (this) {
        release = new ArrayList<>(hung);
        hung.clear();
      }
      release.forEach(Runnable::run);
    }

    synchronized int calls(String operation) {
      return calls.getOrDefault(operation, 0);
    }

    synchronized int totalCalls() {
      return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized Set<String> threads() {
      return Set.copyOf(threads);
    }

    synchronized Set<String> keys() {
      return Set.copyOf(sets.keySet());
    }

    synchronized Set<String> members(String key) {
      return Set.copyOf(sets.getOrDefault(key, Map.of()).keySet());
    }

    synchronized @Nullable Double score(String key, String member) {
      return sets.getOrDefault(key, Map.of()).get(member);
    }

    synchronized int maxSize(String key) {
      return maxSizes.getOrDefault(key, 0);
    }

    synchronized int largestUpdate() {
      return largestUpdate;
    }

    synchronized void deleteEverything() {
      sets.clear();
    }

    private <T> CompletableFuture<T> call(String operation, java.util.function.Supplier<T> body) {
      CompletableFuture<T> f = new CompletableFuture<>();
      synchronized (this) {
        calls.merge(operation, 1, Integer::sum);
        threads.add(Thread.currentThread().getName());
        if (failAll || failing.contains(operation)) {
          return CompletableFuture.failedFuture(
              new BackendUnavailableException(
                  "scored sets (test)", "down", new IllegalStateException("test")));
        }
        if (hang) {
          hung.add(() -> complete(f, body));
          return f;
        }
      }
      complete(f, body);
      return f;
    }

    private <T> void complete(CompletableFuture<T> f, java.util.function.Supplier<T> body) {
      T value;
      synchronized (this) {
        value = body.get();
      }
      f.complete(value);
    }

    @Override
    public CompletableFuture<Void> update(List<Update> updates) {
      List<Update> copy = List.copyOf(updates);
      return call(
          "update",
          () -> {
            largestUpdate = Math.max(largestUpdate, copy.size());
            for (Update u : copy) {
              Map<String, Double> set = sets.computeIfAbsent(u.key(), k -> new HashMap<>());
              set.merge(u.member(), u.score(), (old, s) -> u.increment() ? old + s : s);
              maxSizes.merge(u.key(), set.size(), Math::max);
            }
            return null;
          });
    }

    @Override
    public CompletableFuture<Long> size(String key) {
      return call("size", () -> (long) sets.getOrDefault(key, Map.of()).size());
    }

    @Override
    public CompletableFuture<List<String>> lowest(String key, int count) {
      return call(
          "lowest",
          () ->
              sets.getOrDefault(key, Map.of()).entrySet().stream()
                  .sorted(
                      Map.Entry.<String, Double>comparingByValue()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .limit(count)
                  .map(Map.Entry::getKey)
                  .toList());
    }

    @Override
    public CompletableFuture<Long> remove(String key, Collection<String> members) {
      List<String> copy = List.copyOf(members);
      return call(
          "remove",
          () -> {
            Map<String, Double> set = sets.get(key);
            long n = 0;
            if (set != null) {
              for (String m : copy) {
                n += set.remove(m) == null ? 0 : 1;
              }
              if (set.isEmpty()) {
                sets.remove(key);
              }
            }
            return n;
          });
    }

    @Override
    public CompletableFuture<Boolean> deleteSet(String key) {
      return call("deleteSet", () -> sets.remove(key) != null);
    }
  }

  /** A metadata store that forwards to another and adds {@link ScoredSets}. */
  static final class WithScoredSets extends ForwardingMetadataStore {
    private final ScoredSets sets;

    WithScoredSets(AsyncMetadataStore delegate, ScoredSets sets) {
      super(delegate);
      this.sets = sets;
    }

    @Override
    public boolean isSupported(Capability capability) {
      return capability == Capability.SCORED_SETS || super.isSupported(capability);
    }

    @Override
    public MetadataStore blocking() {
      return new BlockingMetadataStore(this);
    }

    @Override
    public <T> Optional<T> extension(Class<T> type) {
      return type == ScoredSets.class ? Optional.of(type.cast(sets)) : super.extension(type);
    }
  }
}
