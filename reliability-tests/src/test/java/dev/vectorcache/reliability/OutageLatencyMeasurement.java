package dev.vectorcache.reliability;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The measurement harness of RELIABILITY.md (not a test: it asserts nothing and CI never runs it).
 * For each client it measures, one call after another, the latency (p50, p99, max) of {@code
 * searchSimilar} at limit 10 and 100, {@code get} and {@code store} while Redis is healthy, hung
 * (SIGSTOP) and down (killed), and the recovery after each: the time until a store's copy reaches
 * Redis again, and until a search is served from Redis again. It counts the WARN lines each phase
 * logs. The vector store is the Qdrant adapter over gRPC to the in-process test server, with 1,000
 * entries; Redis's command timeout is the default, 2 s, as in issue 10's figures.
 *
 * <pre>
 * ./mvnw -pl reliability-tests -am verify -Djacoco.skip=true -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OutageLatencyMeasurement \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dreliability.excludedGroups=none -Dreliability.trace.skip=true
 * </pre>
 *
 * <p>The table goes to {@code reliability-tests/target/reliability-measurements.md}. Settings:
 * {@code -Dmeasure.samples=200} calls per cell at most, {@code -Dmeasure.budget=PT30S} time per
 * cell (at least one call is always made), {@code -Dmeasure.cell=PT6S} the least time per cell (one
 * call every 50 ms), {@code -Dmeasure.timeout=PT2S} the Redis command timeout. It uses only the API
 * that existed before issue 10, so it also runs on the commit before it.
 */
@Tag("measure")
class OutageLatencyMeasurement {
  private static final int DIM = 32;
  private static final int ENTRIES = 1_000;
  private static final int SAMPLES = Integer.getInteger("measure.samples", 200);
  private static final Duration CELL = Duration.parse(System.getProperty("measure.cell", "PT6S"));
  private static final Duration BUDGET =
      Duration.parse(System.getProperty("measure.budget", "PT30S"));
  private static final Duration PACE = Duration.ofMillis(50);
  private static final Duration TIMEOUT =
      Duration.parse(System.getProperty("measure.timeout", "PT2S"));
  private static final Duration TTL = Duration.ofHours(1);
  private static final AtomicLong WARN_LINES = new AtomicLong();
  private static final AtomicLong PROBES = new AtomicLong();
  private static final Path OUT = Path.of("target", "reliability-measurements.md");

