package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CircuitState;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failover under load (issue 12, item 4): two caches, one over Lettuce and one over Jedis, share a
 * Redis Cluster (or a Sentinel group) and one vector store, and write, get and search while a
 * primary is SIGKILLed {@value #FAILOVERS} times. The rules checked:
 *
 * <ul>
 *   <li>no read returns an older sequence than the last one acknowledged before it started (0
 *       stale), during the failovers and after them;
 *   <li>a call that fails does so with a typed exception within its bound (Outcomes);
 *   <li>after each promotion, a copy written through one cache's store is read through the other's
 *       and an event published by one reaches the other's subscriber (resubscribed): the time from
 *       the kill until both hold is the recovery time, reported as median and max;
 *   <li>afterwards every acknowledged write is served, and the copies written back match it.
 * </ul>
 */
class FailoverUnderLoadIT {
  static final int FAILOVERS = 3;
  private static final int KEYS_PER_WRITER = 100;
  private static final int DIM = 16;
  private static final long SEED = 12L;
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration FAILURE_BOUND = Duration.ofSeconds(5);
  private static final Duration SERVER_FAILOVER_MAX = Duration.ofSeconds(45);
  private static final Duration RECOVERY_MAX = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofMinutes(30);
  private static final String COLLECTION = "failover";
  private static final String PREFIX = "failover:";

  @ParameterizedTest
  @EnumSource(
      value = RedisDeployment.Kind.class,
      names = {"CLUSTER", "SENTINEL"})
  void noStaleReadNoLostWriteAndRecoveryAfterEachFailover(RedisDeployment.Kind kind)
      throws Exception {
    try (RedisDeployment redis = RedisDeployment.start(kind)) {
      InMemoryVectorStore engine = new InMemoryVectorStore();
      Run run = new Run();
      try (VectorCache lettuce = cache(redis, Client.LETTUCE, engine);
          VectorCache jedis = cache(redis, Client.JEDIS, engine)) {
        // closing a cache closes its stores, and with them this subscription
        Subscription unused = jedis.subscribe(run::onEventAtJedis);
        List<VectorCache> caches = List.of(lettuce, jedis);
        run.caches.addAll(caches);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        try {
          for (int w = 0; w < 2; w++) {
            int writer = w;
            load.add(pool.submit(() -> write(caches.get(writer), writer, run)));
            load.add(pool.submit(() -> read(caches, writer, run)));
          }
          List<Duration> serverSide = new ArrayList<>();
          for (int f = 0; f < FAILOVERS; f++) {
            Thread.sleep(1_000);
            String probe = "probe-" + f;
            Instant killedAt = Instant.now();
            serverSide.add(redis.failover(PREFIX + probe, SERVER_FAILOVER_MAX));
            run.recoveries.add(recover(lettuce, jedis, run, probe, killedAt));
            redis.restore();
          }
          Thread.sleep(500);
          run.loading.set(false);
          for (Future<?> f : load) {
            f.get(2, TimeUnit.MINUTES);
          }
          report(redis, serverSide, run);
        } finally {
          run.loading.set(false);
          pool.shutdownNow();
        }
        assertThat(run.stale).as("stale reads during the failovers").hasValue(0);
        assertThat(run.acks.get()).as("stores acknowledged during the run").isGreaterThan(50);
        assertThat(run.reads.get()).as("reads during the run").isGreaterThan(50);
        verifyAfterwards(caches, run);
      }
    }
  }

  /** Shared state of one run. */
  static final class Run {
    final AtomicBoolean loading = new AtomicBoolean(true);
    final AtomicLongArray acked = new AtomicLongArray(2 * KEYS_PER_WRITER);
    final AtomicLong acks = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final Map<String, Long> probeEvents = new ConcurrentHashMap<>();
    final List<Duration> recoveries = new ArrayList<>();
    final List<VectorCache> caches = new ArrayList<>();

    Run() {
      for (int i = 0; i < acked.length(); i++) {
        acked.set(i, -1);
      }
    }

    void onEventAtJedis(MetadataEvent e) {
      if (e.key().startsWith("probe-")) {
        probeEvents.merge(e.key(), e.version(), Math::max);
      }
    }
  }

  private static VectorCache cache(RedisDeployment redis, Client client, InMemoryVectorStore e) {
    AsyncMetadataStore store =
        Backends.discover()
            .openAsyncMetadataStore(redis.config(client, PREFIX, REDIS_TIMEOUT).build());
    VectorCache cache =
        VectorCache.builder()
            .collection(COLLECTION)
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .searchParams(SearchParams.exactSearch())
            .vectorStore(e.async())
            .metadataStore(store)
            .build();
    cache.initialize();
    return cache;
  }

  private static String key(int writer, int i) {
    return "w" + writer + "-k" + i;
  }

  private static void write(VectorCache cache, int writer, Run run) {
    long seq = 0;
    while (run.loading.get()) {
      int i = (int) (seq % KEYS_PER_WRITER);
      String key = key(writer, i);
      long t0 = System.nanoTime();
      try {
        cache.store(key, Vecs.of(SEED, writer * 1_000_000L + i, DIM), Map.of("seq", seq), TTL);
        run.acked.set(writer * KEYS_PER_WRITER + i, seq);
        run.acks.incrementAndGet();
      } catch (RuntimeException e) {
        Outcomes.typedWithin("store", e, Duration.ofNanos(System.nanoTime() - t0), FAILURE_BOUND);
        run.failures.incrementAndGet();
      }
      seq++;
    }
  }

  private static void read(List<VectorCache> caches, int reader, Run run) {
    SplittableRandom rnd = new SplittableRandom(SEED + 100 + reader);
    while (run.loading.get()) {
      int writer = rnd.nextInt(2);
      int i = rnd.nextInt(KEYS_PER_WRITER);
      String key = key(writer, i);
      long before = run.acked.get(writer * KEYS_PER_WRITER + i);
      VectorCache cache = caches.get(rnd.nextInt(2));
      long t0 = System.nanoTime();
      try {
        Optional<Long> seen;
        if (rnd.nextBoolean()) {
          seen = cache.get(key).map(FailoverUnderLoadIT::seq);
        } else {
          seen =
              cache.searchSimilar(Vecs.of(SEED, writer * 1_000_000L + i, DIM), 1).stream()
                  .filter(h -> h.key().equals(key))
                  .findFirst()
                  .map(CacheHit::entry)
                  .map(FailoverUnderLoadIT::seq);
        }
        run.reads.incrementAndGet();
        if (before >= 0 && (seen.isEmpty() || seen.get() < before)) {
          run.stale.incrementAndGet();
        }
      } catch (RuntimeException e) {
        Outcomes.typedWithin("read", e, Duration.ofNanos(System.nanoTime() - t0), FAILURE_BOUND);
        run.failures.incrementAndGet();
      }
    }
  }

  private static long seq(CacheEntry e) {
    return ((Number) e.metadata().get("seq")).longValue();
  }

  /**
   * Until a copy written through Lettuce's store is read through Jedis's, and an event published
   * through Lettuce's reaches the Jedis cache's subscriber: both on the failed-over shard.
   */
  private static Duration recover(
      VectorCache lettuce, VectorCache jedis, Run run, String probe, Instant killedAt)
      throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY_MAX.toNanos();
    long version = 0;
    while (System.nanoTime() < deadline) {
      version++;
      try {
        lettuce
            .metadataStore()
            .put(new MetadataEntry(probe, Map.of("v", version), version, null), TTL)
            .get(FAILURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        Optional<MetadataEntry> back =
            jedis.metadataStore().get(probe).get(FAILURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        lettuce
            .metadataStore()
            .publish(
                new MetadataEvent(
                    MetadataEvent.Type.STORED, COLLECTION, probe, version, Instant.now()))
            .get(FAILURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        if (back.map(MetadataEntry::version).orElse(-1L) == version
            && awaitEvent(run, probe, version)) {
          return Duration.between(killedAt, Instant.now());
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // typed and bounded while the topology changes; try again
        Outcomes.typed("probe during failover", e);
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        probe + ": the stores did not recover within " + RECOVERY_MAX + " of the kill");
  }

  private static boolean awaitEvent(Run run, String probe, long version)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    while (System.nanoTime() < until) {
      if (run.probeEvents.getOrDefault(probe, -1L) >= version) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  private static void verifyAfterwards(List<VectorCache> caches, Run run) {
    for (VectorCache c : caches) {
      Lead.flush(c);
    }
    // twice: the first pass may fall back to the payloads and write back, the second reads copies
    long[] hitsBefore = new long[caches.size()];
    for (int pass = 0; pass < 2; pass++) {
      if (pass == 1) {
        awaitClosedBreakers(caches);
        for (int c = 0; c < caches.size(); c++) {
          hitsBefore[c] = caches.get(c).stats().metadataHits();
        }
      }
      for (int w = 0; w < 2; w++) {
        for (int i = 0; i < KEYS_PER_WRITER; i++) {
          long acked = run.acked.get(w * KEYS_PER_WRITER + i);
          if (acked < 0) {
            continue;
          }
          String key = key(w, i);
          for (VectorCache c : caches) {
            assertThat(c.get(key).map(FailoverUnderLoadIT::seq))
                .as("pass %d: %s after the failovers", pass, key)
                .contains(acked);
          }
        }
      }
      for (VectorCache c : caches) {
        Lead.flush(c);
      }
    }
    for (int c = 0; c < caches.size(); c++) {
      assertThat(caches.get(c).stats().metadataHits() - hitsBefore[c])
          .as("cache %d serves copies from the failed-over Redis again", c)
          .isPositive();
    }
  }

  /**
   * The breakers opened during the failovers; each closes after its cool-down once a probe call
   * succeeds, which the gets here provide.
   */
  private static void awaitClosedBreakers(List<VectorCache> caches) {
    long deadline = System.nanoTime() + RECOVERY_MAX.toNanos();
    while (caches.stream().anyMatch(c -> c.circuitState() != CircuitState.CLOSED)) {
      assertThat(System.nanoTime()).as("breakers closed again").isLessThan(deadline);
      for (VectorCache c : caches) {
        Optional<CacheEntry> unused = c.get(key(0, 0));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void report(RedisDeployment redis, List<Duration> serverSide, Run run)
      throws IOException {
    List<Long> rec = run.recoveries.stream().map(Duration::toMillis).sorted().toList();
    List<Long> srv = serverSide.stream().map(Duration::toMillis).sorted().toList();
    String line =
        String.format(
            "failover %s: %d failovers; recovery (kill to copies and events through both clients)"
                + " median %d ms, max %d ms, all %s; server-side promotion median %d ms, max %d"
                + " ms; %d stores, %d reads, %d typed failures, %d stale; breaker openings %s,"
                + " metadata calls short-circuited %s%n",
            redis.label(),
            rec.size(),
            rec.get(rec.size() / 2),
            rec.get(rec.size() - 1),
            rec,
            srv.get(srv.size() / 2),
            srv.get(srv.size() - 1),
            run.acks.get(),
            run.reads.get(),
            run.failures.get(),
            run.stale.get(),
            run.caches.stream().map(c -> c.stats().circuitOpenings()).toList(),
            run.caches.stream().map(c -> c.stats().metadataCallsShortCircuited()).toList());
    System.out.print(line);
    Path out = Path.of("target", "failover-" + redis.label() + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, line);
  }
}
