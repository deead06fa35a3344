package dev.vectorcache.benchmarks;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Event propagation between application instances: the time from the start of a write through one
 * instance until a subscriber of another instance has the event, one event in flight at a time. Two
 * instances, each with its own metadata store (its own client and connections) over the same Redis
 * deployment and one shared in-process vector store:
 *
 * <ul>
 *   <li>{@code cacheStore}: {@code VectorCache.store} on instance A (vector write, metadata copy
 *       and the STORED event) until instance B's {@code VectorCache.subscribe} listener receives
 *       it;
 *   <li>{@code storePublish}: {@code MetadataStore.publish} on A until B's {@code
 *       MetadataStore.subscribe} listener receives it (the pub/sub path alone).
 * </ul>
 *
 * <p>On one node ({@code standalone}), a Redis Cluster of 3 primaries with a replica each ({@code
 * cluster}: a classic {@code PUBLISH} reaches subscribers on every node over the cluster bus) and a
 * primary with a replica behind 3 sentinels ({@code sentinel}). Which node the subscription and the
 * {@code PUBLISH} land on is the client's choice; {@code @Setup} finds out ({@code CLIENT LIST},
 * {@code INFO commandstats} on every node) and writes it to the side file, so a cluster figure says
 * whether the event crossed the cluster bus.
 *
 * <p>The listener hands the event to the measuring thread through a queue (a blocked thread's
 * wake-up is part of what an application sees too); an event that does not arrive within {@value
 * #WAIT_SECONDS} s fails the run.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EventPropagationBenchmark -wi 3 -i 5 -f 1 \
 *   -rf json -rff benchmarks/results/events.json
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class EventPropagationBenchmark {
  static final long WAIT_SECONDS = 5;
  static final String COLLECTION = "events";
  static final int DIM = 16;
  static final int KEYS = 1000;

  @Param({"lettuce", "jedis"})
  public String client = ""; // JMH sets every @Param before @Setup

  @Param({"standalone", "cluster", "sentinel"})
  public String topology = "";

  /** Replicas per cluster primary (Sentinel always has one). */
  @Param({"1"})
  public int clusterReplicas;

  /**
   * On a cluster: {@code all} gives both instances every primary as a seed (the client picks its
   * nodes); {@code split} gives instance A only the first primary and B only the third, to try to
   * put the PUBLISH and the subscription on different nodes. Which node each lands on is in the
   * side file either way.
   */
  @Param({"all"})
  public String seeds = "";

  RedisTopologies redis;
  MetadataStore storeA;
  MetadataStore storeB;
  InMemoryVectorStore vectors;
  VectorCache cacheA;
  VectorCache cacheB;
  Subscription cacheSubscription;
  Subscription storeSubscription;
  final BlockingQueue<MetadataEvent> cacheEvents = new LinkedBlockingQueue<>();
  final BlockingQueue<MetadataEvent> storeEvents = new LinkedBlockingQueue<>();
  float[][] vectorsToStore;
  long seq;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams benchmark) throws Exception {
    redis = RedisTopologies.start(topology, clusterReplicas);
    try {
      if (seeds.equals("split")) {
        storeA = redis.openWithSeed(client, "vc-bench-a", 0);
        storeB = redis.openWithSeed(client, "vc-bench-b", 2);
      } else {
        storeA = redis.open(client, "vc-bench-a");
        storeB = redis.open(client, "vc-bench-b");
      }
      vectors = new InMemoryVectorStore();
      cacheA = cache(storeA);
      cacheB = cache(storeB);
      cacheA.initialize();
      cacheB.initialize();
      cacheSubscription = cacheB.subscribe(cacheEvents::add);
      storeSubscription = storeB.subscribe(COLLECTION + "-raw", storeEvents::add);
      SplittableRandom random = new SplittableRandom(3);
      vectorsToStore = new float[64][DIM];
      for (float[] v : vectorsToStore) {
        for (int d = 0; d < DIM; d++) {
          v[d] = (float) random.nextGaussian();
        }
      }
      // a subscription may take effect a moment after subscribe returns: wait for the first event
      awaitFirst();
      String b = benchmark.getBenchmark();
      placement(b.substring(b.lastIndexOf('.') + 1));
    } catch (RuntimeException e) {
      tearDown();
      throw e;
    }
  }

  private VectorCache cache(MetadataStore store) {
    return VectorCache.builder()
        .collection(COLLECTION)
        .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
        .vectorStore(vectors)
        .metadataStore(store)
        .defaultTtl(Duration.ofHours(1))
        .ownsStores(false) // the vector store is shared; tearDown closes each store once
        .build();
  }

  private void awaitFirst() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean cacheReady = false;
    boolean storeReady = false;
    while (!(cacheReady && storeReady)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no event reached the subscriber within 10 s (cache: "
                + cacheReady
                + ", store: "
                + storeReady
                + ") on "
                + topology
                + " with "
                + client);
      }
      if (!cacheReady) {
        cacheA.store("warm", vectorsToStore[0], Map.of("n", 0));
        cacheReady = cacheEvents.poll(200, TimeUnit.MILLISECONDS) != null;
      }
      if (!storeReady) {
        storeA.publish(event(-1));
        storeReady = storeEvents.poll(200, TimeUnit.MILLISECONDS) != null;
      }
    }
    cacheEvents.clear();
    storeEvents.clear();
  }

  /** Where the subscriptions and the PUBLISHes land, for the side file. */
  private void placement(String method) throws InterruptedException {
    int events = 20;
    redis.resetStats();
    for (int i = 0; i < events; i++) {
      storePublish();
    }
    Map<String, Long> publishes = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Long>> node : redis.commandStats().entrySet()) {
      long p = node.getValue().getOrDefault("publish", 0L);
      if (p > 0) {
        publishes.put(node.getKey(), p);
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("client", client);
    params.put("topology", topology);
    params.put("seeds", seeds);
    params.put("method", method);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("subscribedConnections", redis.subscribers().toString());
    fig.put("publishCallsPerNode", publishes.toString());
    SideReport.write("EventPropagationBenchmark", params, fig);
  }

  private MetadataEvent event(long version) {
    return new MetadataEvent(
        MetadataEvent.Type.STORED, COLLECTION + "-raw", "k", version, Instant.now());
  }

  /** Takes events off {@code queue} until the one {@code wanted} accepts arrives. */
  private static MetadataEvent await(BlockingQueue<MetadataEvent> queue, String key, long version)
      throws InterruptedException {
    while (true) {
      @Nullable MetadataEvent e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (e == null) {
        throw new IllegalStateException(
            "event " + key + " v" + version + " did not arrive within " + WAIT_SECONDS + " s");
      }
      if (e.key().equals(key) && e.version() == version) {
        return e;
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      for (AutoCloseable c :
          new AutoCloseable[] {
            cacheSubscription, storeSubscription, cacheA, cacheB, storeA, storeB, vectors
          }) {
        if (c != null) {
          c.close();
        }
      }
    } finally {
      if (redis != null) {
        redis.close(); // stops every private process by PID
      }
    }
  }

  /** A store through instance A until instance B's cache listener has its STORED event. */
  @Benchmark
  public MetadataEvent cacheStore() throws InterruptedException {
    long n = seq++;
    String key = "k" + (n % KEYS);
    CacheEntry stored = cacheA.store(key, vectorsToStore[(int) (n & 63)], Map.of("n", n));
    return await(cacheEvents, key, stored.version());
  }

  /** A publish through store A until store B's listener has it. */
  @Benchmark
  public MetadataEvent storePublish() throws InterruptedException {
    long n = seq++;
    storeA.publish(event(n));
    return await(storeEvents, "k", n);
  }
}
