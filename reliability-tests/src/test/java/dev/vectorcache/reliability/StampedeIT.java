package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheStats;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stampede: 64 readers at once on a key whose Redis copy is missing cause exactly one vector-store
 * payload read and one Redis write, through {@code get} and through {@code searchSimilar}; after a
 * Redis restart, 64 searches over the whole hot set of 16 keys cause one read and one write per
 * key. Reads are counted by a spy on the vector store (the embedded engine; Qdrant is not the point
 * here), writes by Redis's own count of changes to its data ({@code INFO persistence}). The spy
 * holds the answer of the payload read until every reader has missed (each either leads a read or
 * joins one), so that the misses overlap whatever the machine's speed, as they do when the vector
 * store is the bottleneck.
 */
class StampedeIT {
  private static final int READERS = 64;
  private static final int DIM = 16;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration TTL = Duration.ofMinutes(30);

  enum Read {
    GET,
    SEARCH
  }

  static Stream<Arguments> clientsAndReads() {
    return Stream.of(Client.values())
        .flatMap(c -> Stream.of(Read.values()).map(r -> Arguments.of(c, r)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("clientsAndReads")
  void sixtyFourReadersOfAMissingCopyCauseOneFetchAndOneWrite(Client client, Read read)
      throws Exception {
    try (RedisNode redis = RedisNode.start()) {
      FetchSpy.Spied spied = FetchSpy.wrap(new InMemoryVectorStore().async(), Duration.ZERO);
      try (VectorCache cache = cache(client, redis, spied.store(), "stampede")) {
        float[] v = Vecs.of(7, 1, DIM);
        cache.store("hot", v, Map.of("title", "hot"), TTL);
        Lead.flush(cache);
        List<String> copies = redis.keys("stampede:*");
        assertThat(copies).as("the store's copy").hasSize(1);
        redis.command("DEL", copies.get(0));
        spied.spy().reset();
        long writes = redis.changes();
        CacheStats before = cache.stats();

        List<Object> results =
            concurrently(
                cache,
                spied.spy(),
                1,
                () ->
                    read == Read.GET
                        ? cache.get("hot").orElseThrow().metadata()
                        : cache.searchSimilar(v, 1).get(0).metadata());
        Lead.flush(cache);

        assertThat(results).hasSize(READERS).allMatch(m -> Map.of("title", "hot").equals(m));
        assertThat(spied.spy().fetches(cache.pointId("hot"))).as("payload reads").isEqualTo(1);
        assertThat(redis.changes() - writes).as("Redis writes").isEqualTo(1);
        assertThat(redis.get(copies.get(0))).as("the copy is back").isNotNull();
        assertThat(cache.stats().singleFlightJoins() - before.singleFlightJoins())
            .isEqualTo(READERS - 1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void afterARestartTheWholeHotSetIsFetchedAndWrittenOncePerKey(Client client) throws Exception {
    int hotKeys = 16;
    try (RedisNode redis = RedisNode.start()) {
      FetchSpy.Spied spied = FetchSpy.wrap(new InMemoryVectorStore().async(), Duration.ZERO);
      try (VectorCache cache = cache(client, redis, spied.store(), "hotset")) {
        float[] centre = Vecs.of(11, 0, DIM);
        for (int k = 0; k < hotKeys; k++) {
          float[] near = centre.clone();
          near[k] += 0.05f; // all near the query, none equal
          cache.store("hot" + k, near, Map.of("k", (long) k), TTL);
        }
        Lead.flush(cache);
        redis.kill();
        redis.restart(); // empty: the whole hot set misses at once
        awaitReconnected(cache);
        spied.spy().reset();
        long writes = redis.changes();

        List<Object> results =
            concurrently(cache, spied.spy(), hotKeys, () -> cache.searchSimilar(centre, hotKeys));
        Lead.flush(cache);

        for (Object r : results) {
          assertThat((List<?>) r).hasSize(hotKeys);
        }
        for (int k = 0; k < hotKeys; k++) {
          assertThat(spied.spy().fetches(cache.pointId("hot" + k)))
              .as("reads of hot%d", k)
              .isEqualTo(1);
        }
        assertThat(redis.changes() - writes).as("Redis writes").isEqualTo(hotKeys);
        assertThat(redis.keys("hotset:*")).hasSize(hotKeys);
        List<CacheHit> again = cache.searchSimilar(centre, hotKeys);
        assertThat(again).extracting(CacheHit::source).containsOnly(CacheHit.Source.METADATA_STORE);
      }
    }
  }

  private static VectorCache cache(
      Client client, RedisNode redis, AsyncVectorStore vectors, String prefix) {
    VectorCache cache =
        VectorCache.builder()
            .collection(prefix)
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(client.open(redis, prefix + ":", TIMEOUT))
            .build();
    cache.initialize();
    return cache;
  }

  /** Waits until the metadata store answers again after a restart (at most 10 s). */
  private static void awaitReconnected(VectorCache cache) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        cache.metadataStore().ping().get(2, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the metadata store did not reconnect", e);
        }
        sleep(50);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code read} on 64 threads released at once, holding the payload reads until all 64 have
   * missed the {@code keys} keys (each miss leads a read or joins one); returns their results.
   */
  private static List<Object> concurrently(
      VectorCache cache, FetchSpy spy, int keys, Callable<Object> read) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(READERS);
    long joins = cache.stats().singleFlightJoins();
    CompletableFuture<Void> gate = spy.closeGate();
    try {
      CyclicBarrier start = new CyclicBarrier(READERS);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return read.call();
                }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (spy.totalFetches() + cache.stats().singleFlightJoins() - joins < (long) READERS * keys
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      spy.openGate();
      gate.complete(null);
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : futures) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      spy.openGate();
      gate.complete(null);
      pool.shutdownNow();
    }
  }
}
