package dev.vectorcache.redis.lettuce;

import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.Topology;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** How a {@link LettuceAsyncMetadataStore} sets up Lettuce: its URI, resources and options. */
final class LettuceSetup {
  /** Failed reconnects to one cluster node, in a row, that trigger a topology refresh. */
  static final int REFRESH_AFTER_RECONNECT_ATTEMPTS = 3;

  private LettuceSetup() {}

  static RedisURI uri(MetadataStoreConfig config, HostAndPort node) {
    RedisURI.Builder b =
        RedisURI.builder()
            .withHost(node.host())
            .withPort(node.port())
            .withDatabase(config.database());
    return common(b, config).build();
  }

  /**
   * The URI of a cluster seed. Lettuce connects to every node with the first seed's settings
   * (credentials, TLS, client name, timeout); clusters have database 0 only.
   */
  static List<RedisURI> clusterUris(MetadataStoreConfig config, Topology.Cluster cluster) {
    List<RedisURI> uris = new ArrayList<>();
    for (HostAndPort seed : cluster.seeds()) {
      uris.add(
          common(RedisURI.builder().withHost(seed.host()).withPort(seed.port()), config).build());
    }
    return uris;
  }

  /**
   * Lettuce's Sentinel form of the URI: the master's name and the sentinels; Lettuce asks them for
   * the current master ({@code SENTINEL get-master-addr-by-name}) on every connect and reconnect.
   * The config's user name, password and TLS apply to the sentinels as well as to the data nodes
   * (each sentinel URI carries them: Lettuce connects to a sentinel with that URI's settings).
   */
  static RedisURI sentinelUri(MetadataStoreConfig config, Topology.Sentinel sentinel) {
    RedisURI.Builder b =
        RedisURI.builder()
            .withSentinelMasterId(sentinel.masterName())
            .withDatabase(config.database());
    for (HostAndPort node : sentinel.sentinels()) {
      RedisURI.Builder s = RedisURI.builder().withHost(node.host()).withPort(node.port());
      b.withSentinel(common(s, config).build());
    }
    return common(b, config).build();
  }

  /** TLS, verify mode, handshake timeout, client name and credentials: the same for every URI. */
  private static RedisURI.Builder common(RedisURI.Builder b, MetadataStoreConfig config) {
    b.withSsl(config.tlsEnabled())
        // host name verification off still verifies the certificate chain (CA)
        .withVerifyPeer(config.tls().verifyHostname() ? SslVerifyMode.FULL : SslVerifyMode.CA)
        .withTimeout(handshakeTimeout(config));
    if (config.clientName() != null && !config.clientName().isBlank()) {
      b.withClientName(config.clientName());
    }
    if (config.password() != null) {
      if (config.username() != null) {
        b.withAuthentication(config.username(), config.password());
      } else {
        b.withPassword(config.password());
      }
    }
    return b;
  }

  /**
   * This store's Netty threads and Lettuce services. Chosen for a fast first open (measurements in
   * docs/redis.md): the JVM's own name resolution instead of Netty's DNS resolver (as Jedis does;
   * it honours /etc/hosts and the JVM's DNS cache, and a cache client resolves one host), no
   * command latency recorder or its publisher (nothing reads them; they would start recording
   * per-command histograms if LatencyUtils were on the class path), and two computation threads,
   * Lettuce's minimum (asking for one logged an INFO line on every open). {@link StoreChannels}
   * adjusts each channel: an encoder that never logs the bytes it sends, and a watch on the
   * handshake.
   */
  static ClientResources resources(int id, LettuceOptions lettuce, StoreChannels channelWatch) {
    return DefaultClientResources.builder()
        .ioThreadPoolSize(lettuce.ioThreads())
        .computationThreadPoolSize(2)
        .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
        .commandLatencyRecorder(CommandLatencyRecorder.disabled())
        .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .threadFactoryProvider(poolName -> threads(id, poolName))
        .nettyCustomizer(channelWatch)
        .build();
  }

