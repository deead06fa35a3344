package dev.vectorcache.benchmarks;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.testkit.redis.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The cost of the Redis topology for the metadata store: {@code getAll} of 10 and 100 existing keys
 * (drawn at random from all the entries, so spread over all hash slots: entry keys carry no hash
 * tags) on one node versus a Redis Cluster of 3 primaries, through Lettuce and Jedis; and {@code
 * get} and {@code put} of one key for reference. {@code getAll} runs on one thread (average and
 * sampled time, for p50/p99) and on 4 threads (throughput: calls/s, keys/s = calls/s × keys).
 *
 * <p>Each trial starts its own deployment on free loopback ports (never the machine's server on
 * 6379) and stops it by PID in {@code @TearDown}; the cluster's replicas are {@code
 * clusterReplicas} per primary (default none: the comparison is one node against three shards, and
 * replication would only add to {@code put}). In {@code @Setup} it also counts, from {@code INFO
 * commandstats} on every node, the commands one {@code getAll} sends, and writes them to the side
 * file beside the number of distinct slots of the keys: on a cluster it is one {@code MGET} per
 * slot, so keys drawn from everywhere cost about one {@code MGET} each, grouped into one pipelined
 * round trip per node.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisTopologyBenchmark -wi 3 -i 5 -f 1 \
 *   -rf json -rff benchmarks/results/topology.json
 * </pre>
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisTopologyBenchmark {
  static final Duration TTL = Duration.ofHours(1);

  /** The deployment and one store on it, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Fixture {
    @Param({"lettuce", "jedis"})
    public String client = ""; // JMH sets every @Param before @Setup

    @Param({"standalone", "cluster"})
    public String topology = "";

    /** Replicas per cluster primary. */
    @Param({"0"})
    public int clusterReplicas;

    /** Entries written before the run; every read hits one of them. */
    @Param({"10000"})
    public int entries;

    RedisTopologies redis;
    MetadataStore store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      redis = RedisTopologies.start(topology, clusterReplicas);
      try {
        store = redis.open(client, "vc-bench");
        fill();
        countCommands(10);
        countCommands(100);
      } catch (RuntimeException e) {
        tearDown();
        throw e;
      }
    }

    private void fill() {
      Optional<BatchMetadataWrites> batch = store.extension(BatchMetadataWrites.class);
      List<CopyWrite> writes = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        MetadataEntry e = entry(i, 1);
        if (batch.isEmpty()) {
          store.put(e, TTL);
          continue;
        }
        writes.add(new CopyWrite(e, TTL, CopyWrite.Condition.ALWAYS));
        if (writes.size() == 500 || i == entries - 1) {
          batch.get().writeAll(writes, List.of()).join();
          writes.clear();
        }
      }
    }

    /**
     * Commands that one {@code getAll} of {@code keys} sends, per node: proves the shape (one MGET
     * per slot, none per key on one node) beside the timings. Also checks every key is found.
     */
    private void countCommands(int keys) {
      int calls = 20;
      List<List<String>> batches = batches(new SplittableRandom(99), calls, keys, entries);
      redis.resetStats();
      long found = 0;
      double slots = 0;
      for (List<String> b : batches) {
        found += store.getAll(b).size();
        Set<Integer> s = new HashSet<>();
        b.forEach(k -> s.add(RedisCluster.slot(k)));
        slots += s.size();
      }
      if (found != (long) calls * keys) {
        throw new IllegalStateException(
            "getAll found " + found + " of " + (long) calls * keys + " existing keys");
      }
      Map<String, Map<String, Long>> stats = redis.commandStats();
      long total = 0;
      long mget = 0;
      long nodesWithMget = 0;
      Map<String, Double> mgetPerNode = new LinkedHashMap<>();
      Map<String, Long> others = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, Long>> node : stats.entrySet()) {
        for (Map.Entry<String, Long> c : node.getValue().entrySet()) {
          if (!c.getKey().equals("info") && !c.getKey().startsWith("config")) {
            total += c.getValue();
            if (!c.getKey().equals("mget")) {
              others.merge(c.getKey(), c.getValue(), Long::sum);
            }
          }
        }
        long m = node.getValue().getOrDefault("mget", 0L);
        mget += m;
        nodesWithMget += m > 0 ? 1 : 0;
        mgetPerNode.put(node.getKey(), m / (double) calls);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("client", client);
      params.put("topology", topology);
      params.put("keys", keys);
      Map<String, Object> fig = new LinkedHashMap<>();
      fig.put("distinctSlotsPerGetAll", slots / calls);
      fig.put("mgetPerGetAll", mget / (double) calls);
      fig.put("redisCommandsPerGetAll", total / (double) calls);
      fig.put("getPerGetAll", sum(stats, "get") / (double) calls);
      fig.put("nodesWithMget", nodesWithMget);
      fig.put("mgetPerNodePerGetAll", mgetPerNode.toString());
      // the client's own traffic in the meantime (topology refresh, PING), over all the calls
      fig.put("otherCommands", others.toString());
      SideReport.write("RedisTopologyBenchmark", params, fig);
    }

    private static long sum(Map<String, Map<String, Long>> stats, String command) {
      return stats.values().stream().mapToLong(m -> m.getOrDefault(command, 0L)).sum();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      try {
        if (store != null) {
          store.close();
        }
      } finally {
        redis.close(); // stops every private process by PID
      }
    }
  }

  /** Key sets of one thread, drawn in advance so that drawing costs nothing in the measurement. */
  @State(Scope.Thread)
  public static class Keys {
    /** Keys per {@code getAll}. */
    @Param({"10", "100"})
    public int keys;

    List<List<String>> batches;
    int next;

    @Setup(Level.Trial)
    public void setUp(Fixture fixture, ThreadParams thread) {
      batches =
          batches(new SplittableRandom(7 + thread.getThreadIndex()), 512, keys, fixture.entries);
    }

    List<String> next() {
      return batches.get(next++ & (batches.size() - 1));
    }
  }

  /** A rotating key and version of one thread, for single-key calls. */
  @State(Scope.Thread)
  public static class OneKey {
    int next;
    long version = 2;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      next = thread.getThreadIndex() * 997;
    }
  }

  static String key(int i) {
    return "doc:" + i;
  }

  static MetadataEntry entry(int i, long version) {
    return new MetadataEntry(key(i), Map.of("title", "doc " + i, "n", i), version, null);
  }

  /** {@code count} sets of {@code keys} distinct existing keys, uniformly drawn. */
  static List<List<String>> batches(SplittableRandom random, int count, int keys, int entries) {
    if (keys > entries) {
      throw new IllegalArgumentException("keys " + keys + " > entries " + entries);
    }
    List<List<String>> out = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      Set<String> set = new LinkedHashSet<>();
      while (set.size() < keys) {
        set.add(key(random.nextInt(entries)));
      }
      out.add(List.copyOf(set));
    }
    return out;
  }

  @Benchmark
  @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
  public Map<String, MetadataEntry> getAll(Fixture f, Keys k) {
    return f.store.getAll(k.next());
  }

  /** Four threads on one store: calls/s (× keys for keys/s). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(4)
  public Map<String, MetadataEntry> getAll4Threads(Fixture f, Keys k) {
    return f.store.getAll(k.next());
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public Optional<MetadataEntry> get(Fixture f, OneKey k) {
    return f.store.get(key(k.next++ % f.entries));
  }

  /** Rewrites an existing key with a higher version (the key count stays {@code entries}). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public void put(Fixture f, OneKey k) {
    f.store.put(entry(k.next++ % f.entries, k.version++), TTL);
  }
}
