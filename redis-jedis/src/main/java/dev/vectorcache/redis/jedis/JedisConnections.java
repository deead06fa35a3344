package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * The connections of one Jedis store, for every topology through Jedis' common type {@link
 * UnifiedJedis}: a {@link JedisPooled} for one node, a {@link JedisCluster} for a cluster, a {@link
 * JedisSentineled} for a Sentinel group. This class builds the connection provider itself so that
 * the store can reach what {@code UnifiedJedis} hides: the pools to clear after an outage, the node
 * of a hash slot (for the per-node pipelines of {@link JedisFanOut}), the current master (for the
 * pub/sub connection). Translates every failure at this boundary, classifying it once.
 */
final class JedisConnections {
  private static final Logger log = LoggerFactory.getLogger(JedisConnections.class);

  /** Wait of Jedis' Sentinel listener threads before they reconnect to a sentinel. */
  private static final long SENTINEL_RECONNECT_MILLIS = 1000;

  private final MetadataStoreConfig config;
  private final String address;
  private final JedisClientConfig clientConfig;

  /** The pools to clear after an outage (the cluster's are per node, Sentinel's per master). */
  private final Supplier<Collection<?>> pools;

  /** A pooled connection to the node, or to the current master. */
  private final Supplier<Connection> anyConnection;

  private final @Nullable ClusterConnectionProvider cluster;
  private final @Nullable SentineledConnectionProvider sentinel;
  private final List<HostAndPort> nodes;
  private final UnifiedJedis client;
  private final @Nullable ScheduledThreadPoolExecutor refresher;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int nextPubSubNode;

  /**
   * Connects: a cluster reads its slot map from a seed, a Sentinel group asks the sentinels for the
   * master; one node connects lazily. Throws the client's exception untranslated.
   */
  JedisConnections(
      MetadataStoreConfig config,
      JedisOptions options,
      Topology topology,
      String address,
      @Nullable TlsMaterial tls,
      int storeId,
      String threadPrefix) {
    this.config = config;
    // stores of one process start at different nodes, spreading their pub/sub connections
    this.nextPubSubNode = storeId;
    this.address = address;
    this.clientConfig = clientConfig(config, tls, config.database(), options);
    GenericObjectPoolConfig<Connection> pool = poolConfig(options, config.commandTimeout());
    if (topology instanceof Topology.Cluster c) {
      this.nodes = hostsAndPorts(c.seeds());
      ClusterConnectionProvider p =
          new ClusterConnectionProvider(new LinkedHashSet<>(nodes), clientConfig, pool);
      this.pools = () -> p.getConnectionMap().values();
      this.anyConnection = p::getConnection;
      this.cluster = p;
      this.sentinel = null;
      // (this constructor borrows one connection to learn the protocol, a PING to a primary: cheap
      // next to reading the slot map just done) each attempt has the command timeout as socket
      // timeout; retries (after MOVED, or after a
      // node failed twice in a row, both of which renew the slot map) stop after one more
      this.client = new JedisCluster(p, JedisCluster.DEFAULT_MAX_ATTEMPTS, config.commandTimeout());
      this.refresher = startRefresh(p, options.topologyRefreshPeriod(), threadPrefix);
    } else if (topology instanceof Topology.Sentinel s) {
      this.nodes = hostsAndPorts(s.sentinels());
      // the sentinels get the same credentials and TLS; they have no database
      JedisClientConfig sentinelConfig = clientConfig(config, tls, 0, options);
      SentineledConnectionProvider p =
          new SentineledConnectionProvider(
              s.masterName(),
              clientConfig,
              pool,
              new LinkedHashSet<>(nodes),
              sentinelConfig,
              SENTINEL_RECONNECT_MILLIS);
      this.pools = () -> p.getConnectionMap().values();
      this.anyConnection = p::getConnection;
      this.cluster = null;
      this.sentinel = p;
      this.client = new JedisSentineled(p);
      this.refresher = null;
    } else {
      dev.vectorcache.spi.HostAndPort n = ((Topology.Standalone) topology).node();
      this.nodes = List.of(new HostAndPort(n.host(), n.port()));
      // this constructor, unlike JedisPooled(provider), opens no connection to learn the protocol
      JedisPooled pooled = new JedisPooled(nodes.get(0), clientConfig, pool);
      this.pools = () -> List.of(pooled.getPool());
      this.anyConnection = () -> pooled.getPool().getResource();
      this.cluster = null;
      this.sentinel = null;
      this.client = pooled;
      this.refresher = null;
    }
  }

  private static List<HostAndPort> hostsAndPorts(List<dev.vectorcache.spi.HostAndPort> nodes) {
    return nodes.stream().map(n -> new HostAndPort(n.host(), n.port())).toList();
  }

