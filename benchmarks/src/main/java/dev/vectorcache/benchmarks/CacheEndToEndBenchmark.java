package dev.vectorcache.benchmarks;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end: {@code VectorCache.searchSimilar} (k = 10) over the embedded engine (memory-mapped,
 * int8 with rescoring: the memory-optimised configuration) with metadata hydrated from Redis
 * through Lettuce or Jedis, beside its parts measured on the same data: the engine search alone
 * (and as the cache sends it), one Redis round trip ({@code get} of one entry's copy) through the
 * same client, alone and right after a search, and the search followed by the {@code MGET} the
 * cache would send, without the cache. Also {@code storeAll} in batches of {@code batch} entries
 * (entries/s = ops/s × batch).
 *
 * <p>Each trial starts its own {@code redis-server} on a free loopback port (never the machine's
 * server on 6379) and stops it by PID in {@code @TearDown}. In {@code @Setup} it also counts the
 * Redis commands that {@code searchSimilar} sends (from {@code INFO commandstats}) and writes them
 * to the side file: hydrating 10 hits should be one {@code MGET}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar CacheEndToEndBenchmark \
 *   -rf json -rff benchmarks/results/e2e.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class CacheEndToEndBenchmark {
  @Param({"lettuce", "jedis"})
  public String client = ""; // JMH sets every @Param before @Setup

  /** Entries in the cache. */
  @Param({"20000"})
  public int n;

  @Param({"384"})
  public int dim;

  /**
   * The cache's near cache bound ({@code VectorCacheBuilder.nearCache}); 0, the default, hydrates
   * every hit from Redis. With it at least {@code n}, a warmed-up {@code searchSimilar} reads
   * nothing from Redis.
   */
  @Param({"0"})
  public int nearCache;

  /** Entries per {@code storeAll} call. */
  @Param({"100"})
  public int batch;

  static final int K = 10;
  static final String COLLECTION = "e2e";
  static final Duration TTL = Duration.ofHours(1);

  RedisServer redis;
  MetadataStore metadata;
  InMemoryVectorStore vectors;
  VectorCache cache;
  Path mmapDir;
  float[][] points;
  float[][] queries;
  List<List<CacheWrite>> writeBatches;
  int nextQuery;
  int nextBatch;
  int nextKey;
  String firstKey;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Optional<Path> binary = RedisServer.findBinary();
    if (binary.isEmpty()) {
      throw new IllegalStateException(
          "redis-server not found on the PATH (or -Dvectorcache.redis.server); install it");
    }
    redis = RedisServer.startProcess(binary.get());
    metadata =
        Backends.discover()
            .openMetadataStore(
                MetadataStoreConfig.builder().url(redis.url()).client(client).build());
    mmapDir = Files.createTempDirectory("vectorcache-e2e-");
    vectors = new InMemoryVectorStore(mmapDir);
    cache =
        VectorCache.builder()
            .collection(COLLECTION)
            .collectionConfig(
                CollectionConfig.builder(dim, Distance.COSINE)
                    .storageMode(StorageMode.MMAP)
                    .quantization(QuantizationConfig.scalarInt8())
                    .build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .defaultTtl(TTL)
            .nearCache(nearCache)
            .build();
    cache.initialize();
    Datasets.Data data = Datasets.clustered(7, n, dim);
    points = data.points();
    queries = data.queries();
    List<CacheWrite> writes = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      writes.add(new CacheWrite(key(i), points[i], Map.of("title", "doc " + i, "n", i), TTL));
      if (writes.size() == 1000) {
        cache.storeAll(writes);
        writes.clear();
      }
    }
    if (!writes.isEmpty()) {
      cache.storeAll(writes);
    }
    firstKey = copyKey(key(0));
    // batches rewrite existing keys, so the cache keeps its size through the run
    writeBatches = new ArrayList<>();
    for (int b = 0; b < 64; b++) {
      List<CacheWrite> w = new ArrayList<>(batch);
      for (int j = 0; j < batch; j++) {
        int i = (b * batch + j) % points.length;
        w.add(new CacheWrite(key(i), points[i], Map.of("title", "doc " + i, "n", i), TTL));
      }
      writeBatches.add(w);
    }
    countRoundTrips();
    if (metadata.get(firstKey).isEmpty()) {
      throw new IllegalStateException("no metadata copy under " + firstKey);
    }
    int copies = engineSearchThenMget().size();
    if (copies != K) {
      throw new IllegalStateException("engineSearchThenMget found " + copies + " copies of " + K);
    }
  }

  static String key(int i) {
    return "doc:" + i;
  }

  /** The metadata-store key of an entry's copy: the collection, a colon, the cache key. */
  static String copyKey(String key) {
    return COLLECTION + ":" + key;
  }

  /** Redis commands per searchSimilar (all hits hydrated from Redis). */
  private void countRoundTrips() {
    int searches = 50;
    redis.command("CONFIG", "RESETSTAT");
    int hits = 0;
    for (int i = 0; i < searches; i++) {
      hits += cache.searchSimilar(queries[i % queries.length], K).size();
    }
    Map<String, Long> stats = redis.commandStats();
    long total = 0;
    for (Map.Entry<String, Long> e : stats.entrySet()) {
      if (!e.getKey().equals("info") && !e.getKey().equals("config|resetstat")) {
        total += e.getValue();
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("client", client);
    params.put("n", n);
    params.put("dim", dim);
    params.put("batch", batch);
    params.put("nearCache", nearCache);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("hitsPerSearch", hits / (double) searches);
    fig.put("redisCommandsPerSearch", total / (double) searches);
    fig.put("mgetPerSearch", stats.getOrDefault("mget", 0L) / (double) searches);
    fig.put("commandStats", stats.toString());
    SideReport.write("CacheEndToEndBenchmark", params, fig);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      cache.close();
    } finally {
      redis.close(); // stops the private server by PID
      Files.deleteIfExists(mmapDir);
    }
  }

  @Benchmark
  public List<CacheHit> searchSimilar() {
    return cache.searchSimilar(queries[nextQuery++ % queries.length], K);
  }

  /** The engine search alone, on the same collection and queries. */
  @Benchmark
  public List<ScoredPoint> engineSearch() {
    return vectors.search(
        COLLECTION, SearchRequest.builder(queries[nextQuery++ % queries.length], K).build());
  }

  /**
   * The engine search as the cache sends it: the not-expired filter, the bookkeeping payload
   * fields; the difference to {@link #engineSearch} is the filter's and the payload's cost.
   */
  @Benchmark
  public List<ScoredPoint> engineSearchAsCache() {
    Filter live =
        Filter.must(
            Condition.filter(
                Filter.should(
                    Condition.isEmpty(EntryPayload.EXPIRES_AT),
                    Condition.range(
                        EntryPayload.EXPIRES_AT, Range.gt((double) System.currentTimeMillis())))));
    return vectors.search(
        COLLECTION,
        SearchRequest.builder(queries[nextQuery++ % queries.length], K)
            .filter(live)
            .withPayload(
                PayloadSelector.include(
                    EntryPayload.KEY, EntryPayload.EXPIRES_AT, EntryPayload.VERSION))
            .build());
  }

  /**
   * The parts of {@link #searchSimilar} in sequence without the cache around them: {@link
   * #engineSearchAsCache}, then one {@code MGET} of the hits' metadata copies through the same
   * client. The difference to {@link #searchSimilar} is the cache's own work (hit building, version
   * checks, counters); the difference to {@link #engineSearch} plus two {@link #redisRoundTrip}s
   * shows what a round trip costs between searches rather than in a tight loop.
   */
  @Benchmark
  public Map<String, MetadataEntry> engineSearchThenMget() {
    List<ScoredPoint> hits = engineSearchAsCache();
    List<String> keys = new ArrayList<>(hits.size());
    for (ScoredPoint p : hits) {
      keys.add(copyKey(String.valueOf(p.payload().get(EntryPayload.KEY))));
    }
    return metadata.getAll(keys);
  }

  /**
   * {@link #engineSearch}, then one {@link #redisRoundTrip}: the difference to {@link
   * #engineSearch} is a round trip as a search meets it (the server has gone idle meanwhile), where
   * {@link #redisRoundTrip} alone measures it in a tight loop.
   */
  @Benchmark
  public Optional<MetadataEntry> engineSearchThenGet() {
    List<ScoredPoint> hits = engineSearch();
    return hits.isEmpty() ? Optional.empty() : metadata.get(firstKey);
  }

  /** One Redis round trip through the same client: GET of one entry's copy. */
  @Benchmark
  public Optional<MetadataEntry> redisRoundTrip() {
    return metadata.get(firstKey);
  }

  @Benchmark
  @OperationsPerInvocation(1)
  public Object storeAll() {
    return cache.storeAll(writeBatches.get(nextBatch++ % writeBatches.size()));
  }
}
