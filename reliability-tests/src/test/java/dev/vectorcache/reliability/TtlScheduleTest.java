package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * TTL under 10,000 seeded random schedules, on fake clocks (no sleeping). Two caches (two
 * application instances) share one embedded vector store and one embedded metadata store; each
 * cache's clock is off the base clock by up to ±5 s, and the metadata store's clock jumps within ±5
 * s during the schedule, so that its copies expire early or late. Entries (some overwritten, some
 * without expiry) are checked at random instants and exactly at each cache's own boundaries:
 * through {@code get} and {@code searchSimilar}, a cache returns exactly the entries live on its
 * clock, each with its latest metadata: visible at {@code ttl - 1 ms}, gone at {@code ttl}.
 */
class TtlScheduleTest {
  private static final int SCHEDULES = 10_000;
  private static final long SEED = 42_2026L;
  private static final int DIM = 8;
  private static final long SKEW_MS = 5_000;

  /** A clock that reads the base clock plus an offset a test may change. */
  static final class OffsetClock extends Clock {
    private final Clock base;
    private volatile long offsetMs;

    OffsetClock(Clock base, long offsetMs) {
      this.base = base;
      this.offsetMs = offsetMs;
    }

    void offset(long ms) {
      this.offsetMs = ms;
    }

    @Override
    public Instant instant() {
      return base.instant().plusMillis(offsetMs);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** A stored version: its number, vector, and until when it lives (null: no expiry). */
  static final class Version {
    private final long seq;
    private final float[] vector;
    private final Instant expiresAt;

    Version(long seq, float[] vector, Instant expiresAt) {
      this.seq = seq;
      this.vector = vector;
      this.expiresAt = expiresAt;
    }

    long seq() {
      return seq;
    }

    float[] vector() {
      return vector;
    }

    Instant expiresAt() {
      return expiresAt;
    }

    @Override
    public String toString() {
      return "v" + seq + " until " + expiresAt;
    }
  }

  @Test
  void noCacheReturnsAnExpiredEntryUnderSkewedClocksAndEarlyOrLateCopies() {
    InMemoryVectorStore vectors = new InMemoryVectorStore();
    long checks = 0;
    try {
      for (int i = 0; i < SCHEDULES; i++) {
        checks += schedule(vectors, i);
      }
    } finally {
      vectors.close();
    }
    System.out.printf("TTL schedules: %d, instants checked: %d%n", SCHEDULES, checks);
    assertThat(checks).isGreaterThan(SCHEDULES * 4L);
  }

  /** One schedule; returns how many (cache, instant) checks it made. */
  private static long schedule(InMemoryVectorStore vectors, int n) {
    SplittableRandom rnd = new SplittableRandom(SEED + n);
    MutableClock base = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(n));
    OffsetClock[] clocks = {new OffsetClock(base, skew(rnd)), new OffsetClock(base, skew(rnd))};
    OffsetClock redisClock = new OffsetClock(base, skew(rnd));
    InMemoryMetadataStore metadata = new InMemoryMetadataStore(redisClock);
    String collection = "ttl" + n;
    VectorCache[] caches = {cache(vectors, metadata, clocks[0], collection), null};
    caches[0].initialize();
    caches[1] = cache(vectors, metadata, clocks[1], collection);
    try {
      return run(rnd, base, clocks, redisClock, metadata, caches);
    } finally {
      caches[0].close();
      caches[1].close();
      vectors.deleteCollection(collection);
      metadata.close();
    }
  }

