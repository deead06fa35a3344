package dev.vectorcache.benchmarks;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisSentinelGroup;
import dev.vectorcache.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Redis deployments the topology benchmarks run on, each started privately on free loopback
 * ports and stopped by PID in {@link #close()}: one node ({@code standalone}), a Redis Cluster of 3
 * primaries ({@code cluster}) and a primary with a replica behind 3 sentinels ({@code sentinel}).
 *
 * <p>The failure detectors are slowed down from the harness's test defaults (1 s) to {@value
 * #DETECTOR_SECONDS} s: a benchmark wants no failover, and on a loaded machine a node that is not
 * scheduled for a second would otherwise be voted out in the middle of a measurement.
 */
final class RedisTopologies implements AutoCloseable {
  static final long DETECTOR_SECONDS = 10;

  /**
   * One data node, as a label ({@code primary:port} or {@code replica:port}) and a way to send it a
   * control command.
   */
  record Node(String label, Function<String[], @Nullable Object> command) {
    @Nullable Object send(String... args) {
      return command.apply(args);
    }
  }

  private final String topology;
  private final Supplier<MetadataStoreConfig.Builder> configs;
  private final Supplier<List<HostAndPort>> clusterSeeds;
  private final Supplier<List<Node>> dataNodes;
  private final Runnable stop;

  private RedisTopologies(
      String topology,
      Supplier<MetadataStoreConfig.Builder> configs,
      Supplier<List<HostAndPort>> clusterSeeds,
      Supplier<List<Node>> dataNodes,
      Runnable stop) {
    this.topology = topology;
    this.configs = configs;
    this.clusterSeeds = clusterSeeds;
    this.dataNodes = dataNodes;
    this.stop = stop;
  }

  /**
   * Starts {@code standalone}, {@code cluster} (3 primaries with {@code replicasPerPrimary} each)
   * or {@code sentinel}.
   */
  static RedisTopologies start(String topology, int replicasPerPrimary) {
    if (RedisServer.findBinary().isEmpty()) {
      throw new IllegalStateException(
          "redis-server not found on the PATH (or -Dvectorcache.redis.server); install it");
    }
    Duration detector = Duration.ofSeconds(DETECTOR_SECONDS);
    switch (topology) {
      case "standalone" -> {
        RedisServer server = RedisServer.startProcess(RedisServer.findBinary().orElseThrow());
        return new RedisTopologies(
            topology,
            () -> MetadataStoreConfig.builder().url(server.url()),
            List::of,
            () -> List.of(new Node("primary:" + server.port(), server::command)),
            server::close);
      }
      case "cluster" -> {
        RedisCluster cluster =
            RedisCluster.start(
                RedisCluster.options()
                    .nodeTimeout(detector)
                    .replicasPerPrimary(replicasPerPrimary));
        return new RedisTopologies(
            topology,
            cluster::configBuilder,
            cluster::seeds,
            () -> {
              List<Node> all =
                  new ArrayList<>(nodes("primary", cluster.primaries(), cluster::command));
              all.addAll(nodes("replica", cluster.replicas(), cluster::command));
              return all;
            },
            cluster::close);
      }
      case "sentinel" -> {
        RedisSentinelGroup group =
            RedisSentinelGroup.start(
                RedisSentinelGroup.options().downAfter(detector).failoverTimeout(detector));
        return new RedisTopologies(
            topology,
            group::configBuilder,
            List::of,
            () -> {
              List<Node> all =
                  new ArrayList<>(nodes("primary", List.of(group.primary()), group::command));
              all.addAll(nodes("replica", group.replicas(), group::command));
              return all;
            },
            group::close);
      }
      default ->
          throw new IllegalArgumentException(
              "topology must be standalone, cluster or sentinel, found " + topology);
    }
  }

  private static List<Node> nodes(String role, List<RedisProcess> processes, CommandTo command) {
    List<Node> out = new ArrayList<>();
    for (RedisProcess p : processes) {
      out.add(new Node(role + ":" + p.port(), args -> command.send(p, args)));
    }
    return out;
  }

  @FunctionalInterface
  private interface CommandTo {
    @Nullable Object send(RedisProcess node, String... args);
  }

  String topology() {
    return topology;
  }

  /** A config builder for this deployment (URL, topology) with the client chosen. */
  MetadataStoreConfig.Builder config(String client) {
    return configs.get().client(client);
  }

  /** Opens a store through the provider, as an application would. */
  MetadataStore open(String client, @Nullable String clientName) {
    return open(config(client), clientName);
  }

  /**
   * Like {@link #open(String, String)}, but on a cluster with only the {@code seed}-th primary
   * (modulo their number) as its seed: two stores given different seeds start at different nodes
   * when the client connects where its seed is. Elsewhere the same as {@link #open(String,
   * String)}.
   */
  MetadataStore openWithSeed(String client, @Nullable String clientName, int seed) {
    MetadataStoreConfig.Builder b = config(client);
    List<HostAndPort> seeds = clusterSeeds.get();
    if (!seeds.isEmpty()) {
      b.topology(Topology.cluster(List.of(seeds.get(seed % seeds.size()))));
    }
    return open(b, clientName);
  }

  private static MetadataStore open(MetadataStoreConfig.Builder b, @Nullable String clientName) {
    if (clientName != null) {
      b.clientName(clientName);
    }
    return Backends.discover().openMetadataStore(b.build());
  }

  /** The live data nodes, primaries first, then replicas (asked live from the deployment). */
  List<Node> dataNodes() {
    return dataNodes.get();
  }

  /** Resets {@code INFO commandstats} on every data node. */
  void resetStats() {
    for (Node n : dataNodes()) {
      n.send("CONFIG", "RESETSTAT");
    }
  }

  /** Calls per command per data node ({@code primary:port -> {"mget" -> 3, ...}}), from INFO. */
  Map<String, Map<String, Long>> commandStats() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Node n : dataNodes()) {
      out.put(n.label(), parseCommandStats(String.valueOf(n.send("INFO", "commandstats"))));
    }
    return out;
  }

  /**
   * The connections on each data node that are subscribed to a channel ({@code sub > 0} in {@code
   * CLIENT LIST}), as {@code role:port -> [name or id, ...]}; nodes without one and the sentinels'
   * own connections are left out.
   */
  Map<String, List<String>> subscribers() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Node n : dataNodes()) {
      List<String> subs = new ArrayList<>();
      for (String line : String.valueOf(n.send("CLIENT", "LIST")).split("\r?\n", -1)) {
        Map<String, String> f = fields(line);
        String name = f.getOrDefault("name", "");
        // the sentinels' own hello subscriptions are not the store's
        if (Long.parseLong(f.getOrDefault("sub", "0")) > 0 && !name.startsWith("sentinel-")) {
          subs.add(name.isEmpty() ? "id" + f.getOrDefault("id", "?") : name);
        }
      }
      if (!subs.isEmpty()) {
        out.put(n.label(), subs);
      }
    }
    return out;
  }

  static Map<String, Long> parseCommandStats(String info) {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : info.split("\r?\n", -1)) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String cmd = line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT);
      for (String field : line.substring(colon + 1).split(",", -1)) {
        if (field.startsWith("calls=")) {
          calls.put(cmd, Long.parseLong(field.substring("calls=".length())));
        }
      }
    }
    return calls;
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String part : line.trim().split(" ", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return f;
  }

  @Override
  public void close() {
    stop.run(); // stops every process by PID
  }
}
