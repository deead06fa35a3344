package dev.vectorcache.redis.lettuce;

import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** How a {@link LettuceAsyncMetadataStore} sets up Lettuce: its URI, resources and options. */
final class LettuceSetup {
  private LettuceSetup() {}

  static RedisURI uri(MetadataStoreConfig config, HostAndPort node) {
    RedisURI.Builder b =
        RedisURI.builder()
            .withHost(node.host())
            .withPort(node.port())
            .withDatabase(config.database())
            .withSsl(config.tlsEnabled())
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
    return b.build();
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

  static ClientOptions options(MetadataStoreConfig config, LettuceOptions lettuce) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .requestQueueSize(lettuce.requestQueueSize())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
        .socketOptions(
            SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
        .build();
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