  private static long run(
      SplittableRandom rnd,
      MutableClock base,
      OffsetClock[] clocks,
      OffsetClock redisClock,
      InMemoryMetadataStore metadata,
      VectorCache[] caches) {
    int keys = 1 + rnd.nextInt(2);
    Map<String, Version> model = new HashMap<>();
    // planned stores by base-time offset in ms: key, cache
    TreeMap<Long, List<int[]>> stores = new TreeMap<>();
    for (int k = 0; k < keys; k++) {
      stores
          .computeIfAbsent((long) rnd.nextInt(50), t -> new ArrayList<>())
          .add(new int[] {k, rnd.nextInt(2)});
      if (rnd.nextInt(3) == 0) {
        stores
            .computeIfAbsent(100L + rnd.nextInt(3_000), t -> new ArrayList<>())
            .add(new int[] {k, rnd.nextInt(2)});
      }
    }
    Instant start = base.instant();
    TreeMap<Instant, Integer> checkpoints = new TreeMap<>(); // instant -> cache to check (2: both)
    long seq = 0;
    long checks = 0;
    while (true) {
      Map.Entry<Long, List<int[]>> nextStore = stores.firstEntry();
      Instant storeAt = nextStore == null ? null : start.plusMillis(nextStore.getKey());
      Map.Entry<Instant, Integer> nextCheck = checkpoints.firstEntry();
      if (storeAt == null && nextCheck == null) {
        return checks;
      }
      if (storeAt != null && (nextCheck == null || !nextCheck.getKey().isBefore(storeAt))) {
        stores.pollFirstEntry();
        moveTo(base, storeAt);
        for (int[] s : nextStore.getValue()) {
          Version v = store(rnd, caches[s[1]], "key" + s[0], ++seq);
          model.put("key" + s[0], v);
          plan(checkpoints, v, clocks, base.instant(), rnd);
        }
      } else {
        checkpoints.pollFirstEntry();
        moveTo(base, nextCheck.getKey());
        if (rnd.nextInt(4) == 0) {
          redisClock.offset(
              skew(rnd)); // the metadata store's clock jumps: copies expire early or late
        }
        if (rnd.nextInt(8) == 0) {
          metadata.deleteAll(
              model.keySet().stream().map(k -> caches[0].collection() + ":" + k).toList());
        }
        int which = nextCheck.getValue();
        for (int c = 0; c < 2; c++) {
          if (which == 2 || which == c) {
            check(caches[c], clocks[c].instant(), model);
            checks++;
          }
        }
      }
    }
  }

  private static Version store(SplittableRandom rnd, VectorCache cache, String key, long seq) {
    float[] vector = Vecs.unit(rnd, DIM);
    Map<String, Object> meta = Map.of("seq", seq);
    CacheEntry e;
    int kind = rnd.nextInt(10);
    if (kind == 0) {
      e = cache.store(key, vector, meta, Ttl.none());
    } else {
      long ttlMs = kind < 4 ? 1 + rnd.nextInt(20) : 1 + rnd.nextInt(12_000);
      e = cache.store(key, vector, meta, Duration.ofMillis(ttlMs));
    }
    return new Version(seq, vector, e.expiresAt());
  }

  /** Checks at the version's boundaries on each cache's clock, and at two random instants. */
  private static void plan(
      NavigableMap<Instant, Integer> checkpoints,
      Version v,
      OffsetClock[] clocks,
      Instant now,
      SplittableRandom rnd) {
    if (v.expiresAt() != null) {
      for (int c = 0; c < 2; c++) {
        // base time at which cache c's clock reads expiresAt - 1 ms, and expiresAt
        Instant atExpiry = v.expiresAt().minus(Duration.between(now, clocks[c].instant()));
        for (Instant t : List.of(atExpiry.minusMillis(1), atExpiry)) {
          if (!t.isBefore(now)) {
            checkpoints.merge(t, c, (a, b) -> a.equals(b) ? a : 2);
          }
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      checkpoints.merge(now.plusMillis(rnd.nextInt(15_000)), 2, (a, b) -> 2);
    }
  }

  /** The cache returns exactly the entries live on its clock, each at its latest version. */
  private static void check(VectorCache cache, Instant now, Map<String, Version> model) {
    Map<String, Long> live =
        model.entrySet().stream()
            .filter(e -> e.getValue().expiresAt() == null || now.isBefore(e.getValue().expiresAt()))
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().seq()));
    for (Map.Entry<String, Version> e : model.entrySet()) {
      Optional<CacheEntry> got = cache.get(e.getKey());
      Long expected = live.get(e.getKey());
      assertThat(got.map(g -> g.metadata().get("seq")))
          .as("get(%s) at %s, expiry %s", e.getKey(), now, e.getValue().expiresAt())
          .isEqualTo(Optional.ofNullable(expected));
    }
    if (model.isEmpty()) {
      return;
    }
    Version any = model.values().iterator().next();
    List<CacheHit> hits = cache.searchSimilar(any.vector(), model.size());
    Map<String, Object> served =
        hits.stream().collect(Collectors.toMap(CacheHit::key, h -> h.metadata().get("seq")));
    assertThat(served).as("search at %s of %s", now, model).isEqualTo(Map.copyOf(live));
    assertThat(Set.copyOf(served.keySet())).isEqualTo(live.keySet());
  }

  private static VectorCache cache(
      InMemoryVectorStore vectors, InMemoryMetadataStore metadata, Clock clock, String collection) {
    return VectorCache.builder()
        .collection(collection)
        .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
        .vectorStore(vectors)
        .metadataStore(metadata)
        .clock(clock)
        .ownsStores(false)
        .build();
  }

  private static long skew(SplittableRandom rnd) {
    return rnd.nextLong(-SKEW_MS, SKEW_MS + 1);
  }

  private static void moveTo(MutableClock base, Instant t) {
    if (t.isAfter(base.instant())) {
      base.set(t);
    }
  }
}
