package dev.vectorcache.spi;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.List;
import java.util.Objects;

/**
 * Where the servers of a store are: one node, a cluster reached through seed nodes, or a Sentinel
 * group that names the current master. A config built from a URL has the {@link Standalone}
 * topology of the URL's host and port; the other forms are set with the builders' {@code
 * topology(...)}. An adapter that cannot use a topology refuses it when the store opens, with a
 * {@link dev.vectorcache.core.exception.UnsupportedCapabilityException}; it never falls back to one
 * node.
 */
public sealed interface Topology permits Topology.Standalone, Topology.Cluster, Topology.Sentinel {

  /** One server. */
  static Standalone standalone(HostAndPort node) {
    return new Standalone(node);
  }

  /** A cluster, discovered from one or more seed nodes. */
  static Cluster cluster(List<HostAndPort> seeds) {
    return new Cluster(seeds);
  }

  /** A master named {@code masterName}, found by asking {@code sentinels}. */
  static Sentinel sentinel(String masterName, List<HostAndPort> sentinels) {
    return new Sentinel(masterName, sentinels);
  }

  /** A short name for messages: {@code standalone}, {@code cluster} or {@code sentinel}. */
  String kind();

  /**
   * One server.
   *
   * @param node its address
   */
  record Standalone(HostAndPort node) implements Topology {
    /** Requires the node. */
    public Standalone {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public String kind() {
      return "standalone";
    }
  }

  /**
   * A cluster.
   *
   * @param seeds nodes to discover the cluster from, at least one
   */
  record Cluster(List<HostAndPort> seeds) implements Topology {
    /** Copies the seeds and requires at least one. */
    public Cluster {
      seeds = nonEmpty("seeds", seeds);
    }

    @Override
    public String kind() {
      return "cluster";
    }
  }

  /**
   * A Sentinel group.
   *
   * @param masterName the name the sentinels know the master by
   * @param sentinels the sentinel nodes, at least one
   */
  record Sentinel(String masterName, List<HostAndPort> sentinels) implements Topology {
    /** Copies the sentinels and requires a master name and at least one sentinel. */
    public Sentinel {
      Objects.requireNonNull(masterName, "masterName");
      if (masterName.isBlank()) {
        throw new InvalidInputException("masterName", "the Sentinel master name", masterName);
      }
      sentinels = nonEmpty("sentinels", sentinels);
    }

    @Override
    public String kind() {
      return "sentinel";
    }
  }

  private static List<HostAndPort> nonEmpty(String field, List<HostAndPort> nodes) {
    Objects.requireNonNull(nodes, field);
    if (nodes.isEmpty()) {
      throw new InvalidInputException(field, "at least one host and port", "[]");
    }
    return List.copyOf(nodes);
  }
}
