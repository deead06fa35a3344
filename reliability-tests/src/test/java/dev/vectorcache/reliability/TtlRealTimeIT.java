package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TTL in real time: 500 entries stored with a 1 s TTL are visible before it ends and give 0 hits
 * through {@code searchSimilar} and {@code get} 1.2 s after the store, with both clients, against a
 * plain {@code redis-server} and against two whose clocks are really skewed by libfaketime: five
 * seconds behind and at half speed (its copies outlive the entries: Redis expires late, the cache
 * must not serve them) and five seconds ahead at double speed (Redis expires early: the cache falls
 * back to the payload).
 */
class TtlRealTimeIT {
  private static final int ENTRIES = 500;
  private static final int DIM = 16;
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration AFTER = Duration.ofMillis(1_200);

  enum Skew {
    NONE(null),
    LATE("-5s x0.5"),
    EARLY("+5s x2");

    final String faketime;

    Skew(String faketime) {
      this.faketime = faketime;
    }

    RedisNode start() {
      return faketime == null ? RedisNode.start() : RedisNode.startSkewed(faketime);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(Skew.values())
        .flatMap(s -> Stream.of(Client.values()).map(c -> Arguments.of(c, s)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void noEntryIsServedAfterItsTtl(Client client, Skew skew) throws Exception {
    try (RedisNode redis = skew.start();
        VectorCache cache = cache(client, redis)) {
      SplittableRandom rnd = new SplittableRandom(1_000 + skew.name().hashCode());
      List<CacheWrite> writes = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < ENTRIES; i++) {
        float[] v = Vecs.unit(rnd, DIM);
        vectors.add(v);
        writes.add(CacheWrite.of("e" + i, v, Map.of("i", (long) i), TTL));
      }
      Instant stored = Instant.now();
      List<CacheEntry> entries = cache.storeAll(writes);
      Instant expiresAt = entries.get(0).expiresAt();
      assertThat(expiresAt).isBetween(stored.plus(TTL), Instant.now().plus(TTL));

      if (skew == Skew.EARLY) {
        sleepUntil(stored.plusMillis(650)); // Redis's copies are gone; the payload still lives
      }
      int checkedVisible = checkVisibleBeforeExpiry(cache, expiresAt);
      assertThat(checkedVisible).as("entries read before their expiry").isPositive();

      sleepUntil(stored.plus(AFTER));
      if (skew == Skew.LATE) {
        assertThat(redis.pttl("ttl:ttl:e0"))
            .as("the late server still holds the copy: the cache must not serve it")
            .isPositive();
      }
      int hits = 0;
      for (int i = 0; i < ENTRIES; i++) {
        hits += cache.get("e" + i).isPresent() ? 1 : 0;
        hits += cache.searchSimilar(vectors.get(i), 10).size();
      }
      assertThat(hits).as("hits after the TTL").isZero();
    }
  }

  /** Reads 50 entries; each read that ended before the expiry must have found its entry. */
  private static int checkVisibleBeforeExpiry(VectorCache cache, Instant expiresAt) {
    int checked = 0;
    for (int i = 0; i < 50; i++) {
      Optional<CacheEntry> got = cache.get("e" + i);
      Instant done = Instant.now();
      if (done.isBefore(expiresAt)) {
        checked++;
        assertThat(got).as("e%d read at %s, expiring at %s", i, done, expiresAt).isPresent();
        assertThat(got.get().metadata()).containsEntry("i", (long) i);
      }
    }
    return checked;
  }

  private static VectorCache cache(Client client, RedisNode redis) {
    VectorCache cache =
        VectorCache.builder()
            .collection("ttl")
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .vectorStore(new InMemoryVectorStore())
            .metadataStore(client.open(redis, "ttl:", Duration.ofSeconds(2)))
            .build();
    cache.initialize();
    return cache;
  }

  private static void sleepUntil(Instant t) throws InterruptedException {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