  @BeforeAll
  static void countWarnLines() throws IOException {
    // slf4j-simple writes to whatever System.err is when it logs: count its WARN lines on the way
    PrintStream err = System.err;
    System.setErr(
        new PrintStream(
            new OutputStream() {
              private final StringBuilder line = new StringBuilder();

              @Override
              public void write(int b) {
                err.write(b);
                if (b == '\n') {
                  if (line.indexOf(" WARN ") >= 0 || line.indexOf("[WARN]") >= 0) {
                    WARN_LINES.incrementAndGet();
                  }
                  line.setLength(0);
                } else if (line.length() < 200) {
                  line.append((char) b);
                }
              }
            },
            true,
            StandardCharsets.UTF_8));
    Files.createDirectories(OUT.getParent());
    if (!Files.exists(OUT)) {
      Files.write(
          OUT,
          List.of(
              "| client | Redis | call | calls | p50 | p99 | max | WARN lines |",
              "|---|---|---|---|---|---|---|---|"),
          StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void measure(Client client) throws Exception {
    try (QdrantTestServer qdrant = Qdrant.startServer();
        RedisNode redis = RedisNode.startWithoutPassword()) {
      MetadataStoreConfig.Builder config = client.config(redis, "measure:", TIMEOUT);
      try (VectorCache cache =
          VectorCache.builder()
              .collection("measure")
              .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
              .vectorStore(Qdrant.open(qdrant, Duration.ofSeconds(10)))
              .metadataStore(
                  dev.vectorcache.spi.Backends.discover().openAsyncMetadataStore(config.build()))
              .build()) {
        cache.initialize();
        SplittableRandom rnd = new SplittableRandom(2026);
        preload(cache, rnd);
        for (int i = 0; i < 200; i++) {
          cache.searchSimilar(Vecs.unit(rnd, DIM), 100); // warm up, and fill Redis
        }
        List<String> rows = new ArrayList<>();
        rows.addAll(phase(client, "healthy", cache, rnd));
        redis.pause();
        try {
          rows.addAll(phase(client, "hung (SIGSTOP)", cache, rnd));
        } finally {
          redis.resume();
        }
        rows.addAll(recovery(client, "resumed after the hang", cache, redis, rnd));
        redis.kill();
        rows.addAll(phase(client, "down (killed)", cache, rnd));
        redis.restart();
        rows.addAll(recovery(client, "restarted after the outage", cache, redis, rnd));
        Files.write(OUT, rows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        rows.forEach(System.out::println);
      }
    }
  }

  private static void preload(VectorCache cache, SplittableRandom rnd) {
    for (int b = 0; b < ENTRIES / 100; b++) {
      List<CacheWrite> writes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = b * 100 + i;
        writes.add(
            CacheWrite.of(
                "e" + n, Vecs.unit(rnd, DIM), Map.of("n", (long) n, "title", "entry " + n), TTL));
      }
      cache.storeAll(writes);
    }
  }

  private static List<String> phase(
      Client client, String phase, VectorCache cache, SplittableRandom rnd) {
    List<String> rows = new ArrayList<>();
    rows.add(
        cell(
            client,
            phase,
            "searchSimilar, limit 10",
            () -> cache.searchSimilar(Vecs.unit(rnd, DIM), 10)));
    rows.add(
        cell(
            client,
            phase,
            "searchSimilar, limit 100",
            () -> cache.searchSimilar(Vecs.unit(rnd, DIM), 100)));
    rows.add(cell(client, phase, "get", () -> cache.get("e" + rnd.nextInt(ENTRIES))));
    rows.add(
        cell(
            client,
            phase,
            "store",
            () ->
                cache.store(
                    "e" + rnd.nextInt(ENTRIES), Vecs.unit(rnd, DIM), Map.of("n", -1L), TTL)));
    return rows;
  }

  /**
   * Calls one every {@code PACE} for at least {@code CELL} (longer than the breaker's cool-down, so
   * that a probe falls in every cell) and at most {@code SAMPLES} calls or {@code BUDGET}, at least
   * one call; a failed call is timed like the others.
   */
  private static void pause(long nanos) {
    if (nanos > 0) {
      try {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String cell(Client client, String phase, String call, Supplier<?> op) {
    Latencies l = new Latencies();
    long warnBefore = WARN_LINES.get();
    long start = System.nanoTime();
    int failed = 0;
    do {
      long t0 = System.nanoTime();
      try {
        Object unused = op.get();
      } catch (RuntimeException e) {
        failed++;
      }
      long took = System.nanoTime() - t0;
      l.add(took);
      pause(PACE.toNanos() - took);
    } while (l.count() < SAMPLES
        && System.nanoTime() - start < BUDGET.toNanos()
        && (System.nanoTime() - start < CELL.toNanos() || l.count() < 20));
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d%s | %s | %s | %s | %d |",
        client.name().toLowerCase(Locale.ROOT),
        phase,
        call,
        l.count(),
        failed == 0 ? "" : " (" + failed + " failed)",
        Latencies.ms(l.percentile(50)),
        Latencies.ms(l.percentile(99)),
        Latencies.ms(l.max()),
        WARN_LINES.get() - warnBefore);
  }

  /** From now: the first store whose copy reaches Redis, and the first search served from it. */
  private static List<String> recovery(
      Client client, String phase, VectorCache cache, RedisNode redis, SplittableRandom rnd)
      throws InterruptedException {
    long warnBefore = WARN_LINES.get();
    long t0 = System.nanoTime();
    long firstWrite = -1;
    long firstHit = -1;
    float[] query = Vecs.unit(rnd, DIM);
    while ((firstWrite < 0 || firstHit < 0) && System.nanoTime() - t0 < 60_000_000_000L) {
      if (firstWrite < 0) {
        String probe = "probe" + PROBES.incrementAndGet();
        cache.store(probe, Vecs.unit(rnd, DIM), Map.of(), TTL);
        if (redis.get("measure:measure:" + probe) != null) {
          firstWrite = System.nanoTime() - t0;
        }
      }
      if (firstHit < 0) {
        List<CacheHit> hits = cache.searchSimilar(query, 10);
        if (!hits.isEmpty()
            && hits.stream().allMatch(h -> h.source() == CacheHit.Source.METADATA_STORE)) {
          firstHit = System.nanoTime() - t0;
        }
      }
      Thread.sleep(20);
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "| %s | %s | first store whose copy reaches Redis | | %s | | | %d |",
            client.name().toLowerCase(Locale.ROOT),
            phase,
            firstWrite < 0 ? "> 60 s" : Latencies.ms(Duration.ofNanos(firstWrite)),
            WARN_LINES.get() - warnBefore),
        String.format(
            Locale.ROOT,
            "| %s | %s | first search served from Redis | | %s | | | |",
            client.name().toLowerCase(Locale.ROOT),
            phase,
            firstHit < 0 ? "> 60 s" : Latencies.ms(Duration.ofNanos(firstHit))));
  }
}