  /**
   * The bound Lettuce puts on opening a connection (the URI timeout): its timer starts when the
   * channel is registered, so it covers the TCP connect and then the handshake ({@code HELLO} with
   * {@code AUTH}, {@code SELECT}, {@code CLIENT SETNAME}), one round trip of commands. So it is the
   * connect timeout plus the command timeout (4 s by default). With the larger of the two only, a
   * first open in a cold, busy JVM timed out while Netty and Lettuce were still loading classes.
   * Commands keep the command timeout (TimeoutOptions).
   */
  static Duration handshakeTimeout(MetadataStoreConfig config) {
    return config.connectTimeout().plus(config.commandTimeout());
  }

  static ClientOptions options(
      MetadataStoreConfig config, LettuceOptions lettuce, @Nullable TlsMaterial tls) {
    ClientOptions.Builder b = ClientOptions.builder();
    common(b, config, lettuce, tls);
    return b.build();
  }

  /**
   * The standalone options plus the cluster's: topology refresh, periodic ({@link
   * LettuceOptions#topologyRefreshPeriod()}) and adaptive (all of Lettuce's triggers, which Lettuce
   * 7 enables by default: MOVED and ASK redirects, persistent reconnects, an uncovered slot, an
   * unknown node; at most one refresh per {@link LettuceOptions#adaptiveRefreshTimeout()}; a node
   * the store fails to reconnect to three times in a row is one trigger); nodes that the cluster
   * marks failed, or that have no address, are left out of the topology, so that the store neither
   * connects to them nor picks them for its pub/sub connection.
   */
  static ClusterClientOptions clusterOptions(
      MetadataStoreConfig config, LettuceOptions lettuce, @Nullable TlsMaterial tls) {
    ClusterClientOptions.Builder b = ClusterClientOptions.builder();
    common(b, config, lettuce, tls);
    // Not REJECT_COMMANDS as on one node: the cluster client opens its connection to each node on
    // the first command for that node (and to a promoted replica after a failover), and with
    // REJECT_COMMANDS Lettuce rejects every command that finds that connection still opening. So
    // a command for a node that is being (re)connected waits for it, bounded by the command
    // timeout and the request queue, and then fails typed (BackendTimeoutException).
    b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    return b.topologyRefreshOptions(
            ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(lettuce.topologyRefreshPeriod())
                // all adaptive triggers are on by default since Lettuce 7.0
                .adaptiveRefreshTriggersTimeout(lettuce.adaptiveRefreshTimeout())
                .refreshTriggersReconnectAttempts(REFRESH_AFTER_RECONNECT_ATTEMPTS)
                .build())
        .nodeFilter(
            node ->
                !(node.is(RedisClusterNode.NodeFlag.FAIL)
                    || node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                    || node.is(RedisClusterNode.NodeFlag.NOADDR)))
        .build();
  }

  /** What standalone, Sentinel and cluster connections share. */
  private static void common(
      ClientOptions.Builder b,
      MetadataStoreConfig config,
      LettuceOptions lettuce,
      @Nullable TlsMaterial tls) {
    if (tls != null) {
      b.sslOptions(sslOptions(config, tls));
    }
    b.autoReconnect(true)
        .requestQueueSize(lettuce.requestQueueSize())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
        .socketOptions(
            SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
        // with replica reads, only the get-many read goes to a replica (see ReplicaReads): a
        // direct get or ttl stays on the primary, so it sees the application's own writes
        .readOnlyCommands(command -> command.getType() == CommandType.MGET);
  }

  /**
   * The files of {@link MetadataStoreConfig#tls()}, read by {@link TlsMaterial} as for every
   * adapter; host name verification is the URI's verify mode ({@code FULL} or {@code CA}). The TLS
   * handshake gets the connect timeout (Lettuce's default is 10 s), so that TLS to a plain-text
   * server, which never answers the ClientHello, fails before the URI timeout.
   */
  private static SslOptions sslOptions(MetadataStoreConfig config, TlsMaterial tls) {
    SslOptions.Builder b =
        SslOptions.builder()
            .jdkSslProvider()
            .trustManager(tls.trustManagerFactory())
            .handshakeTimeout(config.connectTimeout());
    tls.keyManagerFactory().ifPresent(b::keyManager);
    return b.build();
  }

  private static ThreadFactory threads(int storeId, String poolName) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t =
          new Thread(
              r,
              LettuceAsyncMetadataStore.THREAD_PREFIX
                  + storeId
                  + "-"
                  + poolName
                  + "-"
                  + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
