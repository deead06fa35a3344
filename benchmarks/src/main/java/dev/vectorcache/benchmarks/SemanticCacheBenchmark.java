package dev.vectorcache.benchmarks;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.EmbeddingCache;
import dev.vectorcache.semantic.LookupOptions;
import dev.vectorcache.semantic.PutOptions;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.semantic.SemanticHit;
import dev.vectorcache.semantic.TtlPolicy;
import dev.vectorcache.semantic.VectorEncoding;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The semantic cache and the embedding cache over Redis (one private {@code redis-server}, through
 * Lettuce or Jedis) and the embedded vector engine (memory-mapped, int8 with rescoring), with
 * {@code n} answers spread over {@code scopes} tenants: the latency of an exact hit, a semantic hit
 * and a miss, beside their parts measured on the same data (one Redis GET through the same client;
 * the engine's search with the same scope filter); and the embedding cache's hit and miss.
 *
 * <p>The prompts' vectors are given to the lookups, so the figures are the cache's own cost, not an
 * embedding model's. Targets (issue 13): an exact hit costs one Redis round trip; a semantic hit
 * the engine search plus two round trips (the exact tier's GET and the hydration's MGET).
 *
 * <p>{@code @Setup} also counts the Redis commands of each kind of lookup (from {@code INFO
 * commandstats}) and measures the bytes Redis spends per cached embedding ({@code MEMORY USAGE}
 * over a sample, per encoding), written to the side file.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar SemanticCacheBenchmark \
 *   -rf json -rff benchmarks/results/semantic.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class SemanticCacheBenchmark {
  @Param({"lettuce", "jedis"})
  public String client = ""; // JMH sets every @Param before @Setup

  /** Answers in the semantic cache. */
  @Param({"100000"})
  public int n;

  /** Tenants the answers are spread over (each lookup is filtered to one). */
  @Param({"100"})
  public int scopes;

  @Param({"384"})
  public int dim;

  static final String MODEL = "bench-model";
  static final int SAMPLES = 1024;

  RedisServer redis;
  MetadataStore metadata;
  InMemoryVectorStore vectors;
  SemanticCache cache;
  EmbeddingCache embeddings;
  EmbeddingCache embeddingMisses;
  Path mmapDir;
  Scope[] scopeOf;
  float[][] points;
  float[][] near;
  float[][] far;
  String[] cachedTexts;
  float[] fixedVector;
  int next;
  long nextMiss;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    redis =
        RedisServer.startProcess(
            RedisServer.findBinary()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "redis-server not found on the PATH (or -Dvectorcache.redis.server)")));
    Backends backends = Backends.discover();
    metadata =
        backends.openMetadataStore(
            MetadataStoreConfig.builder().url(redis.url()).client(client).build());
    Random r = new Random(5);
    fixedVector = randomUnit(r, dim);
    mmapDir = Files.createTempDirectory("vectorcache-semantic-");
    vectors = new InMemoryVectorStore(mmapDir);
    VectorCache answers =
        VectorCache.builder()
            .collection("answers")
            .collectionConfig(
                CollectionConfig.builder(dim, Distance.COSINE)
                    .storageMode(StorageMode.MMAP)
                    .quantization(QuantizationConfig.scalarInt8())
                    .build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .ownsStores(false)
            .build();
    cache =
        SemanticCache.builder()
            .vectorCache(answers)
            .modelId(MODEL)
            // called only when a lookup brings no vector and misses the exact tier
            .embeddingFunction(texts -> texts.stream().map(t -> fixedVector).toList())
            .threshold(0.9)
            .defaultTtl(TtlPolicy.absolute(Duration.ofHours(2)))
            .build();
    cache.initialize();
    scopeOf = new Scope[scopes];
    for (int s = 0; s < scopes; s++) {
      scopeOf[s] = Scope.of("tenant", "t" + s);
    }
    Datasets.Data data = Datasets.clustered(11, n, dim);
    points = data.points();
    // the load, 64 puts in flight at a time (the cache is thread-safe; one at a time takes a
    // minute)
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<Void>> puts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      puts.add(
          cache
              .putAsync(
                  scopeOf[i % scopes],
                  prompt(i),
                  CachedResponse.of("answer " + i),
                  PutOptions.builder().vector(points[i]).build())
              .whenComplete((v, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture<?>[]::new)).join();
    near = new float[SAMPLES][];
    far = new float[SAMPLES][];
    for (int j = 0; j < SAMPLES; j++) {
      int i = j * (n / SAMPLES);
      near[j] = nudge(points[i], r, 0.01f);
      far[j] = randomUnit(r, dim);
    }
    embeddings = embeddingCache(VectorEncoding.FLOAT32, null, "emb32");
    cachedTexts = new String[SAMPLES];
    for (int j = 0; j < SAMPLES; j++) {
      cachedTexts[j] = "a text to embed, number " + j;
    }
    embeddings.embedAll(List.of(cachedTexts));
    // misses: every text new; a 1 s TTL keeps Redis' memory flat through the run
    embeddingMisses = embeddingCache(VectorEncoding.FLOAT32, Duration.ofSeconds(1), "embmiss");
    sideFigures();
  }

  static String prompt(int i) {
    return "question number " + i + " about topic " + (i % 997);
  }

  private EmbeddingCache embeddingCache(
      VectorEncoding encoding, @Nullable Duration ttl, String ns) {
    var b =
        EmbeddingCache.builder()
            .metadataStore(metadata)
            .ownsStore(false)
            .modelId(MODEL)
            .dimension(dim)
            .namespace(ns)
            .encoding(encoding)
            .embeddingFunction(texts -> texts.stream().map(t -> fixedVector).toList());
    if (ttl != null) {
      b.ttl(ttl);
    }
    return b.build();
  }

  static float[] nudge(float[] v, Random r, float by) {
    float[] out = v.clone();
    for (int d = 0; d < out.length; d++) {
      out[d] += (float) (r.nextGaussian() * by);
    }
    return out;
  }

  static float[] randomUnit(Random r, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) r.nextGaussian();
    }
    return v;
  }

  /** Redis commands per lookup of each kind, and Redis bytes per cached embedding. */
  private void sideFigures() {
    Map<String, Object> fig = new LinkedHashMap<>();
    int rounds = 100;
    fig.put("exactHit", commandsPer(rounds, this::exactHit));
    fig.put("semanticHit", commandsPer(rounds, this::semanticHit));
    fig.put("miss", commandsPer(rounds, this::miss));
    fig.put("embeddingHit", commandsPer(rounds, this::embeddingHit));
    fig.put("embeddingMiss", commandsPer(rounds, this::embeddingMiss));
    for (VectorEncoding e : VectorEncoding.values()) {
      String ns = "embsize" + e.name().toLowerCase(Locale.ROOT);
      try (EmbeddingCache c = embeddingCache(e, null, ns)) {
        List<String> texts = new ArrayList<>();
        for (int j = 0; j < 200; j++) {
          texts.add("sized text " + j);
        }
        c.embedAll(texts);
        long bytes = 0;
        int keys = 0;
        if (redis.command("KEYS", "*" + ns + ":*") /* after the store's key prefix */
            instanceof List<?> found) {
          for (Object k : found) {
            if (redis.command("MEMORY", "USAGE", k.toString(), "SAMPLES", "0")
                instanceof Number usage) {
              bytes += usage.longValue();
              keys++;
            }
          }
        }
        fig.put("redisBytesPerEmbedding." + e.name(), keys == 0 ? 0 : bytes / (double) keys);
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("client", client);
    params.put("n", n);
    params.put("scopes", scopes);
    params.put("dim", dim);
    SideReport.write("SemanticCacheBenchmark", params, fig);
  }

  private String commandsPer(int rounds, Runnable lookup) {
    redis.command("CONFIG", "RESETSTAT");
    for (int i = 0; i < rounds; i++) {
      lookup.run();
    }
    Map<String, Long> stats = redis.commandStats();
    Map<String, Double> per = new LinkedHashMap<>();
    stats.forEach(
        (cmd, calls) -> {
          if (!cmd.equals("info") && !cmd.equals("config|resetstat")) {
            per.put(cmd, calls / (double) rounds);
          }
        });
    return per.toString();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      embeddings.close();
      embeddingMisses.close();
      cache.close();
      metadata.close();
      vectors.close();
    } finally {
      redis.close(); // stops the private server by PID
      Files.deleteIfExists(mmapDir);
    }
  }

  /** The same scope and prompt as a stored answer: the exact tier, one Redis GET. */
  @Benchmark
  public Optional<SemanticHit> exactHit() {
    int i = (next++ % SAMPLES) * (n / SAMPLES);
    return cache.lookup(scopeOf[i % scopes], prompt(i));
  }

  /** Another prompt whose vector lies next to a stored one's: GET, search, MGET. */
  @Benchmark
  public Optional<SemanticHit> semanticHit() {
    int j = next++ % SAMPLES;
    int i = j * (n / SAMPLES);
    return cache.lookup(
        scopeOf[i % scopes], "paraphrase of " + i, LookupOptions.builder().vector(near[j]).build());
  }

  /** A prompt far from every stored one in its scope: GET and a search that finds nothing. */
  @Benchmark
  public Optional<SemanticHit> miss() {
    int j = next++ % SAMPLES;
    return cache.lookup(
        scopeOf[j % scopes], "unrelated " + j, LookupOptions.builder().vector(far[j]).build());
  }

  /** One Redis round trip through the same client: GET of one key. */
  @Benchmark
  public Optional<MetadataEntry> redisRoundTrip() {
    return metadata.get("answers:absent");
  }

  /** The engine's search alone, with the scope and model filter of a semantic lookup. */
  @Benchmark
  public List<ScoredPoint> engineSearch() {
    int j = next++ % SAMPLES;
    int i = j * (n / SAMPLES);
    Filter scoped =
        Filter.must(
            Condition.match("sc_scope", scopeOf[i % scopes].canonical()),
            Condition.match("sc_model", MODEL));
    return vectors.search(
        "answers", SearchRequest.builder(near[j], 4).filter(scoped).scoreThreshold(0.9f).build());
  }

  /** A text embedded before: one MGET, no call to the model. */
  @Benchmark
  public float[] embeddingHit() {
    return embeddings.embed(cachedTexts[next++ % SAMPLES]);
  }

  /** A new text: MGET, the (instant) model, one write. */
  @Benchmark
  public float[] embeddingMiss() {
    return embeddingMisses.embed("new text " + nextMiss++);
  }
}
