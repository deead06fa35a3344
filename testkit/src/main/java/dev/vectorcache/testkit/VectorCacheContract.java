package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.VectorCacheBuilder;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.exception.PayloadTooLargeException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract of {@link VectorCache} over a pair of stores: write order, absolute TTL, hydration in
 * one metadata round trip with cache-aside fallback, stale-copy rejection, sweeping, events, and
 * the bad-input table (every case rejected before any I/O).
 *
 * <p>A backend adds one subclass that opens its stores:
 *
 * <pre>{@code
 * class LettuceVectorCacheContractIT extends VectorCacheContract {
 *   protected VectorStore createVectorStore() { return new InMemoryVectorStore(); }
 *   protected MetadataStore createMetadataStore() { return LettuceMetadataStore.open(config); }
 * }
 * }</pre>
 *
 * <p>The cache runs on a {@link MutableClock}, so TTL tests never sleep. A real metadata store
 * expires keys by its own clock; the contract gives it real TTLs long enough not to interfere, and
 * checks that the cache never returns an expired entry even when the metadata store still holds it.
 */
public abstract class VectorCacheContract {
  private static final Instant START = Instant.parse("2031-03-01T12:00:00Z");
  private static final int DIM = 4;

  /** A fresh vector store (it may be shared across tests; each test uses its own collection). */
  protected abstract VectorStore createVectorStore();

  /** A fresh metadata store. */
  protected abstract MetadataStore createMetadataStore();

  protected MutableClock clock;
  protected String collection;
  protected RecordingVectorStore vectors;
  protected RecordingMetadataStore metadata;
  protected VectorCache cache;

  @BeforeEach
  void openCache() {
    clock = MutableClock.at(START);
    collection = "vc_contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    vectors = new RecordingVectorStore(createVectorStore());
    metadata = new RecordingMetadataStore(createMetadataStore());
    cache = newCache(collection, CollectionConfig.builder(DIM, Distance.COSINE).build());
    cache.initialize();
  }

  @AfterEach
  void closeCache() {
    if (cache != null) {
      try {
        vectors.recorder().clearFailures();
        metadata.recorder().clearFailures();
        vectors.blocking().deleteCollection(collection);
      } finally {
        cache.close();
      }
    }
  }

  /** A cache over this test's recording stores that does not own them. */
  protected VectorCache newCache(String name, CollectionConfig config) {
    return cacheBuilder(name, config, metadata).build();
  }

  /** The builder of {@link #newCache} over {@code metadataStore}, for the case groups. */
  VectorCacheBuilder cacheBuilder(String name, CollectionConfig config, AsyncMetadataStore store) {
    return VectorCache.builder()
        .collection(name)
        .collectionConfig(config)
        .vectorStore(vectors)
        .metadataStore(store)
        .clock(clock)
        .maxTtl(Duration.ofDays(30))
        .maxPayloadBytes(4096)
        .maxLimit(100);
  }

  private static float[] v(float... xs) {
    return xs;
  }

