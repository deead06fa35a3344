package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invalidation race: a reader's write-back (after a metadata miss, of the version it read) races an
 * update of the same key by another cache instance. Each of the seeded interleavings holds the
 * reader's payload read at a gate and releases it before the update, while it runs, or after it
 * finished; then, once both caches' write-backs are flushed, the key's Redis copy must carry the
 * vector side's version: 100 % of them, over {@value #ITERATIONS} interleavings per client (10,000
 * in all). Every {@value #KILL_EVERY} interleavings the pub/sub connections are killed ({@code
 * CLIENT KILL TYPE pubsub}); the subscription survives: a later store's event arrives.
 */
class InvalidationRaceIT {
  static final int ITERATIONS = 5_000;
  static final int KILL_EVERY = 500;
  private static final int KEYS = 50;
  private static final int DIM = 8;
  private static final long SEED = 77L;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration TTL = Duration.ofMinutes(30);

  enum Release {
    BEFORE_UPDATE,
    DURING_UPDATE,
    AFTER_UPDATE
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void everyCopyCarriesTheVectorSidesVersion(Client client) throws Exception {
    try (RedisNode redis = RedisNode.start()) {
      InMemoryVectorStore engine = new InMemoryVectorStore();
      FetchSpy.Spied spied = FetchSpy.wrap(engine.async(), Duration.ZERO);
      AsyncMetadataStore raw = client.open(redis, "race:", TIMEOUT);
      AtomicLong events = new AtomicLong();
      try (VectorCache reader = cache(client, redis, spied.store());
          VectorCache updater = cache(client, redis, engine.async());
          Subscription sub = reader.subscribe(e -> events.incrementAndGet())) {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int k = 0; k < KEYS; k++) {
          updater.store("k" + k, Vecs.unit(rnd, DIM), Map.of("n", 0L), TTL);
        }
        java.util.EnumMap<Release, Integer> releases = new java.util.EnumMap<>(Release.class);
        for (int i = 1; i <= ITERATIONS; i++) {
          String key = "k" + rnd.nextInt(KEYS);
          Release when = Release.values()[rnd.nextInt(Release.values().length)];
          releases.merge(when, 1, Integer::sum);
          interleave(reader, updater, spied.spy(), raw, key, when, i, rnd);
          long expected = vectorSideVersion(engine.async(), reader, key);
          Optional<MetadataEntry> copy = raw.get("race:" + key).get(5, TimeUnit.SECONDS);
          assertThat(copy.map(MetadataEntry::version))
              .as("interleaving %d (%s) of %s", i, when, key)
              .contains(expected);
          if (i % KILL_EVERY == 0) {
            redis.clientKill("pubsub");
          }
        }
        assertThat(releases.values().stream().mapToInt(Integer::intValue).min().orElse(0))
            .as("each release point is exercised")
            .isGreaterThan(ITERATIONS / 4);
        assertThat(sub.channel()).isNotBlank();
        assertSubscriptionSurvived(updater, events);
      } finally {
        raw.close();
      }
    }
  }

  /** One interleaving: the reader misses the copy; its payload read is released at {@code when}. */
  private static void interleave(
      VectorCache reader,
      VectorCache updater,
      FetchSpy spy,
      AsyncMetadataStore raw,
      String key,
      Release when,
      int i,
      SplittableRandom rnd)
      throws Exception {
    raw.delete("race:" + key).get(5, TimeUnit.SECONDS); // the reader misses
    CompletableFuture<Void> gate = spy.closeGate();
    CompletableFuture<Optional<CacheEntry>> read = reader.getAsync(key);
    spy.openGate();
    float[] vector = Vecs.unit(rnd, DIM);
    Map<String, Object> meta = Map.of("n", (long) i);
    switch (when) {
      case BEFORE_UPDATE -> {
        gate.complete(null);
        read.get(5, TimeUnit.SECONDS);
        updater.store(key, vector, meta, TTL);
      }
      case DURING_UPDATE -> {
        CompletableFuture<CacheEntry> update = updater.storeAsync(key, vector, meta, TTL);
        gate.complete(null);
        update.get(5, TimeUnit.SECONDS);
        read.get(5, TimeUnit.SECONDS);
      }
      default -> {
        updater.store(key, vector, meta, TTL);
        gate.complete(null);
        read.get(5, TimeUnit.SECONDS);
      }
    }
    Lead.flush(reader);
    Lead.flush(updater);
  }

  private static long vectorSideVersion(AsyncVectorStore vectors, VectorCache cache, String key)
      throws Exception {
    List<RetrievedPoint> points =
        vectors
            .retrieve(
                cache.collection(),
                List.of(cache.pointId(key)),
                PayloadSelector.include(EntryPayload.VERSION),
                false)
            .get(5, TimeUnit.SECONDS);
    return ((Number) points.get(0).payload().get(EntryPayload.VERSION)).longValue();
  }

  /** After the last CLIENT KILL, a store's event still arrives (at most 10 s of stores). */
  private static void assertSubscriptionSurvived(VectorCache updater, AtomicLong events)
      throws InterruptedException {
    long seen = events.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int n = 0;
    while (events.get() == seen && System.nanoTime() < deadline) {
      updater.store("after-kill-" + n++, Vecs.of(SEED, n, DIM), Map.of(), TTL);
      Thread.sleep(50);
    }
    assertThat(events.get())
        .as("events after the pub/sub connections were killed")
        .isGreaterThan(seen);
  }

  private static VectorCache cache(Client client, RedisNode redis, AsyncVectorStore vectors) {
    VectorCache cache =
        VectorCache.builder()
            .collection("race")
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(client.open(redis, "race:", TIMEOUT))
            .build();
    cache.initialize();
    return cache;
  }
}
