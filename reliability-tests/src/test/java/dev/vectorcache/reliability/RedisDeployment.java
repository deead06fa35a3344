package dev.vectorcache.reliability;

import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisSentinelGroup;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Redis a scale-out scenario runs on: one node, a 3-primary cluster with one replica each, or a
 * primary and a replica behind three sentinels (redis-testkit starts them on free loopback ports
 * and stops them by PID). Every kind requires the canary password.
 */
final class RedisDeployment implements AutoCloseable {
  enum Kind {
    NODE,
    CLUSTER,
    SENTINEL
  }

  private final Kind kind;
  private final @Nullable RedisNode node;
  private final @Nullable RedisCluster cluster;
  private final @Nullable RedisSentinelGroup sentinel;
  private int failovers;

  private RedisDeployment(
      Kind kind,
      @Nullable RedisNode node,
      @Nullable RedisCluster cluster,
      @Nullable RedisSentinelGroup sentinel) {
    this.kind = kind;
    this.node = node;
    this.cluster = cluster;
    this.sentinel = sentinel;
  }

  static RedisDeployment start(Kind kind) {
    return switch (kind) {
      case NODE -> new RedisDeployment(kind, RedisNode.start(), null, null);
      case CLUSTER ->
          new RedisDeployment(
              kind,
              null,
              RedisCluster.startOrSkip(RedisCluster.options().password(Canaries.REDIS_PASSWORD)),
              null);
      case SENTINEL ->
          new RedisDeployment(
              kind,
              null,
              null,
              RedisSentinelGroup.startOrSkip(
                  RedisSentinelGroup.options().password(Canaries.REDIS_PASSWORD)));
    };
  }

  Kind kind() {
    return kind;
  }

  /** The configuration of a store on this deployment with {@code client}. */
  MetadataStoreConfig.Builder config(Client client, String keyPrefix, Duration commandTimeout) {
    MetadataStoreConfig.Builder b =
        switch (kind) {
          case NODE -> MetadataStoreConfig.builder().url(node().url());
          case CLUSTER -> cluster().configBuilder();
          case SENTINEL -> sentinel().configBuilder();
        };
    return b.client(client.providerName())
        .password(Canaries.REDIS_PASSWORD)
        .keyPrefix(keyPrefix)
        .commandTimeout(commandTimeout)
        .connectTimeout(commandTimeout.multipliedBy(2));
  }

  /**
   * The URL form of this deployment (no TLS here), as an application puts it in a property file:
   * {@code redis://:pw@h1:p1,h2:p2?cluster=true}, {@code
   * redis-sentinel://:pw@s1,s2,s3?sentinelMasterId=NAME} or the node's URL.
   */
  String url() {
    String auth = "redis://:" + Canaries.REDIS_PASSWORD + "@";
    return switch (kind) {
      case NODE -> auth + node().url().substring("redis://".length());
      case CLUSTER -> auth + hosts(cluster().seeds()) + "?cluster=true";
      case SENTINEL ->
          "redis-sentinel://:"
              + Canaries.REDIS_PASSWORD
              + "@"
              + hosts(sentinel().sentinels())
              + "?sentinelMasterId="
              + sentinel().masterName();
    };
  }

  private static String hosts(List<dev.vectorcache.spi.HostAndPort> nodes) {
    return String.join(",", nodes.stream().map(Object::toString).toList());
  }

  /**
   * SIGKILLs a primary (the cluster's primaries in turn; the sentinel group's current one), waits
   * until a replica took over and returns how long that took as the servers see it; then restarts
   * the killed process, which rejoins as a replica, so that the next failover can follow.
   *
   * @param victimKey for a cluster, a key whose primary is killed (null: the next in turn)
   */
  Duration failover(@Nullable String victimKey, Duration max) {
    failovers++;
    return switch (kind) {
      case NODE -> throw new IllegalStateException("one node has no replica to fail over to");
      case CLUSTER -> {
        List<RedisProcess> primaries = cluster().primaries();
        RedisProcess victim =
            victimKey != null
                ? cluster().primaryFor(victimKey)
                : primaries.get(failovers % primaries.size());
        yield cluster().killPrimaryAndAwaitFailover(victim, max);
      }
      case SENTINEL -> sentinel().killPrimaryAndAwaitFailover(max);
    };
  }

  /** Restarts what {@link #failover} killed and waits until it rejoined. */
  void restore() {
    switch (kind) {
      case NODE -> {}
      case CLUSTER -> cluster().restoreKilled();
      case SENTINEL -> sentinel().restoreKilled();
    }
  }

  String label() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private RedisNode node() {
    if (node == null) {
      throw new IllegalStateException(kind + " has no single node");
    }
    return node;
  }

  private RedisCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException(kind + " is not a cluster");
    }
    return cluster;
  }

  private RedisSentinelGroup sentinel() {
    if (sentinel == null) {
      throw new IllegalStateException(kind + " is not a Sentinel group");
    }
    return sentinel;
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (sentinel != null) {
      sentinel.close();
    }
  }
}