  private static Map<String, Object> meta(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private MetadataStore metadataBlocking() {
    return metadata.blocking();
  }

  // ---------------------------------------------------------------- basic round trips

  @Nested
  @DisplayName("Storing and reading")
  class StoringAndReading {
    @Test
    @DisplayName("a stored entry is returned by get with its exact metadata types")
    void storedEntryIsReturnedByGetWithExactMetadataTypes() {
      Map<String, Object> m =
          meta("title", "Hello", "count", 3L, "ratio", 2.0, "ok", true, "tags", List.of("a", "b"));
      m.put("none", null);
      CacheEntry stored = cache.store("doc-1", v(1, 0, 0, 0), m, Duration.ofMinutes(10));

      CacheEntry got = cache.get("doc-1").orElseThrow();

      assertThat(got.key()).isEqualTo("doc-1");
      assertThat(got.metadata()).isEqualTo(m);
      assertThat(got.metadata().get("count")).isInstanceOf(Long.class);
      assertThat(got.metadata().get("ratio")).isInstanceOf(Double.class);
      assertThat(got.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
      assertThat(got.version()).isEqualTo(stored.version());
    }

    @Test
    @DisplayName("storing a key again replaces it and keeps one point")
    void storingAKeyAgainReplacesItAndKeepsOnePoint() {
      cache.store("k", v(1, 0, 0, 0), meta("n", 1L), Duration.ofMinutes(5));
      CacheEntry second = cache.store("k", v(0, 1, 0, 0), meta("n", 2L), Duration.ofMinutes(5));

      assertThat(vectors.blocking().count(collection, null)).isEqualTo(1);
      assertThat(cache.get("k").orElseThrow().metadata()).containsEntry("n", 2L);
      assertThat(cache.get("k").orElseThrow().version()).isEqualTo(second.version());
      List<CacheHit> hits = cache.searchSimilar(v(0, 1, 0, 0), 5);
      assertThat(hits).extracting(CacheHit::key).containsExactly("k");
      assertThat(hits.get(0).score()).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    @DisplayName("keys map to deterministic UUID point ids, and the raw key is in the payload")
    void keysMapToDeterministicUuidPointIdsAndTheRawKeyIsInThePayload() {
      cache.store("user:42/doc", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
      assertThat(cache.pointId("user:42/doc")).isEqualTo(cache.pointId("user:42/doc"));
      assertThat(cache.pointId("user:42/doc").isUuid()).isTrue();
      assertThat(cache.pointId("a")).isNotEqualTo(cache.pointId("b"));

      List<RetrievedPoint> points =
          vectors
              .blocking()
              .retrieve(
                  collection, List.of(cache.pointId("user:42/doc")), PayloadSelector.ALL, false);
      assertThat(points).hasSize(1);
      assertThat(points.get(0).payload())
          .containsEntry(EntryPayload.KEY, "user:42/doc")
          .containsEntry(EntryPayload.EXPIRES_AT, START.plus(Duration.ofMinutes(5)).toEpochMilli());
    }

    @Test
    @DisplayName("a search returns the nearest entries first, with their metadata")
    void searchReturnsNearestFirstWithMetadata() {
      cache.store("east", v(1, 0, 0, 0), meta("dir", "east"), Duration.ofHours(1));
      cache.store("north", v(0, 1, 0, 0), meta("dir", "north"), Duration.ofHours(1));
      cache.store("north-east", v(1, 1, 0, 0), meta("dir", "ne"), Duration.ofHours(1));

      List<CacheHit> hits = cache.searchSimilar(v(1, 0.1f, 0, 0), 3);

      assertThat(hits).extracting(CacheHit::key).containsExactly("east", "north-east", "north");
      // cos([1,.1],[1,0]) = 1/sqrt(1.01) = 0.995037
      assertThat(hits.get(0).score())
          .isCloseTo(0.995037f, org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(hits.get(0).metadata()).containsEntry("dir", "east");
      assertThat(hits).allMatch(h -> h.source() == CacheHit.Source.METADATA_STORE);
    }

    @Test
    @DisplayName("a search honours a metadata filter and a strict score threshold")
    void searchHonoursMetadataFilterAndStrictThreshold() {
      cache.store("a", v(1, 0, 0, 0), meta("lang", "en"), Duration.ofHours(1));
      cache.store("b", v(0.6f, 0.8f, 0, 0), meta("lang", "en"), Duration.ofHours(1));
      cache.store("c", v(1, 0.01f, 0, 0), meta("lang", "de"), Duration.ofHours(1));

      List<CacheHit> en =
          cache.searchSimilar(v(1, 0, 0, 0), 10, Filter.must(Condition.match("lang", "en")), null);
      assertThat(en).extracting(CacheHit::key).containsExactly("a", "b");

      // cos([1,0],[0.6,0.8]) = 0.6 exactly: a threshold of 0.6 excludes it (strict)
      List<CacheHit> above =
          cache.searchSimilar(v(1, 0, 0, 0), 10, Filter.must(Condition.match("lang", "en")), 0.6f);
      assertThat(above).extracting(CacheHit::key).containsExactly("a");
    }

    @Test
    @DisplayName("storeAll writes a batch with one vector-store call")
    void storeAllWritesABatchWithOneVectorStoreCall() {
      List<CacheWrite> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(
            CacheWrite.of("k" + i, v(1, i, 0, 0), meta("i", (long) i), Duration.ofMinutes(5)));
      }
      vectors.recorder().reset();

      List<CacheEntry> entries = cache.storeAll(batch);

      assertThat(entries).hasSize(20);
      assertThat(vectors.recorder().calls("upsert")).isEqualTo(1);
      assertThat(vectors.blocking().count(collection, null)).isEqualTo(20);
      assertThat(cache.get("k7").orElseThrow().metadata()).containsEntry("i", 7L);
    }

    @Test
    @DisplayName("the async forms give the same answers")
    void asyncFormsGiveTheSameAnswers() {
      CacheEntry e =
          cache.storeAsync("x", v(0, 0, 1, 0), meta("m", "x"), Duration.ofMinutes(1)).join();
      assertThat(cache.getAsync("x").join()).contains(e);
      assertThat(cache.searchSimilarAsync(v(0, 0, 1, 0), 1, null, null).join())
          .extracting(CacheHit::key)
          .containsExactly("x");
      assertThat(cache.deleteAsync("x").join()).isTrue();
      assertThat(cache.getAsync("x").join()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- TTL

  @Nested
  @DisplayName("Expiry")
  class Expiry {
    @Test
    @DisplayName("an entry is visible 1 ms before its TTL and gone at its TTL")
    void entryIsVisibleOneMillisecondBeforeItsTtlAndGoneAtItsTtl() {
      Duration ttl = Duration.ofSeconds(30);
      cache.store("t", v(1, 0, 0, 0), meta("x", 1L), ttl);

      clock.advance(ttl.minusMillis(1));
      assertThat(cache.get("t")).isPresent();
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5))
          .extracting(CacheHit::key)
          .containsExactly("t");

      clock.advance(Duration.ofMillis(1));
      assertThat(cache.get("t")).isEmpty();
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5)).isEmpty();
    }

    @Test
    @DisplayName("the TTL is absolute in both stores")
    void ttlIsAbsoluteInBothStores() {
      cache.store("t", v(1, 0, 0, 0), meta(), Duration.ofMinutes(7));

      Duration remaining = metadataBlocking().ttl(collection + ":t").orElseThrow();
      assertThat(remaining).isLessThanOrEqualTo(Duration.ofMinutes(7));
      assertThat(remaining).isGreaterThan(Duration.ofMinutes(6));
      MetadataEntry copy = metadataBlocking().get(collection + ":t").orElseThrow();
      assertThat(copy.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(7)));
    }

    @Test
    @DisplayName("an expired entry is not returned, even while the metadata store still holds it")
    void anExpiredEntryIsNotReturnedEvenWhileTheMetadataStoreStillHoldsIt() {
      cache.store("t", v(1, 0, 0, 0), meta(), Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(2));

      // a real metadata store expires by its own clock, so its copy may still be there
      assertThat(cache.get("t")).isEmpty();
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5)).isEmpty();
    }

    @Test
    @DisplayName(
        "expired entries are filtered in the vector store, so they do not take the slots of live ones")
    void expiredEntriesAreFilteredInTheVectorStoreSoTheyDoNotTakeTheSlotsOfLiveOnes() {
      // the expired entries are the nearest to the query; a filter applied only after the search
      // would return fewer than `limit` live hits
      for (int i = 0; i < 3; i++) {
        cache.store("old" + i, v(1, 0.01f * i, 0, 0), meta(), Duration.ofMinutes(1));
      }
      clock.advance(Duration.ofMinutes(2));
      for (int i = 0; i < 3; i++) {
        cache.store("live" + i, v(0.5f, 1, 0.1f * i, 0), meta(), Duration.ofMinutes(10));
      }

      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 3))
          .extracting(CacheHit::key)
          .containsExactlyInAnyOrder("live0", "live1", "live2");
    }

    @Test
    @DisplayName("the sweep deletes expired points and announces them")
    void sweepDeletesExpiredPointsAndAnnouncesThem() {
      List<MetadataEvent> events = new CopyOnWriteArrayList<>();
      try (Subscription s = cache.subscribe(events::add)) {
        assertThat(s.channel()).isEqualTo(collection);
        cache.store("old", v(1, 0, 0, 0), meta(), Duration.ofMinutes(1));
        cache.store("new", v(0, 1, 0, 0), meta(), Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(5));

        assertThat(cache.sweepExpired()).isEqualTo(1);

        assertThat(vectors.blocking().count(collection, null)).isEqualTo(1);
        assertThat(metadataBlocking().get(collection + ":old")).isEmpty();
        assertThat(cache.stats().expiredSwept()).isEqualTo(1);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(events)
                        .anySatisfy(
                            e -> {
                              assertThat(e.type()).isEqualTo(MetadataEvent.Type.EXPIRED);
                              assertThat(e.key()).isEqualTo("old");
                            }));
        assertThat(cache.sweepExpired()).isZero();
      }
    }
  }

  // ---------------------------------------------------------------- no expiry

  @Nested
  @DisplayName("Entries without expiry")
  class NoExpiry {
    private static final Duration FAR = Duration.ofDays(10 * 365);

    @Test
    @DisplayName("an entry stored with Ttl.none() is returned by get and search long after any TTL")
    void liveLongAfterAnyTtl() {
      CacheEntry stored = cache.store("forever", v(1, 0, 0, 0), meta("n", 1L), Ttl.none());
      assertThat(stored.expiresAt()).isNull();
      assertThat(stored.expires()).isFalse();

      clock.advance(FAR);

      CacheEntry got = cache.get("forever").orElseThrow();
      assertThat(got.expiresAt()).isNull();
      assertThat(got.metadata()).containsEntry("n", 1L);
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5))
          .singleElement()
          .satisfies(h -> assertThat(h.entry().expiresAt()).isNull());
    }

    @Test
    @DisplayName("its payload has no expiry field and its metadata-store copy has no TTL")
    void noExpiryFieldAndNoTtl() {
      cache.store("forever", v(1, 0, 0, 0), meta(), Ttl.none());

      List<RetrievedPoint> points =
          vectors
              .blocking()
              .retrieve(collection, List.of(cache.pointId("forever")), PayloadSelector.ALL, false);
      assertThat(points.get(0).payload())
          .containsKey(EntryPayload.KEY)
          .doesNotContainKey(EntryPayload.EXPIRES_AT);
      MetadataEntry copy = metadataBlocking().get(collection + ":forever").orElseThrow();
      assertThat(copy.expiresAt()).isNull();
      assertThat(metadataBlocking().ttl(collection + ":forever"))
          .contains(ChronoUnit.FOREVER.getDuration());
    }

    @Test
    @DisplayName("storing a key again without expiry clears the TTL of its earlier copy")
    void storingAgainWithoutExpiryClearsTheTtl() {
      cache.store("k", v(1, 0, 0, 0), meta("n", 1L), Duration.ofMinutes(5));
      cache.store("k", v(1, 0, 0, 0), meta("n", 2L), Ttl.none());

      assertThat(metadataBlocking().ttl(collection + ":k"))
          .contains(ChronoUnit.FOREVER.getDuration());
      clock.advance(Duration.ofMinutes(10));
      assertThat(cache.get("k").orElseThrow().metadata()).containsEntry("n", 2L);
    }

    @Test
    @DisplayName("the sweeper leaves it, and deletes the expired entries beside it")
    void sweeperLeavesIt() {
      cache.store("forever", v(1, 0, 0, 0), meta(), Ttl.none());
      cache.store("old", v(0, 1, 0, 0), meta(), Duration.ofMinutes(1));
      clock.advance(FAR);

      assertThat(cache.sweepExpired()).isEqualTo(1);

      assertThat(vectors.blocking().count(collection, null)).isEqualTo(1);
      assertThat(cache.get("forever")).isPresent();
      assertThat(metadataBlocking().get(collection + ":forever")).isPresent();
    }

    @Test
    @DisplayName("a metadata-store miss is repopulated from the payload without a TTL")
    void missIsRepopulatedWithoutTtl() {
      cache.store("forever", v(1, 0, 0, 0), meta("title", "payload"), Ttl.none());
      metadataBlocking().delete(collection + ":forever");
      clock.advance(FAR);

      List<CacheHit> hits = cache.searchSimilar(v(1, 0, 0, 0), 1);

      assertThat(hits)
          .singleElement()
          .satisfies(h -> assertThat(h.source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD));
      cache.flushAsync().join(); // write-backs are queued, off the caller's path
      assertThat(metadataBlocking().ttl(collection + ":forever"))
          .contains(ChronoUnit.FOREVER.getDuration());
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 1).get(0).source())
          .isEqualTo(CacheHit.Source.METADATA_STORE);
    }

    @Test
    @DisplayName(
        "a batch mixes entries with and without expiry, and an omitted TTL means the default")
    void batchAndDefault() {
      List<CacheEntry> entries =
          cache.storeAll(
              List.of(
                  CacheWrite.withoutExpiry("a", v(1, 0, 0, 0), meta()),
                  CacheWrite.of("b", v(0, 1, 0, 0), meta(), Duration.ofMinutes(1)),
                  CacheWrite.of("c", v(0, 0, 1, 0), meta(), (Ttl) null)));
      CacheEntry single = cache.store("d", v(0, 0, 0, 1), meta());

      assertThat(entries.get(0).expiresAt()).isNull();
      assertThat(entries.get(1).expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
      // the builder's default TTL (one hour unless set)
      assertThat(entries.get(2).expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
      assertThat(single.expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));

      clock.advance(Duration.ofHours(2));
      assertThat(cache.searchSimilar(v(1, 1, 1, 1), 10))
          .extracting(CacheHit::key)
          .containsExactly("a");
    }
  }

  // ---------------------------------------------------------------- hydration

  @Nested
  @DisplayName("Hydration of search hits")
  class Hydration {
    @Test
    @DisplayName("hydrating k hits costs one metadata round trip")
    void hydratingKHitsCostsOneMetadataRoundTrip() {
      for (int i = 0; i < 10; i++) {
        cache.store("h" + i, v(1, i * 0.1f, 0, 0), meta("i", (long) i), Duration.ofHours(1));
      }
      metadata.recorder().reset();
      vectors.recorder().reset();

      List<CacheHit> hits = cache.searchSimilar(v(1, 0, 0, 0), 10);

      assertThat(hits).hasSize(10);
      assertThat(hits).allMatch(h -> h.source() == CacheHit.Source.METADATA_STORE);
      assertThat(metadata.recorder().calls("getAll")).isEqualTo(1);
      assertThat(metadata.recorder().calls("get")).isZero();
      assertThat(metadata.recorder().totalCalls()).isEqualTo(1);
      assertThat(vectors.recorder().allCalls()).isEqualTo(Map.of("search", 1));
    }

    @Test
    @DisplayName(
        "a metadata-store miss falls back to the payload and repopulates with the remaining TTL")
    void aMetadataStoreMissFallsBackToThePayloadAndRepopulatesWithTheRemainingTtl() {
      cache.store("m", v(1, 0, 0, 0), meta("title", "from payload"), Duration.ofMinutes(10));
      metadataBlocking().delete(collection + ":m");
      clock.advance(Duration.ofMinutes(4));

      List<CacheHit> hits = cache.searchSimilar(v(1, 0, 0, 0), 1);

      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD);
      assertThat(hits.get(0).metadata()).isEqualTo(Map.of("title", "from payload"));
      cache.flushAsync().join();
      MetadataEntry back = metadataBlocking().get(collection + ":m").orElseThrow();
      assertThat(back.metadata()).containsEntry("title", "from payload");
      assertThat(back.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
      Duration ttl = metadataBlocking().ttl(collection + ":m").orElseThrow();
      assertThat(ttl)
          .isLessThanOrEqualTo(Duration.ofMinutes(6))
          .isGreaterThan(Duration.ofMinutes(5));

      // the next search is served from the metadata store again
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 1).get(0).source())
          .isEqualTo(CacheHit.Source.METADATA_STORE);
    }

    @Test
    @DisplayName("a stale metadata copy is never returned")
    void aStaleMetadataCopyIsNeverReturned() {
      CacheEntry current =
          cache.store("s", v(1, 0, 0, 0), meta("title", "current"), Duration.ofMinutes(10));
      // an older version left behind, e.g. by a metadata write that failed after a vector write
      metadataBlocking()
          .put(
              new MetadataEntry(
                  collection + ":s",
                  meta("title", "stale"),
                  current.version() - 1,
                  current.expiresAt()),
              Duration.ofMinutes(10));

      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 1).get(0).metadata())
          .containsEntry("title", "current");
      assertThat(cache.get("s").orElseThrow().metadata()).containsEntry("title", "current");
      assertThat(cache.stats().staleMetadataRejected()).isGreaterThanOrEqualTo(1);
      cache.flushAsync().join();
      assertThat(metadataBlocking().get(collection + ":s").orElseThrow().version())
          .isEqualTo(current.version());
    }
  }

  // ---------------------------------------------------------------- write order and failures

  @Nested
  @DisplayName("Write order and failures")
  class WriteOrderAndFailures {
    @Test
    @DisplayName("a failed vector write fails the call and leaves no metadata")
    void aFailedVectorWriteFailsTheCallAndLeavesNoMetadata() {
      vectors
          .recorder()
          .failOn(
              "upsert",
              CallRecorder.FailureMode.FAIL,
              () -> new BackendUnavailableException("test", "injected: vector store down", null));

      assertThatThrownBy(
              () -> cache.store("f", v(1, 0, 0, 0), meta("a", 1L), Duration.ofMinutes(1)))
          .isInstanceOf(BackendUnavailableException.class);

      assertThat(metadata.recorder().calls("put")).isZero();
      assertThat(metadataBlocking().get(collection + ":f")).isEmpty();
    }

    @Test
    @DisplayName("an ambiguous vector write drops the old metadata copy")
    void anAmbiguousVectorWriteDropsTheOldMetadataCopy() {
      cache.store("f", v(1, 0, 0, 0), meta("v", 1L), Duration.ofMinutes(5));
      vectors
          .recorder()
          .failOn(
              "upsert",
              CallRecorder.FailureMode.APPLY_THEN_FAIL,
              () ->
                  new BackendUnavailableException("test", "injected: applied, then failed", null));

      assertThatThrownBy(
              () -> cache.store("f", v(0, 1, 0, 0), meta("v", 2L), Duration.ofMinutes(5)))
          .isInstanceOf(BackendUnavailableException.class);

      // dropping the old copy is not awaited by the store (readers compare versions): it lands
      // soon, and at once only where the async form runs inline
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metadataBlocking().get(collection + ":f").isEmpty());
      vectors.recorder().clearFailures();
      // the vector store applied the second write: readers see it, never the old copy
      assertThat(cache.get("f").orElseThrow().metadata()).containsEntry("v", 2L);
    }

    @Test
    @DisplayName("a metadata-store failure is tolerated on writes and reads")
    void aMetadataStoreFailureIsToleratedOnWritesAndReads() {
      metadata
          .recorder()
          .failOn(
              "put",
              CallRecorder.FailureMode.FAIL,
              () -> new BackendUnavailableException("test", "injected: metadata store down", null));
      metadata
          .recorder()
          .failOn(
              "getAll",
              CallRecorder.FailureMode.FAIL,
              () -> new BackendUnavailableException("test", "injected: metadata store down", null));

      cache.store("d", v(1, 0, 0, 0), meta("title", "degraded"), Duration.ofMinutes(5));
      List<CacheHit> hits = cache.searchSimilar(v(1, 0, 0, 0), 1);

      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).metadata()).containsEntry("title", "degraded");
      assertThat(hits.get(0).source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD);
      assertThat(cache.stats().metadataStoreFailures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @DisplayName("delete removes the entry from both stores and announces it")
    void deleteRemovesTheEntryFromBothStoresAndAnnouncesIt() {
      List<MetadataEvent> events = new CopyOnWriteArrayList<>();
      try (Subscription s = cache.subscribe(events::add)) {
        assertThat(s.channel()).isEqualTo(collection);
        cache.store("del", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
        assertThat(cache.delete("del")).isTrue();
        assertThat(cache.delete("del")).isFalse();
        assertThat(cache.get("del")).isEmpty();
        assertThat(metadataBlocking().get(collection + ":del")).isEmpty();
        assertThat(vectors.blocking().count(collection, null)).isZero();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(events)
                        .extracting(MetadataEvent::type)
                        .contains(MetadataEvent.Type.STORED, MetadataEvent.Type.DELETED));
      }
    }
  }

  @Nested
  @DisplayName("Deleting by keys, by filter, and everything")
  class Removal extends VectorCacheRemovalCases {
    @Override
    VectorCacheContract contract() {
      return VectorCacheContract.this;
    }
  }

  @Nested
  @DisplayName("Moving the expiry, and reading a copy alone")
  class ExpiryAndCopies extends VectorCacheExpiryAndCopyCases {
    @Override
    VectorCacheContract contract() {
      return VectorCacheContract.this;
    }
  }

  @Nested
  @DisplayName("Listener hooks: timings, hit scores, deletes")
  class ListenerHooks extends VectorCacheListenerCases {
    @Override
    VectorCacheContract contract() {
      return VectorCacheContract.this;
    }
  }

  // ---------------------------------------------------------------- initialize

  @Nested
  @DisplayName("Initialization")
  class Initialization {
    @Test
    @DisplayName("initialize is idempotent and creates the collection with its config")
    void initializeIsIdempotentAndCreatesTheCollectionWithItsConfig() {
      cache.initialize();
      // a real Qdrant fills in its own defaults for unset fields: compare what the cache set
      CollectionConfig expected = CollectionConfig.builder(DIM, Distance.COSINE).build();
      CollectionConfig found = vectors.blocking().collectionInfo(collection).config();
      assertThat(found.vectors()).isEqualTo(expected.vectors());
      assertThat(found.storageMode()).isEqualTo(expected.storageMode());
      assertThat(found.quantization()).isEqualTo(expected.quantization());
    }

    @Test
    @DisplayName("initialize against a collection with another dimension fails")
    void initializeAgainstACollectionWithAnotherDimensionFails() {
      VectorCache other =
          newCache(collection, CollectionConfig.builder(DIM + 1, Distance.COSINE).build());
      assertThatThrownBy(other::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("dimension")
          .hasMessageContaining(String.valueOf(DIM))
          .hasMessageContaining(String.valueOf(DIM + 1));
    }

    @Test
    @DisplayName("initialize against a collection with another distance fails")
    void initializeAgainstACollectionWithAnotherDistanceFails() {
      VectorCache other = newCache(collection, CollectionConfig.builder(DIM, Distance.DOT).build());
      assertThatThrownBy(other::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("distance")
          .hasMessageContaining("COSINE")
          .hasMessageContaining("DOT");
    }
  }

  // ---------------------------------------------------------------- bad input

  /** One bad call: a name, the call, the exception type, and text the message must contain. */
  protected record BadInput(
      String name,
      Consumer<VectorCache> call,
      Class<? extends Exception> type,
      List<String> mentions) {
    public BadInput {
      mentions = List.copyOf(mentions);
    }

    public BadInput(
        String name,
        Consumer<VectorCache> call,
        Class<? extends Exception> type,
        String... mentions) {
      this(name, call, type, List.of(mentions));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @SuppressWarnings("NullAway") // refusal cases: null goes to non-null parameters on purpose
  static Stream<Arguments> badInputs() {
    float[] ok = {1, 0, 0, 0};
    Map<String, Object> cyclic = new HashMap<>();
    cyclic.put("self", cyclic);
    Duration ttl = Duration.ofMinutes(1);
    List<BadInput> cases =
        List.of(
            new BadInput(
                "null key",
                c -> c.store(null, ok, Map.of(), ttl),
                InvalidInputException.class,
                "key",
                "non-blank",
                "null"),
            new BadInput(
                "empty key",
                c -> c.store("", ok, Map.of(), ttl),
                InvalidInputException.class,
                "key",
                "non-blank"),
            new BadInput(
                "blank key",
                c -> c.store("  \t", ok, Map.of(), ttl),
                InvalidInputException.class,
                "key",
                "non-blank"),
            new BadInput(
                "key over 1024 bytes",
                c -> c.store("é".repeat(513), ok, Map.of(), ttl),
                InvalidInputException.class,
                "key",
                "1024",
                "1026 bytes"),
            new BadInput(
                "null vector",
                c -> c.store("k", null, Map.of(), ttl),
                InvalidVectorException.class,
                "vector",
                "null"),
            new BadInput(
                "empty vector",
                c -> c.store("k", new float[0], Map.of(), ttl),
                InvalidVectorException.class,
                "vector",
                "non-empty"),
            new BadInput(
                "wrong dimension",
                c -> c.store("k", new float[] {1, 2, 3}, Map.of(), ttl),
                DimensionMismatchException.class,
                "vector",
                "dimension 4",
                "dimension 3"),
            new BadInput(
                "NaN component",
                c -> c.store("k", new float[] {1, 0, Float.NaN, 0}, Map.of(), ttl),
                InvalidVectorException.class,
                "vector[2]",
                "finite",
                "NaN"),
            new BadInput(
                "infinite component",
                c -> c.store("k", new float[] {1, Float.POSITIVE_INFINITY, 0, 0}, Map.of(), ttl),
                InvalidVectorException.class,
                "vector[1]",
                "Infinity"),
            new BadInput(
                "zero vector for Cosine",
                c -> c.store("k", new float[4], Map.of(), ttl),
                InvalidVectorException.class,
                "vector",
                "non-zero norm"),
            new BadInput(
                "zero TTL",
                c -> c.store("k", ok, Map.of(), Duration.ZERO),
                InvalidInputException.class,
                "ttl",
                "positive",
                "PT0S"),
            new BadInput(
                "zero Ttl value",
                c -> c.store("k", ok, Map.of(), Ttl.of(Duration.ZERO)),
                InvalidInputException.class,
                "ttl",
                "positive",
                "Ttl.none()"),
            new BadInput(
                "negative TTL",
                c -> c.store("k", ok, Map.of(), Duration.ofSeconds(-5)),
                InvalidInputException.class,
                "ttl",
                "positive",
                "PT-5S"),
            new BadInput(
                "sub-millisecond TTL",
                c -> c.store("k", ok, Map.of(), Duration.ofNanos(500_000)),
                InvalidInputException.class,
                "ttl",
                "1 ms"),
            new BadInput(
                "TTL above maximum",
                c -> c.store("k", ok, Map.of(), Duration.ofDays(31)),
                InvalidInputException.class,
                "ttl",
                "at most PT720H",
                "PT744H"),
            new BadInput(
                "metadata value not JSON",
                c -> c.store("k", ok, Map.of("when", new Object()), ttl),
                InvalidMetadataException.class,
                "metadata.when",
                "java.lang.Object"),
            new BadInput(
                "metadata NaN",
                c -> c.store("k", ok, Map.of("score", Double.NaN), ttl),
                InvalidMetadataException.class,
                "metadata.score",
                "finite",
                "NaN"),
            new BadInput(
                "metadata nested infinity",
                c -> c.store("k", ok, Map.of("a", List.of(1, Float.NEGATIVE_INFINITY)), ttl),
                InvalidMetadataException.class,
                "metadata.a[1]",
                "finite"),
            new BadInput(
                "metadata cycle",
                c -> c.store("k", ok, cyclic, ttl),
                InvalidMetadataException.class,
                "metadata.self",
                "cycle"),
            new BadInput(
                "metadata non-string key",
                c -> c.store("k", ok, Map.of("m", Map.of(7, "x")), ttl),
                InvalidMetadataException.class,
                "metadata.m",
                "string keys",
                "Integer"),
            new BadInput(
                "metadata reserved key",
                c -> c.store("k", ok, Map.of(EntryPayload.KEY, "x"), ttl),
                InvalidMetadataException.class,
                "metadata." + EntryPayload.KEY,
                "reserved"),
            new BadInput(
                "metadata too large",
                c -> c.store("k", ok, Map.of("blob", "x".repeat(5000)), ttl),
                PayloadTooLargeException.class,
                "metadata",
                "at most 4096 bytes",
                "more than 4096 bytes"),
            new BadInput(
                "limit zero",
                c -> c.searchSimilar(ok, 0),
                InvalidInputException.class,
                "limit",
                "1 to 100",
                "found 0"),
            new BadInput(
                "negative limit",
                c -> c.searchSimilar(ok, -3),
                InvalidInputException.class,
                "limit",
                "found -3"),
            new BadInput(
                "limit above maximum",
                c -> c.searchSimilar(ok, 101),
                InvalidInputException.class,
                "limit",
                "found 101"),
            new BadInput(
                "query wrong dimension",
                c -> c.searchSimilar(new float[] {1, 0}, 5),
                DimensionMismatchException.class,
                "query",
                "dimension 4",
                "dimension 2"),
            new BadInput(
                "query NaN",
                c -> c.searchSimilar(new float[] {Float.NaN, 0, 0, 0}, 5),
                InvalidVectorException.class,
                "query[0]",
                "NaN"),
            new BadInput(
                "query zero for Cosine",
                c -> c.searchSimilar(new float[4], 5),
                InvalidVectorException.class,
                "query",
                "non-zero norm"),
            new BadInput(
                "threshold NaN",
                c -> c.searchSimilar(ok, 5, null, Float.NaN),
                InvalidInputException.class,
                "scoreThreshold",
                "finite"),
            new BadInput(
                "Cosine threshold above 1",
                c -> c.searchSimilar(ok, 5, null, 1.5f),
                InvalidInputException.class,
                "scoreThreshold",
                "-1 to 1",
                "1.5"),
            new BadInput("get blank key", c -> c.get(" "), InvalidInputException.class, "key"),
            new BadInput(
                "delete null key", c -> c.delete(null), InvalidInputException.class, "key"),
            new BadInput(
                "async store, NaN",
                c -> {
                  // invalid input is thrown at once, before there is a future to look at
                  CompletableFuture<?> unused =
                      c.storeAsync("k", new float[] {Float.NaN, 0, 0, 0}, Map.of(), ttl);
                },
                InvalidVectorException.class,
                "vector[0]"),
            new BadInput(
                "batch with duplicate keys",
                c ->
                    c.storeAll(
                        List.of(
                            CacheWrite.of("k", ok, null, ttl), CacheWrite.of("k", ok, null, ttl))),
                InvalidInputException.class,
                "writes[1].key",
                "unique",
                "writes[0]"),
            new BadInput(
                "batch with one bad vector",
                c ->
                    c.storeAll(
                        List.of(
                            CacheWrite.of("a", ok, null, ttl),
                            CacheWrite.of("b", ok, null, ttl),
                            CacheWrite.of("c", new float[] {0, 0, Float.NaN, 0}, null, ttl))),
                InvalidVectorException.class,
                "writes[2].vector[2]"));
    return cases.stream().map(Arguments::of);
  }

  @Nested
  @DisplayName("Input validation")
  class InputValidation {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vectorcache.testkit.VectorCacheContract#badInputs")
    @DisplayName("bad input is rejected before any I/O")
    void badInputIsRejectedBeforeAnyIo(BadInput bad) {
      vectors.recorder().reset();
      metadata.recorder().reset();

      assertThatThrownBy(() -> bad.call().accept(cache))
          .isExactlyInstanceOf(bad.type())
          .satisfies(
              e -> {
                for (String m : bad.mentions()) {
                  assertThat(e.getMessage()).contains(m);
                }
              });

      assertThat(vectors.recorder().allCalls()).as("vector store calls").isEmpty();
      assertThat(metadata.recorder().allCalls()).as("metadata store calls").isEmpty();
      assertThat(vectors.blocking().count(collection, null)).isZero();
    }

    @Test
    @DisplayName("boundary values are accepted")
    void boundaryValuesAreAccepted() {
      // 1 ms TTL, a 1024-byte key, limit == maxLimit, a Cosine threshold of exactly -1
      String longKey = "k".repeat(1024);
      cache.store(longKey, v(1, 0, 0, 0), Map.of(), Duration.ofMillis(1));
      cache.store("max-ttl", v(0, 1, 0, 0), Map.of(), Duration.ofDays(30));
      assertThat(cache.get(longKey)).isPresent();
      assertThat(cache.searchSimilar(v(1, 0, 0, 0), 100, null, -1f)).hasSize(2);
    }
  }
}