  private static @Nullable ScheduledThreadPoolExecutor startRefresh(
      ClusterConnectionProvider p, Duration period, String threadPrefix) {
    // our own daemon thread rather than Jedis' topologyRefreshPeriod, whose executor thread is
    // neither named nor a daemon
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, threadPrefix + "topology");
              th.setDaemon(true);
              return th;
            });
    t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    long ms = period.toMillis();
    Future<?> unused =
        t.scheduleWithFixedDelay(
            () -> {
              try {
                p.renewSlotCache();
              } catch (RuntimeException e) {
                log.debug("cluster topology refresh failed: {}", e.getClass().getName());
              }
            },
            ms,
            ms,
            TimeUnit.MILLISECONDS);
    return t;
  }

  private static JedisClientConfig clientConfig(
      MetadataStoreConfig config, @Nullable TlsMaterial tls, int database, JedisOptions options) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(config.connectTimeout()))
            .socketTimeoutMillis(millis(config.commandTimeout()))
            .database(database)
            .ssl(config.tlsEnabled());
    if (config.clientName() != null && !config.clientName().isBlank()) {
      b.clientName(config.clientName());
    }
    if (config.username() != null) {
      b.user(config.username());
    }
    if (config.password() != null) {
      b.password(config.password());
    }
    if (options.readFromReplicas()) {
      // READONLY on every connection, so that a replica serves the reads routed to it
      b.readOnlyForRedisClusterReplicas();
    }
    if (tls != null) {
      // TlsMaterial's trust managers check the chain; with verifyHostname off they skip the name
      b.sslSocketFactory(tls.sslContext().getSocketFactory());
      if (tls.config().verifyHostname()) {
        // Jedis checks no host name by default; JSSE does when asked for HTTPS-style identification
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        b.sslParameters(params);
      }
    }
    return b.build();
  }

  private static GenericObjectPoolConfig<Connection> poolConfig(
      JedisOptions options, Duration commandTimeout) {
    GenericObjectPoolConfig<Connection> p = new GenericObjectPoolConfig<>();
    p.setMaxTotal(options.maxConnections());
    p.setMaxIdle(options.maxConnections());
    p.setMinIdle(0);
    p.setBlockWhenExhausted(true);
    p.setMaxWait(options.maxWait().orElse(commandTimeout));
    // no PING on borrow (it would double the round trips); dead idle connections are dropped on
    // the first connection failure instead (see run)
    p.setTestOnBorrow(false);
    p.setTestWhileIdle(false);
    // no evictor thread: nothing is left running after close()
    p.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
    p.setJmxEnabled(false);
    return p;
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /** Runs one call with the client, translates its failure. */
  <T> T run(JedisCall<T> call) {
    checkOpen(call.op());
    try {
      return call.command().apply(client);
    } catch (VectorCacheException e) {
      throw e;
    } catch (RuntimeException e) {
      throw fail(e, call.op());
    }
  }

  /** The port's exception for a client failure of {@code op}; drops idle connections if need be. */
  RuntimeException fail(RuntimeException e, String op) {
    Throwable effective = JedisErrors.effective(e);
    RedisErrors.Kind kind = JedisErrors.classify(effective);
    if (kind == RedisErrors.Kind.UNAVAILABLE || JedisErrors.isFailover(kind)) {
      // the server dropped connections, or changed role: idle pooled ones are most likely useless
      clearPools();
    }
    return RedisErrors.translate(kind, effective, op, address);
  }

  private void clearPools() {
    try {
      pools.get().forEach(JedisConnections::clear);
    } catch (RuntimeException e) {
      log.debug("clearing idle connections failed: {}", e.getClass().getName());
    }
  }

  private static void clear(Object pool) {
    if (pool instanceof org.apache.commons.pool2.impl.GenericObjectPool<?> p) {
      p.clear();
    }
  }

  /** The client, for {@link JedisFanOut}. */
  UnifiedJedis client() {
    return client;
  }

  /** The cluster's provider, or null for one node or a Sentinel group. */
  @Nullable ClusterConnectionProvider cluster() {
    return cluster;
  }

  /** A pooled connection to the node (cluster), or to the only node or master (null node). */
  Connection connection(@Nullable HostAndPort node) {
    ClusterConnectionProvider c = cluster;
    return c == null ? anyConnection.get() : c.getConnection(node);
  }

  /**
   * A new connection outside the pools, for the pub/sub thread; the caller closes it. One node:
   * that node; Sentinel: the current master; cluster: the next known node in turn (any node
   * delivers every PUBLISH of the cluster), so that after a node died the next try goes elsewhere.
   */
  Jedis newPubSubConnection() {
    List<HostAndPort> candidates = pubSubCandidates();
    HostAndPort target;
    synchronized (this) {
      target = candidates.get(Math.floorMod(nextPubSubNode++, candidates.size()));
    }
    return new Jedis(target, clientConfig);
  }

  private List<HostAndPort> pubSubCandidates() {
    SentineledConnectionProvider s = sentinel;
    if (s != null) {
      return List.of(s.getCurrentMaster());
    }
    ClusterConnectionProvider c = cluster;
    if (c == null) {
      return nodes;
    }
    Set<HostAndPort> known = new LinkedHashSet<>();
    for (String node : c.getNodes().keySet()) {
      known.add(HostAndPort.from(node));
    }
    known.addAll(nodes);
    List<HostAndPort> list = new ArrayList<>(known);
    Collections.sort(list, (a, b) -> a.toString().compareTo(b.toString()));
    return list;
  }

  void checkOpen(String op) {
    if (closed.get()) {
      throw RedisErrors.closed(op, address);
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  String address() {
    return address;
  }

  MetadataStoreConfig config() {
    return config;
  }

  /** Marks the store closed; returns false when it already was. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Stops the topology refresh, closes every pooled connection and Jedis' Sentinel listeners. */
  void closePool() {
    ScheduledThreadPoolExecutor r = refresher;
    if (r != null) {
      r.shutdownNow();
    }
    client.close();
  }
}
