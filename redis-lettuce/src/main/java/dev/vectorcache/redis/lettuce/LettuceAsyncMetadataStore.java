package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.redis.common.ChannelListeners;
import dev.vectorcache.redis.common.ChannelRegistry;
import dev.vectorcache.redis.common.MetadataJson;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisInfo;
import dev.vectorcache.redis.common.RedisKeys;
import dev.vectorcache.redis.common.RedisTtl;
import dev.vectorcache.redis.common.TlsMismatch;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.Topology;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The natively asynchronous Lettuce {@link AsyncMetadataStore}: every call sends its command on one
 * shared, thread-safe connection and returns Lettuce's own future (no thread per call). The
 * connection is to one node, to a Redis Cluster (Lettuce routes each command to the node of its
 * key's slot) or to the master a Sentinel group names; see {@link LettuceConnections}. Pub/sub uses
 * a second connection, opened on the first {@link #subscribe}, which Lettuce re-subscribes after
 * every reconnect.
 *
 * <p>Reliability settings (see docs/redis.md): a bounded request queue ({@link
 * LettuceOptions#requestQueueSize()}); commands issued while disconnected are rejected at once
 * ({@code REJECT_COMMANDS}) instead of piling up; every command times out after {@link
 * MetadataStoreConfig#commandTimeout()}; reconnects back off from 20 ms to 1 s. Each store owns its
 * Netty threads (named {@code vectorcache-lettuce-*}) and stops them on {@link #close()}.
 */
public final class LettuceAsyncMetadataStore implements AsyncMetadataStore {
  private static final Logger log = LoggerFactory.getLogger(LettuceAsyncMetadataStore.class);
  private static final AtomicInteger STORES = new AtomicInteger();

  /** Prefix of the name of every thread a Lettuce store starts. */
  static final String THREAD_PREFIX = "vectorcache-lettuce-";

  /** How long a SUBSCRIBE that found the pub/sub connection reconnecting waits to try again. */
  static final long SUBSCRIBE_RETRY_MILLIS = 50;

  private final MetadataStoreConfig config;
  private final String prefix;
  private final RedisKeys names;
  private final String address;
  private final StoreChannels channelWatch = new StoreChannels();
  private final ClientResources resources;
  private final LettuceConnections connections;
  private final RedisClusterAsyncCommands<String, String> commands;
  private final LettuceMetadataStore blocking;
  private final LettuceBatchWriter batchWriter;
  private final LettuceScoredSets scoredSets;
  private final Object pubSubLock = new Object();
  private final ChannelRegistry channels = new ChannelRegistry();
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub;

  private LettuceAsyncMetadataStore(
      MetadataStoreConfig config,
      Topology topology,
      LettuceOptions lettuceOptions,
      @Nullable TlsMaterial tls) {
    this.config = config;
    this.prefix = config.keyPrefix();
    this.names = new RedisKeys(prefix);
    this.address = LettuceConnections.address(config, topology);
    int id = STORES.incrementAndGet();
    this.resources = LettuceSetup.resources(id, lettuceOptions, channelWatch);
    try {
      this.connections = LettuceConnections.open(config, topology, lettuceOptions, tls, resources);
    } catch (RuntimeException e) {
      shutdown(resources);
      throw TlsMismatch.check(
          LettuceErrors.translate(e, "connect", address),
          tls,
          LettuceConnections.firstNode(topology),
          config.connectTimeout(),
          address);
    }
    this.commands = connections.commands();
    this.blocking = new LettuceMetadataStore(this);
    this.batchWriter =
        new LettuceBatchWriter(
            connections.connection(), names, address, closed::get, this::translate);
    this.scoredSets =
        new LettuceScoredSets(this, connections.connection(), commands, names, address);
    log.debug("lettuce metadata store connected to {} (key prefix {})", address, prefix);
  }

  /**
   * Connects to the servers of {@code config}: one node, a cluster ({@link Topology.Cluster}: the
   * seeds; the URL gives the scheme, credentials and database 0) or a Sentinel group ({@link
   * Topology.Sentinel}: the master's name and the sentinels, which get the same credentials and TLS
   * as the data nodes). Settings that do not fit the topology are refused before any I/O: replica
   * reads on a single node, cluster settings of {@link LettuceOptions} for another topology. With
   * TLS the {@link MetadataStoreConfig#tls() TLS files} are read first ({@link TlsMaterial}).
   *
   * @throws dev.vectorcache.core.exception.BackendUnavailableException when it cannot be reached
   * @throws dev.vectorcache.core.exception.AuthenticationException when it refuses the credentials
   * @throws dev.vectorcache.core.exception.TlsException when the TLS handshake fails (an untrusted
   *     or misnamed certificate, a missing client certificate), or one side speaks TLS and the
   *     other plain text
   * @throws dev.vectorcache.core.exception.ConfigurationException for a TLS file that cannot be
   *     used, for the embedded store's config, for a database other than 0 on a cluster, or for
   *     options meant for another adapter
   * @throws dev.vectorcache.core.exception.UnsupportedCapabilityException for a setting named above
   */
  public static LettuceAsyncMetadataStore open(MetadataStoreConfig config) {
    Objects.requireNonNull(config, "config");
    config.checkAdapterOptions(LettuceOptions.ADAPTER);
    Topology topology =
        config
            .topology()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "adapter 'lettuce' opens redis://, rediss://, redis-sentinel:// and"
                            + " rediss-sentinel:// URLs, found memory:; use a server URL, or no"
                            + " client name for the embedded store"));
    LettuceOptions options =
        config.adapterOptions(LettuceOptions.class).orElseGet(LettuceOptions::defaults);
    LettuceConnections.check(config, topology, options);
    TlsMaterial tls = config.tlsEnabled() ? TlsMaterial.load(config.tls()) : null;
    return new LettuceAsyncMetadataStore(config, topology, options, tls);
  }

  // ---------------------------------------------------------------- key-value

  @Override
  public CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl) {
    Objects.requireNonNull(entry, "entry");
    String json = MetadataJson.encode(entry);
    String k = names.key(entry.key());
    if (ttl == null) {
      // no expiry: a plain SET, which also clears any TTL an earlier write left on the key
      return call("put", () -> commands.set(k, json)).thenApply(ok -> null);
    }
    long millis = RedisTtl.millis(ttl);
    return call("put", () -> commands.set(k, json, SetArgs.Builder.px(millis)))
        .thenApply(ok -> null);
  }

  @Override
  public CompletableFuture<Optional<MetadataEntry>> get(String key) {
    String k = names.key(key);
    return call("get", () -> commands.get(k))
        .thenApply(json -> Optional.ofNullable(json).map(MetadataJson::decodeEntry));
  }

  @Override
  public CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    if (ks.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    String[] full = ks.stream().map(names::key).toArray(String[]::new);
    return call("getAll", () -> commands.mget(full))
        .thenApply(
            values -> {
              Map<String, MetadataEntry> out = new LinkedHashMap<>();
              for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> kv = values.get(i);
                if (kv.hasValue()) {
                  out.put(ks.get(i), MetadataJson.decodeEntry(kv.getValue()));
                }
              }
              return out;
            });
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    String k = names.key(key);
    return call("delete", () -> commands.del(k)).thenApply(n -> n > 0);
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    if (ks.isEmpty()) {
      return CompletableFuture.completedFuture(0L);
    }
    String[] full = ks.stream().map(names::key).toArray(String[]::new);
    return call("deleteAll", () -> commands.del(full));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A key without expiry (put with no TTL) reports {@code ChronoUnit.FOREVER.getDuration()}.
   */
  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    String k = names.key(key);
    return call("ttl", () -> commands.pttl(k))
        .thenApply(
            ms -> {
              if (ms == -2) {
                return Optional.empty();
              }
              if (ms == -1) {
                return Optional.of(ChronoUnit.FOREVER.getDuration());
              }
              return Optional.of(Duration.ofMillis(ms));
            });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Changes only the Redis TTL of the key ({@code PEXPIRE}); the entry's own {@code expiresAt}
   * stays as written, since it mirrors the vector store's payload.
   */
  @Override
  public CompletableFuture<Boolean> expire(String key, Duration ttl) {
    String k = names.key(key);
    long millis = RedisTtl.millis(ttl);
    return call("expire", () -> commands.pexpire(k, millis));
  }

  // ---------------------------------------------------------------- pub/sub

  @Override
  public CompletableFuture<Void> publish(MetadataEvent event) {
    Objects.requireNonNull(event, "event");
    String channel = names.channel(event.collection());
    String json = MetadataJson.encode(event);
    return call("publish", () -> commands.publish(channel, json)).thenApply(n -> null);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      String collection, Consumer<MetadataEvent> listener) {
    String channel = names.channel(collection);
    Objects.requireNonNull(listener, "listener");
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedException("subscribe"));
    }
    ChannelRegistry.Added added = channels.add(channel, listener);
    ChannelListeners s = added.listeners();
    if (added.first()) {
      // the outcome reaches the caller through s.ready(), which the callback completes
      long deadline = System.nanoTime() + config.commandTimeout().toNanos();
      CompletableFuture<Void> unused =
          pubSubConnection()
              .thenCompose(ps -> subscribeWhileReconnecting(ps, channel, deadline))
              .whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      s.ready().complete(null);
                    } else {
                      channels.forget(channel, s);
                      s.ready()
                          .completeExceptionally(LettuceErrors.translate(e, "subscribe", address));
                    }
                  });
    }
    return s.ready()
        .thenApply(
            v -> channels.subscription(collection, channel, added, listener, this::unsubscribe));
  }

  private CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSubConnection() {
    synchronized (pubSubLock) {
      if (pubSub == null || pubSub.isCompletedExceptionally()) {
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> f;
        try {
          f = connections.connectPubSub().thenApply(ps -> ps);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        pubSub =
            f.thenApply(
                ps -> {
                  ps.addListener(new Dispatcher());
                  return ps;
                });
      }
      return pubSub;
    }
  }

  /**
   * Sends SUBSCRIBE and, while the pub/sub connection is reconnecting (Lettuce rejects commands
   * then), sends it again every {@value #SUBSCRIBE_RETRY_MILLIS} ms until {@code deadline} (the
   * command timeout from the call). A pub/sub connection drops without the server being down: a
   * Sentinel failover ends with {@code CLIENT KILL TYPE pubsub} on the nodes it reconfigured, and
   * Lettuce re-subscribes after the reconnect only the channels it had subscribed. Any other
   * failure, or the deadline, fails the subscription.
   */
  private CompletableFuture<Void> subscribeWhileReconnecting(
      StatefulRedisPubSubConnection<String, String> ps, String channel, long deadline) {
    return sendSubscribe(ps, channel)
        .exceptionallyCompose(
            e -> {
              boolean reconnecting =
                  LettuceErrors.classify(Futures.unwrap(e)) == RedisErrors.Kind.NOT_CONNECTED;
              if (!reconnecting
                  || closed.get()
                  || System.nanoTime() + SUBSCRIBE_RETRY_MILLIS * 1_000_000L > deadline) {
                return CompletableFuture.failedFuture(e);
              }
              Executor later =
                  CompletableFuture.delayedExecutor(SUBSCRIBE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
              return CompletableFuture.runAsync(() -> {}, later)
                  .thenCompose(x -> subscribeWhileReconnecting(ps, channel, deadline));
            });
  }

  /**
   * Sends SUBSCRIBE under the lock that UNSUBSCRIBE is sent under, so the two reach the connection
   * in the order the registry saw them (see {@link ChannelRegistry}).
   */
  private CompletableFuture<Void> sendSubscribe(
      StatefulRedisPubSubConnection<String, String> ps, String channel) {
    synchronized (pubSubLock) {
      return ps.async().subscribe(channel).toCompletableFuture();
    }
  }

  /**
   * Sends UNSUBSCRIBE once the last listener of a channel left, unless a new listener subscribed
   * meanwhile: its SUBSCRIBE must not be undone by this late UNSUBSCRIBE.
   */
  private void unsubscribe(String channel) {
    if (closed.get()) {
      return;
    }
    synchronized (pubSubLock) {
      CompletableFuture<StatefulRedisPubSubConnection<String, String>> ps = pubSub;
      if (ps == null
          || !ps.isDone()
          || ps.isCompletedExceptionally()
          || !channels.isIdle(channel)) {
        return;
      }
      ps.join()
          .async()
          .unsubscribe(channel)
          .exceptionally(
              e -> {
                // a lost UNSUBSCRIBE is harmless: messages for unknown channels are dropped
                log.debug("unsubscribe from a channel failed: {}", e.getClass().getName());
                return null;
              });
    }
  }

  /** Delivers pub/sub messages to the listeners of their channel, on a Lettuce thread. */
  private final class Dispatcher extends RedisPubSubAdapter<String, String> {
    @Override
    public void message(String channel, String message) {
      channels.deliver(channel, message);
    }
  }

  // ---------------------------------------------------------------- info

  /**
   * {@inheritDoc}
   *
   * <p>One command, {@code INFO server}: its answer proves the server is up and names its version;
   * the round trip reported is that command's.
   */
  @Override
  public CompletableFuture<BackendInfo> ping() {
    long start = System.nanoTime();
    return call("ping", () -> commands.info("server"))
        .thenApply(
            info ->
                RedisInfo.backendInfo(
                    "lettuce",
                    info,
                    Duration.ofNanos(System.nanoTime() - start),
                    address,
                    prefix,
                    config.tlsEnabled(),
                    Map.of("topology", connections.kind())));
  }

  /** Cross-process pub/sub, batch metadata writes and scored sets. */
  @Override
  public boolean isSupported(Capability capability) {
    return capability == Capability.CROSS_PROCESS_PUBSUB
        || capability == Capability.BATCH_METADATA_WRITES
        || capability == Capability.SCORED_SETS;
  }

  /**
   * {@link BatchMetadataWrites}: copies and events pipelined in one round trip; {@link ScoredSets}:
   * Redis sorted sets, updates pipelined in one round trip.
   */
  @Override
  public <T> Optional<T> extension(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type == BatchMetadataWrites.class) {
      return Optional.of(type.cast(batchWriter));
    }
    if (type == ScoredSets.class) {
      return Optional.of(type.cast(scoredSets));
    }
    return Optional.empty();
  }

  @Override
  public MetadataStore blocking() {
    return blocking;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(blocking)) {
      return type.cast(blocking);
    }
    if (type.isInstance(connections.client())) {
      return type.cast(connections.client());
    }
    if (type.isInstance(connections.connection())) {
      return type.cast(connections.connection());
    }
    throw new IllegalArgumentException(
        getClass().getName() + " cannot be unwrapped to " + type.getName());
  }

  /** Whether the pub/sub connection is open and connected now, for tests. */
  boolean pubSubConnected() {
    synchronized (pubSubLock) {
      var f = pubSub;
      return f != null && f.isDone() && !f.isCompletedExceptionally() && f.join().isOpen();
    }
  }

  /** The pub/sub bookkeeping, for tests. */
  ChannelRegistry channelRegistry() {
    return channels;
  }

  /** Address, database and key prefix, for messages; never credentials. */
  String describe() {
    return connections.description() + ", keyPrefix=" + prefix;
  }

  /** The topology, client and connections, for tests. */
  LettuceConnections connections() {
    return connections;
  }

  @Override
  public String toString() {
    return "LettuceAsyncMetadataStore[" + describe() + "]";
  }

  /** Closes both connections and stops this store's threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<StatefulRedisPubSubConnection<String, String>> ps;
    synchronized (pubSubLock) {
      ps = pubSub;
    }
    channels.clear();
    if (ps != null) {
      try {
        ps.get(config.connectTimeout().toMillis() + 100, TimeUnit.MILLISECONDS).close();
      } catch (Exception e) {
        ps.cancel(true);
      }
    }
    try {
      connections.connection().close();
    } catch (RuntimeException e) {
      log.debug("closing the redis connection failed: {}", e.getClass().getName());
    }
    try {
      LettuceConnections.shutdown(connections.client());
    } catch (RuntimeException e) {
      log.debug("redis client shutdown failed: {}", e.getClass().getName());
    }
    shutdown(resources);
    log.debug("lettuce metadata store for {} closed", address);
  }

  private static void shutdown(ClientResources resources) {
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.debug("lettuce resources shutdown failed: {}", e.getClass().getName());
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Dispatches one command and translates its failure; a synchronous failure of the dispatch
   * becomes a failed future too.
   */
  <T> CompletableFuture<T> call(String op, Supplier<? extends CompletionStage<T>> command) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedException(op));
    }
    CompletableFuture<T> f;
    try {
      f = command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(translate(e, op));
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    // the outcome reaches the caller through out, which the callback completes
    CompletableFuture<T> unused =
        f.whenComplete(
            (v, e) -> {
              if (e == null) {
                out.complete(v);
              } else {
                out.completeExceptionally(translate(e, op));
              }
            });
    return out;
  }

  /**
   * Translates a failure; a command rejected while Lettuce reconnects is an authentication failure
   * when the server refused the credentials in the last handshake (its password changed).
   */
  RuntimeException translate(Throwable failure, String op) {
    Throwable auth = channelWatch.authFailure();
    Throwable t = Futures.unwrap(failure);
    if (!(t instanceof VectorCacheException)) {
      connections.failed(LettuceErrors.classify(t));
    }
    if (auth != null && LettuceErrors.classify(t) == RedisErrors.Kind.NOT_CONNECTED) {
      RuntimeException e = RedisErrors.translate(RedisErrors.Kind.AUTH, auth, op, address);
      e.addSuppressed(t);
      return e;
    }
    return LettuceErrors.translate(failure, op, address);
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    return closed.get();
  }

  private BackendUnavailableException closedException(String op) {
    return RedisErrors.closed(op, address);
  }
}
