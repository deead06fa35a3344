package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hydration")
class HydratorTest {
  private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");
  private static final String COLLECTION = "c";

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final FakeVectorStore vectors = new FakeVectorStore();
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock);
  private final List<String> events = new ArrayList<>();
  private final CacheCounters counters =
      new CacheCounters(
          List.of(
              new CacheListener() {
                @Override
                public void onMetadataHit() {
                  events.add("hit");
                }

                @Override
                public void onMetadataMiss() {
                  events.add("miss");
                }

                @Override
                public void onStaleMetadataRejected() {
                  events.add("stale");
                }
              }));

  private Hydrator hydrator(CacheStrategy strategy) {
    return hydrator(strategy, null);
  }

  private Hydrator hydrator(CacheStrategy strategy, @Nullable NearCache near) {
    MetadataCopies copies =
        new MetadataCopies(
            metadata.async(),
            COLLECTION,
            VectorCache.builder().strategy(strategy).publishEvents(false).clock(clock),
            counters,
            Runnable::run); // write-backs are sent at once
    vectors.log().clear(); // count only what hydration does
    metadata.log().clear();
    return new Hydrator(vectors.async(), COLLECTION, copies, clock, counters, near);
  }

  /** Stores an entry in the fake vector store and returns its search hit. */
  private PayloadHit point(int id, String key, long version, @Nullable Instant expiresAt) {
    CacheEntry e = new CacheEntry(key, Map.of("title", key), version, expiresAt);
    Map<String, Object> payload = EntryPayload.encode(e);
    if (!vectors.collectionExists(COLLECTION)) {
      vectors.createCollection(COLLECTION, CollectionConfig.builder(2, Distance.DOT).build());
    }
    vectors.upsert(
        COLLECTION, List.of(PointStruct.of(PointId.of(id), new float[] {1, 0}, payload)));
    return EntryPayload.read(PointId.of(id), 0.9f, payload);
  }

  private void copy(String key, String title, long version, @Nullable Instant expiresAt) {
    String k = COLLECTION + ":" + key;
    metadata.put(
        new MetadataEntry(k, Map.of("title", title), version, expiresAt),
        expiresAt == null ? null : Duration.between(NOW, expiresAt));
  }

  @Test
  @DisplayName("current copies are used in one metadata read, without touching the payloads")
  void currentCopiesAreUsed() {
    Instant later = NOW.plusSeconds(60);
    PayloadHit a = point(1, "a", 5, later);
    PayloadHit b = point(2, "b", 6, later);
    copy("a", "from redis a", 5, later);
    copy("b", "from redis b", 6, later);

    List<CacheHit> hits = hydrator(CacheStrategy.CACHE_ASIDE).hydrate(List.of(a, b), false).join();

    assertThat(hits).extracting(CacheHit::key).containsExactly("a", "b");
    assertThat(hits).allMatch(h -> h.source() == CacheHit.Source.METADATA_STORE);
    assertThat(hits.get(0).metadata()).containsEntry("title", "from redis a");
    assertThat(metadata.log().calls()).containsExactly("getAll");
    assertThat(vectors.log().calls()).isEmpty();
    assertThat(events).containsExactly("hit", "hit");
  }

  @Test
  @DisplayName(
      "misses fall back to the payloads in one read and are written back with the rest of their TTL")
  void missesFallBackAndAreWrittenBack() {
    PayloadHit a = point(1, "a", 5, NOW.plusSeconds(60));
    PayloadHit b = point(2, "b", 6, NOW.plusSeconds(90));

    List<CacheHit> hits = hydrator(CacheStrategy.CACHE_ASIDE).hydrate(List.of(a, b), false).join();

    assertThat(hits).allMatch(h -> h.source() == CacheHit.Source.VECTOR_STORE_PAYLOAD);
    assertThat(hits.get(1).metadata()).containsExactly(Map.entry("title", "b"));
    assertThat(vectors.log().calls()).containsExactly("retrieve");
    assertThat(metadata.ttl("c:a")).contains(Duration.ofSeconds(60));
    assertThat(metadata.ttl("c:b")).contains(Duration.ofSeconds(90));
    assertThat(metadata.peek("c:b")).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(6));
    assertThat(events).containsExactly("miss", "miss");
  }

  @Test
  @DisplayName("a copy of another version is rejected, counted, and replaced by the payload")
  void staleCopyIsRejected() {
    Instant later = NOW.plusSeconds(60);
    PayloadHit a = point(1, "a", 7, later);
    copy("a", "old", 6, later);

    List<CacheHit> hits = hydrator(CacheStrategy.CACHE_ASIDE).hydrate(List.of(a), false).join();

    assertThat(hits)
        .singleElement()
        .satisfies(h -> assertThat(h.metadata()).containsEntry("title", "a"));
    assertThat(metadata.peek("c:a")).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(7));
    assertThat(events).containsExactly("stale", "miss");
  }

  @Test
  @DisplayName(
      "an expired hit is dropped, and an entry without expiry is live and written back without TTL")
  void expiryRules() {
    PayloadHit expired = point(1, "old", 1, NOW);
    PayloadHit forever = point(2, "forever", 2, null);

    List<CacheHit> hits =
        hydrator(CacheStrategy.CACHE_ASIDE).hydrate(List.of(expired, forever), false).join();

    assertThat(hits).extracting(CacheHit::key).containsExactly("forever");
    assertThat(hits.get(0).entry().expiresAt()).isNull();
    assertThat(hits.get(0).entry().expires()).isFalse();
    assertThat(metadata.ttl("c:forever")).contains(ChronoUnit.FOREVER.getDuration()); // no TTL
    assertThat(metadata.keys()).containsExactly("c:forever");
    assertThat(metadata.peek("c:forever"))
        .hasValueSatisfying(m -> assertThat(m.expiresAt()).isNull());
  }

  @Test
  @DisplayName("with payload-only, the metadata store is neither read nor written")
  void payloadOnlyStrategyLeavesTheMetadataStoreAlone() {
    PayloadHit a = point(1, "a", 5, NOW.plusSeconds(60));
    copy("a", "from redis", 5, NOW.plusSeconds(60));

    List<CacheHit> hits = hydrator(CacheStrategy.PAYLOAD_ONLY).hydrate(List.of(a), false).join();

    assertThat(hits)
        .singleElement()
        .satisfies(h -> assertThat(h.metadata()).containsEntry("title", "a"));
    assertThat(metadata.log().calls()).isEmpty();
  }

  @Test
  @DisplayName("a failing metadata store is tolerated: every hit comes from its payload")
  void failingMetadataStoreIsTolerated() {
    PayloadHit a = point(1, "a", 5, NOW.plusSeconds(60));
    BackendUnavailableException down = new BackendUnavailableException("fake", "down", null);
    metadata.log().failAlways("getAll", down);
    metadata.log().failAlways("put", down);

    List<CacheHit> hits = hydrator(CacheStrategy.CACHE_ASIDE).hydrate(List.of(a), false).join();

    assertThat(hits)
        .singleElement()
        .extracting(CacheHit::source)
        .isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD);
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).metadataStoreFailures())
        .isEqualTo(2); // getAll, then put
  }

  @Test
  @DisplayName("with a near cache, hits hydrated once are hydrated again without any read")
  void nearCacheServesTheSameVersionWithoutReads() {
    Instant later = NOW.plusSeconds(60);
    PayloadHit a = point(1, "a", 5, later);
    PayloadHit b = point(2, "b", 6, later);
    copy("a", "from redis a", 5, later); // b has no copy: it comes from its payload
    Hydrator hydrator = hydrator(CacheStrategy.CACHE_ASIDE, new NearCache(100));
    hydrator.hydrate(List.of(a, b), true).join();
    metadata.log().clear();
    vectors.log().clear();

    List<CacheHit> again = hydrator.hydrate(List.of(a, b), true).join();

    assertThat(again).extracting(CacheHit::key).containsExactly("a", "b");
    assertThat(again).allMatch(h -> h.source() == CacheHit.Source.NEAR_CACHE);
    assertThat(again.get(0).metadata()).containsExactly(Map.entry("title", "from redis a"));
    assertThat(again.get(1).metadata()).containsExactly(Map.entry("title", "b"));
    assertThat(again.get(0).entry().expiresAt()).isEqualTo(later);
    assertThat(metadata.log().calls()).isEmpty();
    assertThat(vectors.log().calls()).isEmpty();
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).nearCacheHits()).isEqualTo(2);
  }

  @Test
  @DisplayName("with a near cache, a new version is read, not served from the remembered one")
  void nearCacheNeverServesAnotherVersion() {
    Instant later = NOW.plusSeconds(60);
    copy("a", "v5", 5, later);
    Hydrator hydrator = hydrator(CacheStrategy.CACHE_ASIDE, new NearCache(100));
    hydrator.hydrate(List.of(point(1, "a", 5, later)), true).join();
    copy("a", "v7", 7, later); // stored again elsewhere: a new version
    PayloadHit a7 = point(1, "a", 7, later);
    metadata.log().clear();

    List<CacheHit> hits = hydrator.hydrate(List.of(a7), true).join();

    assertThat(hits)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.source()).isEqualTo(CacheHit.Source.METADATA_STORE);
              assertThat(h.metadata()).containsEntry("title", "v7");
            });
    assertThat(metadata.log().calls()).containsExactly("getAll");
    // and version 7 is what it remembers now
    metadata.log().clear();
    assertThat(hydrator.hydrate(List.of(a7), true).join())
        .singleElement()
        .extracting(CacheHit::source)
        .isEqualTo(CacheHit.Source.NEAR_CACHE);
    assertThat(metadata.log().calls()).isEmpty();
  }

  @Test
  @DisplayName("with a near cache, a remembered hit that has expired is still dropped")
  void nearCacheDropsExpiredHits() {
    Hydrator hydrator = hydrator(CacheStrategy.CACHE_ASIDE, new NearCache(100));
    copy("a", "from redis", 5, NOW.plusSeconds(60));
    hydrator.hydrate(List.of(point(1, "a", 5, NOW.plusSeconds(60))), true).join();
    PayloadHit expired = point(1, "a", 5, NOW); // same version, its expiry is now

    assertThat(hydrator.hydrate(List.of(expired), true).join()).isEmpty();
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).nearCacheHits()).isZero();
  }

  @Test
  @DisplayName("with a near cache, a mix of remembered and new hits reads only once, in order")
  void nearCacheMixesWithOneRead() {
    Instant later = NOW.plusSeconds(60);
    copy("a", "from redis a", 5, later);
    copy("b", "from redis b", 6, later);
    PayloadHit a = point(1, "a", 5, later);
    PayloadHit b = point(2, "b", 6, later);
    Hydrator hydrator = hydrator(CacheStrategy.CACHE_ASIDE, new NearCache(100));
    hydrator.hydrate(List.of(a), true).join();
    metadata.log().clear();

    List<CacheHit> hits = hydrator.hydrate(List.of(b, a), true).join();

    assertThat(hits).extracting(CacheHit::key).containsExactly("b", "a");
    assertThat(hits)
        .extracting(CacheHit::source)
        .containsExactly(CacheHit.Source.METADATA_STORE, CacheHit.Source.NEAR_CACHE);
    assertThat(metadata.log().calls()).containsExactly("getAll");
  }
}
