package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ambiguous Qdrant writes: 1,000 seeded operations (stores, overwrites, deletes, gets) through the
 * Qdrant adapter over gRPC while the test server fails 10 % of all calls in every mode it has
 * (unavailable, deadline exceeded, hang, applied-then-failed, applied-then-hung, slow). For every
 * failed call: a typed exception within 2x the timeout, at most 1 + maxRetries attempts of each
 * call, and no metadata copy left in Redis for a failed write; at the end, at most one point per
 * key, every key holds one of the versions its history allows, and every Redis copy carries the
 * vector side's version.
 */
class AmbiguousQdrantWritesIT {
  private static final int OPERATIONS = 1_000;
  private static final int KEYS = 100;
  private static final int DIM = 8;
  private static final long SEED = 1_000L;
  private static final double FAULT_RATE = 0.10;
  private static final Duration TIMEOUT = Duration.ofMillis(250);
  private static final int MAX_RETRIES = 2;
  private static final Duration BOUND = TIMEOUT.multipliedBy(2);
  private static final Duration TTL = Duration.ofMinutes(30);
  private static final String ABSENT = "absent";

  @Test
  void failedWritesLeaveNoCopyAndAtMostOnePointPerKey() throws Exception {
    try (QdrantTestServer qdrant = Qdrant.startServer();
        RedisNode redis = RedisNode.start()) {
      AsyncMetadataStore raw = Client.LETTUCE.open(redis, "amb:", Duration.ofSeconds(2));
      try (VectorCache cache = cache(qdrant, redis)) {
        Map<String, Set<Object>> allowed = new HashMap<>();
        int failures = 0;
        qdrant.faults().resetInjected();
        qdrant.faults().injectRandomly(SEED, FAULT_RATE, FaultMode.all(Duration.ofMillis(100)));
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < OPERATIONS; i++) {
          String key = "k" + rnd.nextInt(KEYS);
          int kind = rnd.nextInt(10);
          qdrant.resetRequestCounts();
          long t0 = System.nanoTime();
          try {
            operate(cache, key, kind, i, allowed);
          } catch (RuntimeException e) {
            failures++;
            Outcomes.typedWithin(
                "operation " + i, e, Duration.ofNanos(System.nanoTime() - t0), BOUND);
            onFailure(cache, raw, key, kind, i, allowed);
          }
          assertBoundedAttempts(qdrant, i);
        }
        qdrant.faults().clear();
        Map<FaultMode, Long> injected = qdrant.faults().injected();
        System.out.printf("ambiguous writes: %d failures, faults %s%n", failures, injected);
        assertThat(injected.keySet()).as("every mode was injected").hasSize(6);
        assertThat(injected.values()).allMatch(n -> n > 0);
        verify(cache, qdrant.backend(), raw, allowed);
      } finally {
        raw.close();
      }
    }
  }

  /** One operation: 60 % store, 10 % delete, 30 % get; records what the key may hold now. */
  private static void operate(
      VectorCache cache, String key, int kind, long seq, Map<String, Set<Object>> allowed) {
    Set<Object> may = allowed.computeIfAbsent(key, k -> new HashSet<>(Set.of(ABSENT)));
    if (kind < 6) {
      cache.store(key, vector(seq), Map.of("seq", seq), TTL);
      may.clear();
      may.add(seq);
    } else if (kind < 7) {
      cache.delete(key);
      may.clear();
      may.add(ABSENT);
    } else {
      Optional<CacheEntry> got = cache.get(key);
      Object seen = got.<Object>map(e -> e.metadata().get("seq")).orElse(ABSENT);
      assertThat(may).as("get(%s) returned a version it may hold", key).contains(seen);
      may.clear();
      may.add(seen); // nothing is in flight between calls: what was read is what is there
    }
    Lead.flush(cache);
  }

  /** A failed write may or may not have been applied; its copy must not be in Redis. */
  private static void onFailure(
      VectorCache cache,
      AsyncMetadataStore raw,
      String key,
      int kind,
      long seq,
      Map<String, Set<Object>> allowed)
      throws Exception {
    Set<Object> may = allowed.get(key);
    if (kind < 6) {
      may.add(seq);
    } else if (kind < 7) {
      may.add(ABSENT);
    }
    Lead.flush(cache);
    Optional<MetadataEntry> copy = raw.get(cache.collection() + ":" + key).get(5, TimeUnit.SECONDS);
    // the old copy may linger a moment (dropping it is not awaited: readers compare versions), but
    // no copy of the failed write may exist
    assertThat(copy.map(c -> c.metadata().get("seq")))
        .as("a metadata copy of the failed write %d of %s", seq, key)
        .isNotEqualTo(Optional.of(seq));
  }

  /** At most 1 + maxRetries attempts of each call; a cache operation makes at most two calls. */
  private static void assertBoundedAttempts(QdrantTestServer qdrant, int i) {
    for (Map.Entry<String, Long> e : qdrant.requestCounts().entrySet()) {
      assertThat(e.getValue())
          .as("attempts of %s in operation %d", e.getKey(), i)
          .isLessThanOrEqualTo(2L * (1 + MAX_RETRIES));
    }
    assertThat(qdrant.requestCount("Upsert")).isLessThanOrEqualTo(1 + MAX_RETRIES);
  }

  private static void verify(
      VectorCache cache,
      VectorStore backend,
      AsyncMetadataStore raw,
      Map<String, Set<Object>> allowed)
      throws Exception {
    Map<String, Integer> pointsPerKey = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    for (RetrievedPoint p : allPoints(backend, cache.collection())) {
      String key = (String) p.payload().get(EntryPayload.KEY);
      pointsPerKey.merge(key, 1, Integer::sum);
      versions.put(key, ((Number) p.payload().get(EntryPayload.VERSION)).longValue());
    }
    assertThat(pointsPerKey.values()).as("points per key").allMatch(n -> n == 1);
    for (Map.Entry<String, Set<Object>> e : allowed.entrySet()) {
      Optional<CacheEntry> got = cache.get(e.getKey());
      Object seen = got.<Object>map(g -> g.metadata().get("seq")).orElse(ABSENT);
      assertThat(e.getValue()).as("final state of %s", e.getKey()).contains(seen);
    }
    Lead.flush(cache);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> stale = staleCopies(raw, cache, versions);
    while (!stale.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100); // a dropped copy's removal is not awaited by the store that failed
      stale = staleCopies(raw, cache, versions);
    }
    assertThat(stale).as("Redis copies whose version is not the vector side's").isEmpty();
  }

  private static List<String> staleCopies(
      AsyncMetadataStore raw, VectorCache cache, Map<String, Long> versions) throws Exception {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      Optional<MetadataEntry> copy =
          raw.get(cache.collection() + ":" + e.getKey()).get(5, TimeUnit.SECONDS);
      if (copy.isPresent() && copy.get().version() != e.getValue()) {
        stale.add(
            e.getKey() + ": copy v" + copy.get().version() + ", vector side v" + e.getValue());
      }
    }
    return stale;
  }

  private static List<RetrievedPoint> allPoints(VectorStore backend, String collection) {
    List<RetrievedPoint> out = new ArrayList<>();
    ScrollRequest request = ScrollRequest.firstPage(256);
    while (true) {
      ScrollPage page = backend.scroll(collection, request);
      out.addAll(page.points());
      if (page.nextOffset() == null) {
        return out;
      }
      request = request.withOffset(page.nextOffset());
    }
  }

  private static float[] vector(long seq) {
    return Vecs.of(SEED, seq, DIM);
  }

  private static VectorCache cache(QdrantTestServer qdrant, RedisNode redis) {
    // a cold JVM's first channel takes longer than the short deadline under test: warm it up
    Qdrant.open(qdrant, Duration.ofSeconds(10)).close();
    VectorCache cache =
        VectorCache.builder()
            .collection("ambiguous")
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .vectorStore(Qdrant.open(qdrant, TIMEOUT, MAX_RETRIES))
            .metadataStore(Client.LETTUCE.open(redis, "amb:", Duration.ofSeconds(2)))
            .build();
    cache.initialize();
    return cache;
  }
}
