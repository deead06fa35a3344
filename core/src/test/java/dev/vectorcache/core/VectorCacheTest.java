package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.exception.PayloadTooLargeException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import dev.vectorcache.core.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorCache} through its public API, against the in-core fakes and a clock that moves only
 * when a test moves it.
 */
@DisplayName("VectorCache")
class VectorCacheTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String COLL = "docs";
  private static final CollectionConfig CONFIG =
      CollectionConfig.builder(3, Distance.COSINE).build();
  private static final float[] X = {1, 0, 0};
  private static final float[] Y = {0, 1, 0};
  private static final float[] XY = {1, 1, 0};

  private final MutableClock clock = new MutableClock(START);
  private final FakeVectorStore vectors = new FakeVectorStore();
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock);
  private final List<VectorCache> opened = new ArrayList<>();
  private VectorCache cache;

  /** The one place that names the builder's type. */
  private VectorCacheBuilder builder() {
    return VectorCache.builder()
        .collection(COLL)
        .collectionConfig(CONFIG)
        .vectorStore(vectors)
        .metadataStore(metadata)
        .clock(clock);
  }

  private VectorCache open(VectorCacheBuilder b) {
    VectorCache c = b.build();
    opened.add(c);
    c.initialize();
    return c;
  }

  @BeforeEach
  void setUp() {
    cache = open(builder());
    vectors.log().clear();
    metadata.log().clear();
  }

  @AfterEach
  void tearDown() {
    opened.forEach(VectorCache::close);
  }

  private static BackendUnavailableException down(String backend) {
    return new BackendUnavailableException(backend, backend + " is down", null);
  }

  private static List<String> keys(List<CacheHit> hits) {
    return hits.stream().map(CacheHit::key).toList();
  }

  @Nested
  @DisplayName("when built")
  class Building {
    @Test
    @DisplayName("refuses a default or largest TTL below the stores' millisecond precision")
    void subMillisecondTtlsAreRefused() {
      assertThatThrownBy(() -> VectorCache.builder().defaultTtl(Duration.ofNanos(1)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("defaultTtl")
          .hasMessageContaining("at least 1 ms");
      assertThatThrownBy(() -> VectorCache.builder().maxTtl(Duration.ZERO))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("maxTtl: expected a positive duration");
    }

    @Test
    @DisplayName("names the missing setting when a required one is not set")
    void requiredSettings() {
      assertThatThrownBy(() -> VectorCache.builder().build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("collection is required");
      assertThatThrownBy(() -> VectorCache.builder().collection(COLL).build())
          .hasMessageContaining("collectionConfig is required");
      assertThatThrownBy(
              () -> VectorCache.builder().collection(COLL).collectionConfig(CONFIG).build())
          .hasMessageContaining("vectorStore is required");
      assertThatThrownBy(
              () ->
                  VectorCache.builder()
                      .collection(COLL)
                      .collectionConfig(CONFIG)
                      .vectorStore(vectors)
                      .build())
          .hasMessageContaining("metadataStore is required");
    }

    @Test
    @DisplayName("refuses a collection name outside A-Z a-z 0-9 . _ - and says what it found")
    void collectionName() {
      assertThatThrownBy(() -> VectorCache.builder().collection("my docs"))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("collection");
                assertThat(e.expected()).contains("1 to 255 characters");
                assertThat(e.found()).isEqualTo("\"my docs\"");
              });
      assertThatThrownBy(() -> VectorCache.builder().collection(null))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("found null");
    }

    @Test
    @DisplayName("refuses durations and sizes that are not positive, naming the setting")
    void positiveSettings() {
      assertThatThrownBy(() -> VectorCache.builder().defaultTtl(Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("defaultTtl"));
      assertThatThrownBy(() -> VectorCache.builder().maxTtl(Duration.ofSeconds(-1)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("maxTtl"));
      assertThatThrownBy(() -> VectorCache.builder().maxPayloadBytes(0))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("maxPayloadBytes");
                assertThat(e.found()).isEqualTo("0");
              });
      assertThatThrownBy(() -> VectorCache.builder().maxLimit(0))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("maxLimit"));
      assertThatThrownBy(() -> VectorCache.builder().sweepInterval(Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("sweepInterval"));
    }

    @Test
    @DisplayName("refuses a default TTL above the maximum TTL")
    void defaultAboveMax() {
      assertThatThrownBy(
              () -> builder().maxTtl(Duration.ofHours(1)).defaultTtl(Duration.ofHours(2)).build())
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("defaultTtl");
                assertThat(e.expected()).contains("PT1H");
                assertThat(e.found()).isEqualTo("PT2H");
              });
    }

    @Test
    @DisplayName("rejects null settings by name")
    void nullSettings() {
      var b = VectorCache.builder();
      assertThatThrownBy(() -> b.clock(null)).hasMessage("clock");
      assertThatThrownBy(() -> b.collectionConfig(null)).hasMessage("collectionConfig");
      assertThatThrownBy(() -> b.strategy(null)).hasMessage("strategy");
      assertThatThrownBy(() -> b.keyNamespace(null)).hasMessage("keyNamespace");
      assertThatThrownBy(() -> b.searchParams(null)).hasMessage("searchParams");
      assertThatThrownBy(() -> b.defaultTtl(null)).hasMessage("defaultTtl");
      assertThatThrownBy(() -> b.maxTtl(null)).hasMessage("maxTtl");
    }

    @Test
    @DisplayName("takes either form of each store and exposes the non-blocking form")
    void eitherForm() {
      VectorCache c = open(builder().vectorStore(vectors.async()).metadataStore(metadata.async()));
      assertThat(c.vectorStore()).isSameAs(vectors.async());
      assertThat(c.metadataStore()).isSameAs(metadata.async());
      assertThat(cache.vectorStore().blocking()).isSameAs(vectors);
      assertThat(cache.metadataStore().blocking()).isSameAs(metadata);
      assertThat(c.collection()).isEqualTo(COLL);
      assertThat(c.collectionConfig()).isEqualTo(CONFIG);
    }

    @Test
    @DisplayName("maps a key to a stable name-based UUID that only the key namespace changes")
    void pointIds() {
      PointId id = cache.pointId("doc-1");
      assertThat(id.isUuid()).isTrue();
      assertThat(id.uuid().version()).isEqualTo(5);
      assertThat(builder().build().pointId("doc-1")).isEqualTo(id);
      assertThat(cache.pointId("doc-2")).isNotEqualTo(id);
      assertThat(builder().keyNamespace(UUID.randomUUID()).build().pointId("doc-1"))
          .isNotEqualTo(id);
      assertThatThrownBy(() -> cache.pointId(" "))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));
    }
  }

  @Nested
  @DisplayName("when initialized")
  class Initializing {
    @Test
    @DisplayName("creates the collection as configured and indexes the expiry and key fields")
    void creates() {
      assertThat(vectors.collectionInfo(COLL).config()).isEqualTo(CONFIG);
      assertThat(vectors.indexes(COLL).values())
          .containsExactlyInAnyOrder(PayloadSchemaType.INTEGER, PayloadSchemaType.KEYWORD);
    }

    @Test
    @DisplayName("verifies an existing collection instead of creating it again")
    void verifiesExisting() {
      open(builder());
      assertThat(vectors.log().calls())
          .contains("collectionExists", "collectionInfo")
          .doesNotContain("createCollection");
    }

    @Test
    @DisplayName("refuses an existing collection of another dimension, naming both values")
    void dimensionMismatch() {
      vectors.createCollection("other", CollectionConfig.builder(4, Distance.COSINE).build());
      VectorCache c = builder().collection("other").build();
      opened.add(c);
      assertThatThrownBy(c::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("'other'")
          .hasMessageContaining("dimension = 4")
          .hasMessageContaining("dimension = 3");
    }

    @Test
    @DisplayName("refuses an existing collection of another distance")
    void distanceMismatch() {
      vectors.createCollection("other", CollectionConfig.builder(3, Distance.DOT).build());
      VectorCache c = builder().collection("other").build();
      opened.add(c);
      assertThatThrownBy(c::initialize)
          .isInstanceOf(CollectionConfigMismatchException.class)
          .hasMessageContaining("distance = DOT")
          .hasMessageContaining("distance = COSINE");
    }

    @Test
    @DisplayName("verifies the collection that another instance created first")
    void raceToCreate() {
      vectors.log().beforeNext("createCollection", () -> vectors.createCollection("raced", CONFIG));
      VectorCache c = builder().collection("raced").build();
      opened.add(c);
      c.initializeAsync().join();
      assertThat(vectors.log().calls()).contains("collectionInfo");
      assertThat(vectors.indexes("raced")).hasSize(2);

      CollectionConfig dot = CollectionConfig.builder(3, Distance.DOT).build();
      vectors.log().beforeNext("createCollection", () -> vectors.createCollection("raced2", dot));
      VectorCache c2 = builder().collection("raced2").build();
      opened.add(c2);
      assertThatThrownBy(c2::initialize).isInstanceOf(CollectionConfigMismatchException.class);
    }

    @Test
    @DisplayName("passes on the store's own exception when creating fails")
    void createFails() {
      BackendUnavailableException failure = down("qdrant");
      vectors.log().failNext("createCollection", failure);
      VectorCache c = builder().collection("fresh").build();
      opened.add(c);
      assertThatThrownBy(c::initialize).isSameAs(failure);
    }
  }

  @Nested
  @DisplayName("when storing")
  class Storing {
    @Test
    @DisplayName(
        "returns the entry with an expiry from the cache's clock and a new version each time")
    void returnsEntry() {
      CacheEntry first = cache.store("a", X, Map.of("title", "one"), Duration.ofMinutes(10));
      assertThat(first.key()).isEqualTo("a");
      assertThat(first.metadata()).containsExactly(Map.entry("title", "one"));
      assertThat(first.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
      CacheEntry second = cache.store("a", Y, Map.of("title", "two"), Duration.ofMinutes(10));
      assertThat(second.version()).isGreaterThan(first.version());
      assertThat(vectors.size(COLL)).isEqualTo(1);
      assertThat(metadata.peek("docs:a"))
          .hasValueSatisfying(
              e -> {
                assertThat(e.version()).isEqualTo(second.version());
                assertThat(e.metadata()).containsEntry("title", "two");
                assertThat(e.expiresAt()).isEqualTo(second.expiresAt());
              });
      assertThat(metadata.ttl("docs:a")).contains(Duration.ofMinutes(10));
      assertThat(cache.stats().stores()).isEqualTo(2);
    }

    @Test
    @DisplayName("uses the configured default TTL when none is given")
    void defaultTtl() {
      assertThat(cache.store("a", X, null).expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
      VectorCache c = open(builder().defaultTtl(Duration.ofMinutes(5)));
      assertThat(c.store("b", X, Map.of()).expiresAt())
          .isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    @DisplayName("writes the vector store first, then the metadata store, then announces the entry")
    void writeOrder() {
      AtomicInteger pointsWhenPut = new AtomicInteger(-1);
      metadata.log().beforeNext("put", () -> pointsWhenPut.set(vectors.size(COLL)));
      CacheEntry e = cache.store("a", X, Map.of());
      assertThat(pointsWhenPut).hasValue(1);
      assertThat(metadata.log().calls()).containsExactly("put", "publish");
      assertThat(metadata.published())
          .singleElement()
          .satisfies(
              ev -> {
                assertThat(ev.type()).isEqualTo(MetadataEvent.Type.STORED);
                assertThat(ev.collection()).isEqualTo(COLL);
                assertThat(ev.key()).isEqualTo("a");
                assertThat(ev.version()).isEqualTo(e.version());
                assertThat(ev.at()).isEqualTo(START);
              });
    }

    @Test
    @DisplayName("copies the metadata and vector it is given and normalises number types")
    void defensiveCopies() {
      Map<String, Object> meta = new HashMap<>();
      meta.put("n", 7);
      float[] v = X.clone();
      CacheEntry e = cache.store("a", v, meta);
      meta.put("n", 8);
      v[0] = 0;
      v[1] = 1;
      assertThat(e.metadata()).containsEntry("n", 7L);
      assertThatThrownBy(() -> e.metadata().put("x", 1))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(cache.get("a"))
          .hasValueSatisfying(g -> assertThat(g.metadata()).isEqualTo(Map.of("n", 7L)));
      assertThat(keys(cache.searchSimilar(X, 1))).containsExactly("a");
    }

    @Test
    @DisplayName("refuses a bad key, naming the field, before any I/O")
    void badKeys() {
      assertThatThrownBy(() -> cache.store("  ", X, Map.of()))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("key");
                assertThat(e.expected()).isEqualTo("a non-blank string");
                assertThat(e.getMessage()).contains("every entry needs a key");
              });
      assertThatThrownBy(() -> cache.store("k".repeat(1025), X, Map.of()))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.expected()).isEqualTo("at most 1024 bytes of UTF-8");
                assertThat(e.found()).contains("1025 bytes");
              });
      assertThatThrownBy(() -> cache.storeAsync(null, X, Map.of(), Duration.ofMinutes(1)))
          .isInstanceOf(InvalidInputException.class);
      assertThat(vectors.log().calls()).isEmpty();
      assertThat(metadata.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("refuses a bad vector, naming the component or dimension, before any I/O")
    void badVectors() {
      assertThatThrownBy(() -> cache.store("a", new float[] {1, 2}, Map.of()))
          .isInstanceOfSatisfying(
              DimensionMismatchException.class,
              e -> {
                assertThat(e.field()).isEqualTo("vector");
                assertThat(e.expectedDimension()).isEqualTo(3);
                assertThat(e.actualDimension()).isEqualTo(2);
              });
      assertThatThrownBy(() -> cache.store("a", new float[] {1, Float.NaN, 0}, Map.of()))
          .isInstanceOfSatisfying(
              InvalidVectorException.class, e -> assertThat(e.field()).isEqualTo("vector[1]"));
      assertThatThrownBy(() -> cache.store("a", new float[3], Map.of()))
          .isInstanceOfSatisfying(
              InvalidVectorException.class,
              e -> assertThat(e.expected()).contains("non-zero norm"));
      assertThat(vectors.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("refuses reserved, non-JSON or oversized metadata before any I/O")
    void badMetadata() {
      assertThatThrownBy(() -> cache.store("a", X, Map.of("_vc_mine", 1)))
          .isInstanceOfSatisfying(
              InvalidMetadataException.class,
              e -> assertThat(e.field()).isEqualTo("metadata._vc_mine"));
      assertThatThrownBy(() -> cache.store("a", X, Map.of("d", Double.NaN)))
          .isInstanceOf(InvalidMetadataException.class)
          .hasMessageContaining("metadata.d");
      VectorCache small = open(builder().maxPayloadBytes(20));
      vectors.log().clear();
      assertThatThrownBy(() -> small.store("a", X, Map.of("text", "x".repeat(50))))
          .isInstanceOfSatisfying(
              PayloadTooLargeException.class,
              e -> {
                assertThat(e.field()).isEqualTo("metadata");
                assertThat(e.expected()).isEqualTo("at most 20 bytes of JSON");
              });
      assertThat(vectors.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("refuses a TTL that is not positive, below a millisecond or above the maximum")
    void badTtls() {
      assertThatThrownBy(() -> cache.store("a", X, Map.of(), Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("ttl");
                assertThat(e.expected()).isEqualTo("a positive duration");
              });
      assertThatThrownBy(() -> cache.store("a", X, Map.of(), Duration.ofNanos(500_000)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.expected()).startsWith("at least 1 ms"));
      assertThatThrownBy(() -> cache.store("a", X, Map.of(), Duration.ofDays(366)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.expected()).isEqualTo("at most PT8760H");
                assertThat(e.getMessage()).contains("raise maxTtl");
              });
      assertThat(vectors.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("writes a batch with one vector-store call and returns the entries in order")
    void batch() {
      List<CacheEntry> out =
          cache.storeAll(
              List.of(
                  CacheWrite.of("a", X, Map.of("i", 1), Duration.ofMinutes(1)),
                  CacheWrite.of("b", Y, null, Duration.ofMinutes(2)),
                  CacheWrite.of("c", XY, Map.of(), Duration.ofMinutes(3))));
      assertThat(out).extracting(CacheEntry::key).containsExactly("a", "b", "c");
      assertThat(out.get(2).expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
      assertThat(vectors.log().count("upsert")).isEqualTo(1);
      assertThat(metadata.keys()).containsExactlyInAnyOrder("docs:a", "docs:b", "docs:c");
      assertThat(out).extracting(CacheEntry::version).doesNotHaveDuplicates();
      assertThat(cache.storeAllAsync(List.of()).join()).isEmpty();
    }

    @Test
    @DisplayName("refuses a whole batch for one bad entry, naming its index")
    void badBatch() {
      CacheWrite good = CacheWrite.of("a", X, Map.of(), Duration.ofMinutes(1));
      assertThatThrownBy(
              () ->
                  cache.storeAll(
                      List.of(
                          good, CacheWrite.of("b", new float[] {1}, null, Duration.ofMinutes(1)))))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("writes[1].vector"));
      assertThatThrownBy(
              () ->
                  cache.storeAll(
                      List.of(good, CacheWrite.of("a", Y, Map.of(), Duration.ofMinutes(1)))))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("writes[1].key");
                assertThat(e.expected()).isEqualTo("keys unique within a batch");
                assertThat(e.found()).contains("also at writes[0]");
              });
      List<CacheWrite> withNull = new ArrayList<>();
      withNull.add(good);
      withNull.add(null);
      assertThatThrownBy(() -> cache.storeAll(withNull))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("writes[1]"));
      assertThatThrownBy(() -> cache.storeAll(null)).isInstanceOf(NullPointerException.class);
      assertThat(vectors.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("fails with the vector store's own exception and drops the old metadata copy")
    void vectorStoreFails() {
      CacheEntry old = cache.store("a", X, Map.of("v", 1));
      BackendUnavailableException failure = down("qdrant");
      vectors.log().failNext("upsert", failure);
      assertThatThrownBy(() -> cache.store("a", Y, Map.of("v", 2))).isSameAs(failure);
      assertThat(metadata.peek("docs:a")).isEmpty();
      assertThat(cache.get("a"))
          .hasValueSatisfying(e -> assertThat(e.version()).isEqualTo(old.version()));
      assertThat(cache.stats().stores()).isEqualTo(1);
    }

    @Test
    @DisplayName("tolerates and counts metadata-store failures on the write path")
    void metadataStoreFails() {
      metadata.log().failNext("put", down("redis"));
      metadata.log().failNext("publish", down("redis"));
      CacheEntry e = cache.store("a", X, Map.of("v", 1));
      assertThat(metadata.peek("docs:a")).isEmpty();
      // the copy and the event are one call (one round trip), so one failure
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
      assertThat(cache.get("a")).contains(e);

      vectors.log().failNext("upsert", down("qdrant"));
      metadata.log().failNext("deleteAll", down("redis"));
      assertThatThrownBy(() -> cache.store("a", Y, Map.of())).isInstanceOf(BackendException.class);
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(2);
    }

    @Test
    @DisplayName("with PAYLOAD_ONLY never writes the metadata store, only announces")
    void payloadOnly() {
      VectorCache c = open(builder().collection("po").strategy(CacheStrategy.PAYLOAD_ONLY));
      metadata.log().clear();
      c.store("a", X, Map.of("t", 1));
      assertThat(metadata.log().calls()).containsExactly("publish");
      assertThat(c.get("a"))
          .hasValueSatisfying(e -> assertThat(e.metadata()).containsEntry("t", 1L));
      assertThat(c.searchSimilar(X, 3))
          .singleElement()
          .satisfies(h -> assertThat(h.source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD));
      vectors.log().failNext("upsert", down("qdrant"));
      assertThatThrownBy(() -> c.store("a", X, Map.of())).isInstanceOf(BackendException.class);
      assertThat(metadata.log().calls()).containsExactly("publish");
      assertThat(metadata.keys()).isEmpty();
    }

    @Test
    @DisplayName("with publishEvents(false) announces nothing")
    void noEvents() {
      VectorCache c = open(builder().publishEvents(false));
      c.store("a", X, Map.of());
      c.delete("a");
      assertThat(metadata.published()).isEmpty();
    }
  }

  @Nested
  @DisplayName("when reading a key")
  class Reading {
    @Test
    @DisplayName("returns the stored entry from the metadata store")
    void hit() {
      CacheEntry stored = cache.store("a", X, Map.of("t", "x"), Duration.ofMinutes(5));
      assertThat(cache.get("a")).contains(stored);
      assertThat(cache.getAsync("a").join()).contains(stored);
      assertThat(cache.stats().metadataHits()).isEqualTo(2);
      assertThat(cache.get("missing")).isEmpty();
      assertThatThrownBy(() -> cache.get("")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("never returns an entry at or after its expiry, even while both stores hold it")
    void expired() {
      cache.store("a", X, Map.of(), Duration.ofMinutes(1));
      clock.advance(Duration.ofSeconds(59));
      assertThat(cache.get("a")).isPresent();
      clock.advance(Duration.ofSeconds(1));
      assertThat(vectors.size(COLL)).isEqualTo(1);
      assertThat(cache.get("a")).isEmpty();
    }

    @Test
    @DisplayName(
        "falls back to the payload on a miss and writes the copy back with the remaining TTL")
    void miss() {
      CacheEntry stored = cache.store("a", X, Map.of("t", "x"), Duration.ofMinutes(10));
      metadata.delete("docs:a");
      clock.advance(Duration.ofMinutes(4));
      assertThat(cache.get("a")).contains(stored);
      cache.flushAsync().join(); // the write-back is queued, off the caller's path
      assertThat(metadata.ttl("docs:a")).contains(Duration.ofMinutes(6));
      assertThat(metadata.peek("docs:a"))
          .hasValueSatisfying(e -> assertThat(e.version()).isEqualTo(stored.version()));
      assertThat(cache.stats().metadataMisses()).isEqualTo(1);
    }

    @Test
    @DisplayName("ignores a copy whose version differs from the payload's, and repairs it")
    void stale() {
      cache.store("a", X, Map.of("n", 1));
      metadata.log().failNext("put", down("redis"));
      CacheEntry current = cache.store("a", X, Map.of("n", 2));
      assertThat(metadata.peek("docs:a"))
          .hasValueSatisfying(e -> assertThat(e.metadata()).containsEntry("n", 1L));
      assertThat(cache.get("a"))
          .hasValueSatisfying(e -> assertThat(e.metadata()).containsEntry("n", 2L));
      assertThat(cache.stats().staleMetadataRejected()).isEqualTo(1);
      cache.flushAsync().join();
      assertThat(metadata.peek("docs:a"))
          .hasValueSatisfying(e -> assertThat(e.version()).isEqualTo(current.version()));
    }

    @Test
    @DisplayName("reads the payload when the metadata store fails, and counts the failure")
    void metadataReadFails() {
      CacheEntry stored = cache.store("a", X, Map.of());
      metadata.log().failNext("getAll", down("redis"));
      assertThat(cache.get("a")).contains(stored);
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
    }

    @Test
    @DisplayName("with PAYLOAD_ONLY never reads the metadata store")
    void payloadOnly() {
      VectorCache c = open(builder().collection("po").strategy(CacheStrategy.PAYLOAD_ONLY));
      c.store("a", X, Map.of());
      metadata.log().clear();
      assertThat(c.get("a")).isPresent();
      assertThat(metadata.log().calls()).isEmpty();
    }
  }

  @Nested
  @DisplayName("when deleting")
  class Deleting {
    @Test
    @DisplayName("deletes from both stores and announces the deleted version")
    void deletes() {
      CacheEntry stored = cache.store("a", X, Map.of());
      assertThat(cache.delete("a")).isTrue();
      assertThat(vectors.size(COLL)).isZero();
      assertThat(metadata.peek("docs:a")).isEmpty();
      assertThat(cache.get("a")).isEmpty();
      MetadataEvent last = metadata.published().get(metadata.published().size() - 1);
      assertThat(last.type()).isEqualTo(MetadataEvent.Type.DELETED);
      assertThat(last.version()).isEqualTo(stored.version());
    }

    @Test
    @DisplayName("reports a missing key as false and announces nothing")
    void missing() {
      assertThat(cache.deleteAsync("nope").join()).isFalse();
      assertThat(metadata.published()).isEmpty();
      assertThatThrownBy(() -> cache.delete(" ")).isInstanceOf(InvalidInputException.class);
    }
  }

  @Nested
  @DisplayName("when searching")
  class Searching {
    @BeforeEach
    void entries() {
      cache.store("a", X, Map.of("lang", "en"), Duration.ofMinutes(1));
      cache.store("b", XY, Map.of("lang", "fr"), Duration.ofMinutes(10));
      cache.store("c", Y, Map.of("lang", "en"), Duration.ofMinutes(10));
      metadata.log().clear();
      vectors.log().clear();
    }

    @Test
    @DisplayName(
        "returns the closest entries first, up to the limit, hydrated in one metadata read")
    void closestFirst() {
      List<CacheHit> hits = cache.searchSimilar(X, 2);
      assertThat(keys(hits)).containsExactly("a", "b");
      assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-6f));
      assertThat(hits.get(1).score()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
      assertThat(hits)
          .allSatisfy(h -> assertThat(h.source()).isEqualTo(CacheHit.Source.METADATA_STORE));
      assertThat(hits.get(1).metadata()).containsEntry("lang", "fr");
      assertThat(metadata.log().calls()).containsExactly("getAll");
      assertThat(cache.stats().searches()).isEqualTo(1);
      assertThat(cache.stats().metadataHits()).isEqualTo(2);
    }

    @Test
    @DisplayName("applies the caller's filter and the configured search parameters")
    void filterAndParams() {
      VectorCache exact = open(builder().searchParams(SearchParams.exactSearch()));
      List<CacheHit> hits =
          exact.searchSimilar(XY, 10, Filter.must(Condition.match("lang", "en")), null);
      assertThat(keys(hits)).containsExactlyInAnyOrder("a", "c");
      assertThat(vectors.lastSearch().params()).isEqualTo(SearchParams.exactSearch());
    }

    @Test
    @DisplayName("never returns an expired entry")
    void expired() {
      clock.advance(Duration.ofMinutes(1));
      assertThat(keys(cache.searchSimilar(X, 10))).containsExactly("b", "c");
    }

    @Test
    @DisplayName("applies the score threshold strictly")
    void threshold() {
      assertThat(keys(cache.searchSimilar(X, 10, null, 0.5f))).containsExactly("a", "b");
      assertThat(cache.searchSimilar(X, 10, null, 1.0f)).isEmpty();
    }

    @Test
    @DisplayName(
        "for Euclid ranks the smallest distance first and reads the threshold as a maximum")
    void euclid() {
      VectorCache e =
          open(
              builder()
                  .collection("euclid")
                  .collectionConfig(CollectionConfig.builder(2, Distance.EUCLID).build()));
      e.store("p", new float[] {0, 0}, Map.of());
      e.store("q", new float[] {3, 4}, Map.of());
      List<CacheHit> hits = e.searchSimilar(new float[] {0, 0}, 5);
      assertThat(keys(hits)).containsExactly("p", "q");
      assertThat(hits.get(1).score()).isEqualTo(5f);
      assertThat(keys(e.searchSimilar(new float[] {0, 0}, 5, null, 5f))).containsExactly("p");
      assertThatThrownBy(() -> e.searchSimilar(new float[] {0, 0}, 5, null, -1f))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              ex -> assertThat(ex.expected()).startsWith("a distance of 0 or more"));
    }

    @Test
    @DisplayName("refuses a bad limit, threshold or query before any I/O")
    void badInput() {
      assertThatThrownBy(() -> cache.searchSimilar(X, 0))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("limit");
                assertThat(e.expected()).isEqualTo("an integer from 1 to 1000");
              });
      VectorCache five = open(builder().maxLimit(5));
      vectors.log().clear();
      assertThatThrownBy(() -> five.searchSimilar(X, 6))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.expected()).isEqualTo("an integer from 1 to 5"));
      assertThatThrownBy(() -> cache.searchSimilar(X, 1, null, Float.NaN))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("scoreThreshold");
                assertThat(e.expected()).isEqualTo("a finite number");
              });
      assertThatThrownBy(() -> cache.searchSimilar(X, 1, null, 1.5f))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.expected()).isEqualTo("a Cosine similarity from -1 to 1"));
      assertThatThrownBy(() -> cache.searchSimilarAsync(new float[] {1}, 1, null, null))
          .isInstanceOfSatisfying(
              DimensionMismatchException.class, e -> assertThat(e.field()).isEqualTo("query"));
      assertThat(vectors.log().calls()).isEmpty();
    }

    @Test
    @DisplayName("falls back to the payload for a hit without a copy, and writes the copy back")
    void missFallsBack() {
      metadata.delete("docs:b");
      clock.advance(Duration.ofMinutes(2));
      List<CacheHit> hits = cache.searchSimilar(XY, 3);
      assertThat(hits)
          .extracting(CacheHit::key, CacheHit::source)
          .containsExactly(
              tuple("b", CacheHit.Source.VECTOR_STORE_PAYLOAD),
              tuple("c", CacheHit.Source.METADATA_STORE));
      assertThat(hits.get(0).metadata()).containsExactly(Map.entry("lang", "fr"));
      cache.flushAsync().join();
      assertThat(metadata.ttl("docs:b")).contains(Duration.ofMinutes(8));
      assertThat(cache.stats().metadataMisses()).isEqualTo(1);
    }

    @Test
    @DisplayName("reads every hit from the payload when the metadata store fails")
    void metadataFails() {
      metadata.log().failNext("getAll", down("redis"));
      assertThat(cache.searchSimilarAsync(X, 3, null, null).join())
          .hasSize(3)
          .allSatisfy(h -> assertThat(h.source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD));
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
    }

    @Test
    @DisplayName("drops a hit that expires between the search and its hydration")
    void expiresDuringHydration() {
      metadata.log().beforeNext("getAll", () -> clock.advance(Duration.ofMinutes(1)));
      assertThat(keys(cache.searchSimilar(X, 3))).containsExactly("b", "c");
    }

    @Test
    @DisplayName("drops a payload fallback that was deleted or expired in the meantime")
    void goneDuringFallback() {
      metadata.deleteAll(List.of("docs:a", "docs:b"));
      vectors
          .log()
          .beforeNext(
              "retrieve",
              () -> {
                vectors.delete(COLL, List.of(cache.pointId("b")));
                clock.advance(Duration.ofMinutes(1));
              });
      assertThat(keys(cache.searchSimilar(X, 3))).containsExactly("c");
    }

    @Test
    @DisplayName("needs no metadata read when nothing matches")
    void nothing() {
      assertThat(cache.searchSimilar(X, 3, Filter.must(Condition.match("lang", "de")), null))
          .isEmpty();
      assertThat(metadata.log().calls()).isEmpty();
    }
  }

  @Nested
  @DisplayName("when sweeping")
  class Sweeping {
    @Test
    @DisplayName("deletes expired entries from both stores, announces each and counts them")
    void sweeps() {
      cache.store("a", X, Map.of(), Duration.ofMinutes(1));
      cache.store("b", Y, Map.of(), Duration.ofMinutes(1));
      cache.store("c", XY, Map.of(), Duration.ofMinutes(10));
      assertThat(cache.sweepExpired()).isZero();
      clock.advance(Duration.ofMinutes(1));
      metadata.log().clear();
      assertThat(cache.sweepExpiredAsync().join()).isEqualTo(2);
      assertThat(vectors.size(COLL)).isEqualTo(1);
      assertThat(metadata.log().calls()).contains("deleteAll");
      assertThat(metadata.published())
          .filteredOn(e -> e.type() == MetadataEvent.Type.EXPIRED)
          .extracting(MetadataEvent::key)
          .containsExactlyInAnyOrder("a", "b");
      assertThat(cache.stats().expiredSwept()).isEqualTo(2);
    }

    @Test
    @DisplayName("sweeps page after page until no expired entry is left")
    void manyPages() {
      cache.storeAll(batch(600, Duration.ofMinutes(1)));
      cache.store("live", X, Map.of(), Duration.ofMinutes(5));
      clock.advance(Duration.ofMinutes(1));
      assertThat(cache.sweepExpired()).isEqualTo(600);
      assertThat(vectors.size(COLL)).isEqualTo(1);
    }

    @Test
    @DisplayName("stops with an error instead of looping when a delete removes nothing")
    void deleteRemovesNothing() {
      cache.storeAll(batch(300, Duration.ofMinutes(1)));
      clock.advance(Duration.ofMinutes(1));
      vectors.applyDeletes(false);
      assertThatThrownBy(cache::sweepExpired)
          .isInstanceOf(VectorCacheException.class)
          .hasMessageContaining("deleting from collection 'docs' stopped")
          .hasMessageContaining("still there after it was deleted");
    }

    @Test
    @DisplayName("runs in the background at the configured interval")
    void background() throws InterruptedException {
      CountDownLatch expired = new CountDownLatch(1);
      cache.subscribe(
          e -> {
            if (e.type() == MetadataEvent.Type.EXPIRED) {
              expired.countDown();
            }
          });
      cache.store("a", X, Map.of(), Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(1));
      open(builder().ownsStores(false).sweepInterval(Duration.ofMillis(5)));
      assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(vectors.size(COLL)).isZero();
    }

    @Test
    @DisplayName("keeps running in the background after a sweep fails")
    void backgroundSurvivesFailure() throws InterruptedException {
      vectors.log().failAlways("scroll", down("qdrant"));
      open(builder().ownsStores(false).sweepInterval(Duration.ofMillis(5)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (vectors.log().count("scroll") < 3 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(vectors.log().count("scroll")).isGreaterThanOrEqualTo(3);
    }

    private List<CacheWrite> batch(int n, Duration ttl) {
      List<CacheWrite> writes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        writes.add(CacheWrite.of("k" + i, new float[] {1, i, 0}, Map.of(), ttl));
      }
      return writes;
    }
  }

  @Nested
  @DisplayName("events, counters and closing")
  class Lifecycle {
    @Test
    @DisplayName("delivers the collection's events to a subscriber until it unsubscribes")
    void subscribe() {
      List<MetadataEvent> events = new CopyOnWriteArrayList<>();
      Subscription s = cache.subscribe(events::add);
      assertThat(s.channel()).isEqualTo(COLL);
      cache.store("a", X, Map.of());
      cache.delete("a");
      assertThat(events)
          .extracting(MetadataEvent::type)
          .containsExactly(MetadataEvent.Type.STORED, MetadataEvent.Type.DELETED);
      s.close();
      cache.store("b", X, Map.of());
      assertThat(events).hasSize(2);
      assertThatThrownBy(() -> cache.subscribe(null)).hasMessage("listener");
    }

    @Test
    @DisplayName("counts from zero")
    void freshStats() {
      assertThat(cache.stats())
          .isEqualTo(
              new CacheStats(
                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, CircuitState.CLOSED, 0, 0, 0, 0, 0));
    }

    @Test
    @DisplayName("closes the stores it owns, once, and then refuses every call")
    void close() {
      cache.close();
      cache.close();
      assertThat(vectors.isClosed()).isTrue();
      assertThat(metadata.isClosed()).isTrue();
      List<Runnable> calls =
          List.of(
              cache::initialize,
              () -> cache.store("a", X, Map.of()),
              () -> cache.storeAll(List.of()),
              () -> cache.get("a"),
              () -> cache.delete("a"),
              () -> cache.searchSimilar(X, 1),
              cache::sweepExpired,
              () -> cache.subscribe(e -> {}));
      for (Runnable call : calls) {
        assertThatThrownBy(call::run)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
      }
    }

    @Test
    @DisplayName("leaves the stores open when built with ownsStores(false)")
    void notOwned() {
      VectorCache c = open(builder().ownsStores(false));
      c.close();
      assertThat(vectors.isClosed()).isFalse();
      assertThat(metadata.isClosed()).isFalse();
    }
  }

  @Nested
  @DisplayName("with a metadata store that throws instead of returning a failed future")
  class ThrowingAtOnce {
    /** The fake's non-blocking form, except that {@code method} throws {@code failure} at once. */
    private AsyncMetadataStore throwing(String method, RuntimeException failure) {
      AsyncMetadataStore target = metadata.async();
      return (AsyncMetadataStore)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {AsyncMetadataStore.class},
              (proxy, m, args) -> {
                if (m.getName().equals(method)) {
                  throw failure;
                }
                try {
                  return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    @Test
    @DisplayName("tolerates and counts a write that throws")
    void put() {
      VectorCache c = open(builder().metadataStore(throwing("put", down("redis"))));
      CacheEntry e = c.store("a", X, Map.of("t", 1));
      assertThat(metadata.peek("docs:a")).isEmpty();
      assertThat(c.stats().metadataStoreFailures()).isEqualTo(1);
      assertThat(c.get("a")).contains(e);
    }

    @Test
    @DisplayName("tolerates and counts a read that throws, reading the payload instead")
    void getAll() {
      VectorCache c = open(builder().metadataStore(throwing("getAll", down("redis"))));
      CacheEntry e = c.store("a", X, Map.of("t", 1));
      assertThat(c.get("a")).contains(e);
      assertThat(c.searchSimilar(X, 1))
          .singleElement()
          .satisfies(h -> assertThat(h.source()).isEqualTo(CacheHit.Source.VECTOR_STORE_PAYLOAD));
      assertThat(c.stats().metadataStoreFailures()).isEqualTo(2);
    }

    @Test
    @DisplayName("tolerates a copy the metadata store refuses at once: the entry is stored")
    void invalidInput() {
      InvalidInputException refused = new InvalidInputException("metadata", "encodable", "?");
      VectorCache c = open(builder().metadataStore(throwing("put", refused)));
      CacheEntry e = c.store("a", X, Map.of("t", 1));
      assertThat(c.stats().metadataStoreFailures()).isEqualTo(1);
      assertThat(vectors.count("docs", null)).isEqualTo(1);
      assertThat(c.get("a")).contains(e);
    }
  }

  @Nested
  @DisplayName("with a near cache")
  class NearCaching {
    @Test
    @DisplayName("refuses a bound outside 0 to 10,000,000 entries, naming it")
    void refusesBadBounds() {
      for (int bad : new int[] {-1, 10_000_001}) {
        assertThatThrownBy(() -> VectorCache.builder().nearCache(bad))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("nearCache");
                  assertThat(e.expected()).isEqualTo("from 0 to 10000000 entries");
                  assertThat(e.found()).isEqualTo(Integer.toString(bad));
                });
      }
    }

    @Test
    @DisplayName("serves repeated hits without metadata reads, and a re-stored key's new metadata")
    void servesRepeatedHitsAndNewVersions() {
      VectorCache near = open(builder().nearCache(100));
      near.store("a", X, Map.of("title", "first"));
      near.store("b", XY, Map.of("title", "b"));
      assertThat(near.searchSimilar(X, 2))
          .extracting(CacheHit::source)
          .containsOnly(CacheHit.Source.METADATA_STORE);
      metadata.log().clear();

      List<CacheHit> again = near.searchSimilar(X, 2);

      assertThat(keys(again)).containsExactly("a", "b");
      assertThat(again).extracting(CacheHit::source).containsOnly(CacheHit.Source.NEAR_CACHE);
      assertThat(again.get(0).metadata()).containsEntry("title", "first");
      assertThat(metadata.log().count("getAll")).isZero();
      assertThat(near.stats().nearCacheHits()).isEqualTo(2);
      assertThat(near.stats().nearCacheSize()).isEqualTo(2);

      clock.advance(Duration.ofMillis(1)); // a later write: versions are the writer's microseconds
      cache.store("a", X, Map.of("title", "second")); // another instance over the same stores
      assertThat(near.searchSimilar(X, 1))
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.metadata()).containsEntry("title", "second");
                assertThat(h.source()).isEqualTo(CacheHit.Source.METADATA_STORE);
              });

      near.delete("b");
      assertThat(near.stats().nearCacheSize()).isEqualTo(1);
      near.clear();
      assertThat(near.stats().nearCacheSize()).isZero();
      assertThat(near.searchSimilar(X, 2)).isEmpty();
    }

    @Test
    @DisplayName("is off by default: every search reads the copies")
    void offByDefault() {
      cache.store("a", X, Map.of("title", "first"));
      cache.searchSimilar(X, 1);
      metadata.log().clear();

      assertThat(cache.searchSimilar(X, 1))
          .extracting(CacheHit::source)
          .containsOnly(CacheHit.Source.METADATA_STORE);
      assertThat(metadata.log().count("getAll")).isEqualTo(1);
      assertThat(cache.stats().nearCacheSize()).isZero();
    }
  }
}
