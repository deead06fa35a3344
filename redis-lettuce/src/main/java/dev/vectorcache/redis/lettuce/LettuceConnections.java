package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.Topology;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce client and connections of one store, for its topology. The store itself is the same
 * for all three: it talks to {@link #commands()}, Lettuce's command interface common to a single
 * node and a cluster ({@link RedisClusterAsyncCommands}, which {@code RedisAsyncCommands} extends),
 * and hands batches to {@link #connection()} ({@link StatefulConnection#dispatch}); only opening
 * differs:
 *
 * <ul>
 *   <li>standalone: a {@link RedisClient} connection to the node;
 *   <li>cluster: a {@link RedisClusterClient} from the seeds, which routes each command to the node
 *       of its key's slot, follows {@code MOVED}/{@code ASK}, splits a multi-key {@code MGET} or
 *       {@code DEL} per slot, and refreshes its topology (see {@link LettuceSetup#clusterOptions});
 *   <li>Sentinel: a {@link RedisClient} connection to Lettuce's Sentinel URI, which asks the
 *       sentinels for the master on every connect and reconnect, so it follows a failover once the
 *       old master's connection drops (the sentinels close the clients of a demoted master); with
 *       replica reads, Lettuce's {@link MasterReplica} connection, which also learns the replicas.
 * </ul>
 *
 * <p>Pub/sub: a separate connection, opened on the first subscribe. On a cluster it is one
 * connection to one node (classic {@code SUBSCRIBE}: every node delivers every {@code PUBLISH} of
 * the cluster); Lettuce reconnects it, to the next known node when its node is gone, and
 * resubscribes.
 */
final class LettuceConnections {
  private static final Logger log = LoggerFactory.getLogger(LettuceConnections.class);

  /** Failures after which a cluster store reloads the topology. */
  private static final Set<RedisErrors.Kind> REFRESH_ON =
      EnumSet.of(
          RedisErrors.Kind.UNAVAILABLE,
          RedisErrors.Kind.NOT_CONNECTED,
          RedisErrors.Kind.CONNECT_TIMEOUT,
          RedisErrors.Kind.TIMEOUT,
          RedisErrors.Kind.FAILOVER,
          RedisErrors.Kind.CANCELLED);

  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterAsyncCommands<String, String> commands;
  private final PubSubConnector pubSub;
  private final String address;
  private final String description;
  private final String kind;
  private final @Nullable RedisClusterClient cluster;
  private final long refreshEveryNanos;
  private final AtomicLong lastRefresh = new AtomicLong();

  private LettuceConnections(
      AbstractRedisClient client,
      StatefulConnection<String, String> connection,
      RedisClusterAsyncCommands<String, String> commands,
      PubSubConnector pubSub,
      String address,
      String description,
      String kind,
      @Nullable RedisClusterClient cluster,
      Duration refreshEvery) {
    this.client = client;
    this.connection = connection;
    this.commands = commands;
    this.pubSub = pubSub;
    this.address = address;
    this.description = description;
    this.kind = kind;
    this.cluster = cluster;
    this.refreshEveryNanos = refreshEvery.toNanos();
    this.lastRefresh.set(System.nanoTime() - refreshEveryNanos);
  }

  /** Opens a pub/sub connection; Lettuce's own future. */
  @FunctionalInterface
  interface PubSubConnector {
    CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> connect();
  }

  /**
   * Checks, before any I/O, that the options fit the topology.
   *
   * @throws ConfigurationException for a database other than 0 on a cluster (clusters have only
   *     database 0)
   * @throws UnsupportedCapabilityException for replica reads on a single node, or cluster settings
   *     for another topology
   */
  static void check(MetadataStoreConfig config, Topology topology, LettuceOptions options) {
    if (topology instanceof Topology.Cluster && config.database() != 0) {
      throw new ConfigurationException(
          "database: a Redis Cluster has database 0 only, found "
              + config.database()
              + "; drop the database from the URL (or set 0)");
    }
    if (options.replicaReads() != LettuceOptions.ReplicaReads.PRIMARY
        && topology instanceof Topology.Standalone) {
      throw new UnsupportedCapabilityException(
          "LettuceOptions.replicaReads: adapter 'lettuce' cannot read from replicas with a"
              + " standalone topology (found "
              + options.replicaReads()
              + "); replicas are known only with a cluster or a Sentinel topology, so use one of"
              + " those or leave replicaReads at PRIMARY");
    }
    if (options.hasClusterSettings() && !(topology instanceof Topology.Cluster)) {
      throw new UnsupportedCapabilityException(
          "LettuceOptions.topologyRefreshPeriod/adaptiveRefreshTimeout: adapter 'lettuce' uses"
              + " them with a cluster topology only, found a "
              + topology.kind()
              + " topology; leave them at their defaults");
    }
  }

  /**
   * The address the TLS mix-up probe tries when opening fails: the node, first seed or sentinel.
   */
  static HostAndPort firstNode(Topology topology) {
    if (topology instanceof Topology.Standalone s) {
      return s.node();
    }
    if (topology instanceof Topology.Cluster c) {
      return c.seeds().get(0);
    }
    return ((Topology.Sentinel) topology).sentinels().get(0);
  }

  /** {@code host:port/db}, the seeds, or the sentinels and master: for messages, no secrets. */
  static String address(MetadataStoreConfig config, Topology topology) {
    if (topology instanceof Topology.Standalone s) {
      return s.node() + "/" + config.database();
    }
    if (topology instanceof Topology.Cluster c) {
      return "cluster " + join(c.seeds());
    }
    Topology.Sentinel s = (Topology.Sentinel) topology;
    return "sentinel master '"
        + s.masterName()
        + "' via "
        + join(s.sentinels())
        + "/"
        + config.database();
  }

  /**
   * Creates the client and connects. On failure the client is shut down (not the resources, which
   * the caller owns) and Lettuce's exception is thrown as is, for the caller to translate.
   */
  static LettuceConnections open(
      MetadataStoreConfig config,
      Topology topology,
      LettuceOptions options,
      @Nullable TlsMaterial tls,
      ClientResources resources) {
    String address = address(config, topology);
    String scheme = config.tlsEnabled() ? "rediss" : "redis";
    boolean replicas = options.replicaReads() == LettuceOptions.ReplicaReads.REPLICA_PREFERRED;
    if (topology instanceof Topology.Cluster c) {
      AsyncOnlyRedisClusterClient cluster =
          new AsyncOnlyRedisClusterClient(resources, LettuceSetup.clusterUris(config, c));
      try {
        cluster.setOptions(LettuceSetup.clusterOptions(config, options, tls));
        StatefulRedisClusterConnection<String, String> conn = cluster.connect(StringCodec.UTF8);
        if (replicas) {
          conn.setReadFrom(ReadFrom.REPLICA_PREFERRED);
        }
        return new LettuceConnections(
            cluster,
            conn,
            conn.async(),
            () -> cluster.connectPubSubAsync(StringCodec.UTF8),
            address,
            scheme + "://" + join(c.seeds()) + " (cluster)",
            topology.kind(),
            cluster,
            options.adaptiveRefreshTimeout());
      } catch (RuntimeException e) {
        shutdown(cluster);
        throw e;
      }
    }
    RedisURI uri =
        topology instanceof Topology.Sentinel s
            ? LettuceSetup.sentinelUri(config, s)
            : LettuceSetup.uri(config, ((Topology.Standalone) topology).node());
    RedisClient single = new AsyncOnlyRedisClient(resources);
    try {
      single.setOptions(LettuceSetup.options(config, options, tls));
      StatefulRedisConnection<String, String> conn;
      if (replicas) {
        StatefulRedisMasterReplicaConnection<String, String> mr =
            MasterReplica.connect(single, StringCodec.UTF8, uri);
        mr.setReadFrom(ReadFrom.REPLICA_PREFERRED);
        conn = mr;
      } else {
        conn = single.connect(StringCodec.UTF8, uri);
      }
      String description =
          topology instanceof Topology.Sentinel s
              ? scheme
                  + "-sentinel://"
                  + join(s.sentinels())
                  + "/"
                  + config.database()
                  + " (master '"
                  + s.masterName()
                  + "')"
              : scheme + "://" + address;
      return new LettuceConnections(
          single,
          conn,
          conn.async(),
          () -> single.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
          address,
          description,
          topology.kind(),
          null,
          options.adaptiveRefreshTimeout());
    } catch (RuntimeException e) {
      shutdown(single);
      throw e;
    }
  }

  /**
   * Reports a failed command. On a cluster, a failure that says a node is gone or the topology is
   * changing (unreachable, not connected, a timeout, {@code CLUSTERDOWN} and the like) starts a
   * topology refresh, at most one per {@link LettuceOptions#adaptiveRefreshTimeout()}. Lettuce's
   * own adaptive triggers miss one case that matters in a failover: a store whose connection to the
   * dead node was not open yet (the cluster client opens them on first use) only ever fails to open
   * it, which is no trigger, so without this it would keep the dead node's slots until the periodic
   * refresh.
   */
  void failed(RedisErrors.Kind failure) {
    RedisClusterClient c = cluster;
    if (c == null || !REFRESH_ON.contains(failure)) {
      return;
    }
    long now = System.nanoTime();
    long last = lastRefresh.get();
    if (now - last < refreshEveryNanos || !lastRefresh.compareAndSet(last, now)) {
      return;
    }
    try {
      c.refreshPartitionsAsync()
          .exceptionally(
              e -> {
                log.debug("cluster topology refresh failed: {}", e.getClass().getName());
                return null;
              });
    } catch (RuntimeException e) {
      log.debug("cluster topology refresh failed: {}", e.getClass().getName());
    }
  }

  AbstractRedisClient client() {
    return client;
  }

  StatefulConnection<String, String> connection() {
    return connection;
  }

  RedisClusterAsyncCommands<String, String> commands() {
    return commands;
  }

  /** Opens a new pub/sub connection (the store keeps one). */
  CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> connectPubSub() {
    return pubSub.connect();
  }

  /** For exception messages: {@code host:port/db}, or the seeds, or the sentinels. */
  String address() {
    return address;
  }

  /** For {@code toString()}: scheme, servers, database; never credentials. */
  String description() {
    return description;
  }

  /** {@code standalone}, {@code cluster} or {@code sentinel}. */
  String kind() {
    return kind;
  }

  /** Shuts the client down (its connections and its own services), not the resources. */
  static void shutdown(AbstractRedisClient client) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static String join(List<HostAndPort> nodes) {
    return nodes.stream().map(HostAndPort::toString).collect(Collectors.joining(","));
  }
}
