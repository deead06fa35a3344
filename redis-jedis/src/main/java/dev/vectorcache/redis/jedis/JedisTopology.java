package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks of a config's topology against the Jedis options, before any I/O, and the address of a
 * store in messages ({@code host:port/db}, the seeds of a cluster, the master name and sentinels of
 * a Sentinel group; never credentials).
 */
final class JedisTopology {
  private JedisTopology() {}

  /** The topology, or an exception naming the setting that cannot be honoured with it. */
  static Topology check(MetadataStoreConfig config, JedisOptions options) {
    Topology topology =
        config
            .topology()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "adapter 'jedis' opens redis://, rediss://, redis-sentinel://,"
                            + " rediss-sentinel:// URLs, found memory:; use a server URL, or no"
                            + " client name for the embedded store"));
    if (topology instanceof Topology.Cluster && config.database() != 0) {
      throw new ConfigurationException(
          "invalid database for a cluster topology: expected 0, found "
              + config.database()
              + "; a Redis Cluster has database 0 only");
    }
    if (options.readFromReplicas() && !(topology instanceof Topology.Cluster)) {
      throw new UnsupportedCapabilityException(
          "JedisOptions.readFromReplicas: adapter 'jedis' reads from replicas on a cluster"
              + " topology only, found a "
              + topology.kind()
              + " topology (Jedis 7.1 has no replica reads for "
              + (topology instanceof Topology.Sentinel ? "JedisSentineled" : "one node")
              + "); leave readFromReplicas off, or use the lettuce adapter");
    }
    if (options.topologyRefreshPeriodSet() && !(topology instanceof Topology.Cluster)) {
      throw new ConfigurationException(
          "JedisOptions.topologyRefreshPeriod applies to a cluster topology only, found a "
              + topology.kind()
              + " topology; leave it unset");
    }
    return topology;
  }

  /** The node to probe for a TLS mismatch when opening failed: the node, first seed or sentinel. */
  static HostAndPort firstNode(Topology topology) {
    if (topology instanceof Topology.Cluster c) {
      return c.seeds().get(0);
    }
    if (topology instanceof Topology.Sentinel s) {
      return s.sentinels().get(0);
    }
    return ((Topology.Standalone) topology).node();
  }

  /** The store's address in messages. */
  static String address(Topology topology, int database) {
    if (topology instanceof Topology.Cluster c) {
      return "cluster " + join(c.seeds());
    }
    if (topology instanceof Topology.Sentinel s) {
      return "sentinel master " + s.masterName() + " via " + join(s.sentinels()) + "/" + database;
    }
    return ((Topology.Standalone) topology).node() + "/" + database;
  }

  private static String join(List<HostAndPort> nodes) {
    return nodes.stream().map(Object::toString).collect(Collectors.joining(","));
  }
}
