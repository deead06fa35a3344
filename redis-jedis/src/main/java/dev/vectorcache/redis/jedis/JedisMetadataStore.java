package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.redis.common.ChannelRegistry;
import dev.vectorcache.redis.common.MetadataJson;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisInfo;
import dev.vectorcache.redis.common.RedisKeys;
import dev.vectorcache.redis.common.RedisTtl;
import dev.vectorcache.redis.common.TlsMismatch;
import dev.vectorcache.spi.AdapterChecks;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsMaterial;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.params.SetParams;

/**
 * {@link MetadataStore} over Jedis: blocking and pooled, as Jedis is meant to be used. Each call
 * borrows one connection from a {@link JedisPool} ({@code maxTotal} = {@link
 * JedisOptions#maxConnections()}, waiting at most {@link JedisOptions#maxWait()}, by default the
 * command timeout, when all are busy), sends one command with a socket timeout of {@link
 * MetadataStoreConfig#commandTimeout()} and returns the connection.
 *
 * <p><b>Async form:</b> {@link #async()} is an {@link InlineAsyncMetadataStore}: each call runs on
 * the caller's thread and returns a completed future, so it blocks the caller for one bounded
 * command (at most maxWait + connect/command timeout). Applications that need non-blocking calls
 * should use the Lettuce adapter, which is natively asynchronous.
 *
 * <p><b>Pub/sub:</b> one dedicated daemon thread ({@code vectorcache-jedis-pubsub-N}) per store,
 * started on the first {@link #subscribe}, holds a separate connection in {@code SUBSCRIBE} mode;
 * when that connection drops it reconnects with a back-off from 20 ms to 1 s and re-subscribes
 * every channel. Events published while it was disconnected are lost (at-most-once).
 */
public final class JedisMetadataStore implements MetadataStore {
  private static final Logger log = LoggerFactory.getLogger(JedisMetadataStore.class);
  private static final AtomicInteger STORES = new AtomicInteger();

  /** Prefix of the name of every thread a Jedis store starts. */
  static final String THREAD_PREFIX = "vectorcache-jedis-";

  private final MetadataStoreConfig config;
  private final JedisOptions jedisOptions;
  private final String prefix;
  private final RedisKeys names;
  private final String address;
  private final HostAndPort hostAndPort;
  private final JedisClientConfig clientConfig;
  private final JedisPool pool;
  private final AsyncMetadataStore async;
  private final int id = STORES.incrementAndGet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object pubSubLock = new Object();
  private final ChannelRegistry channels = new ChannelRegistry();
  private @Nullable Thread subscriberThread;
  private @Nullable Handler currentHandler;
  private @Nullable Jedis currentSubscriber;

  private JedisMetadataStore(
      MetadataStoreConfig config, dev.vectorcache.spi.HostAndPort node, @Nullable TlsMaterial tls) {
    this.config = config;
    this.jedisOptions = config.adapterOptions(JedisOptions.class).orElseGet(JedisOptions::defaults);
    this.prefix = config.keyPrefix();
    this.names = new RedisKeys(prefix);
    this.address = node + "/" + config.database();
    this.hostAndPort = new HostAndPort(node.host(), node.port());
    this.clientConfig = clientConfig(config, tls);
    this.pool =
        new JedisPool(poolConfig(jedisOptions, config.commandTimeout()), hostAndPort, clientConfig);
    this.async = new InlineAsyncMetadataStore(this);
  }

  /**
   * Opens a pool for the server of {@code config} and checks it with one PING, so that a wrong
   * address or password fails here rather than on first use. Settings this adapter cannot honour
   * yet are refused before any I/O: a cluster or Sentinel topology. With {@code rediss://} the
   * {@link MetadataStoreConfig#tls() TLS files} are read first ({@link TlsMaterial}).
   *
   * @throws BackendUnavailableException when the server cannot be reached
   * @throws dev.vectorcache.core.exception.AuthenticationException when it refuses the credentials
   * @throws dev.vectorcache.core.exception.TlsException when the TLS handshake fails (an untrusted
   *     or misnamed certificate, a missing client certificate), or one side speaks TLS and the
   *     other plain text
   * @throws dev.vectorcache.core.exception.ConfigurationException for a TLS file that cannot be
   *     used
   * @throws dev.vectorcache.core.exception.UnsupportedCapabilityException for a setting named above
   * @throws dev.vectorcache.core.exception.ConfigurationException for options meant for another
   *     adapter
   */
  public static JedisMetadataStore open(MetadataStoreConfig config) {
    Objects.requireNonNull(config, "config");
    config.checkAdapterOptions(JedisOptions.ADAPTER);
    dev.vectorcache.spi.HostAndPort node =
        AdapterChecks.standaloneNode(
            config.topology(), JedisOptions.ADAPTER, "redis://, rediss://");
    TlsMaterial tls = config.tlsEnabled() ? TlsMaterial.load(config.tls()) : null;
    JedisMetadataStore store = new JedisMetadataStore(config, node, tls);
    try {
      store.run("connect", Jedis::ping);
    } catch (RuntimeException e) {
      store.close();
      throw TlsMismatch.check(e, tls, node, config.connectTimeout(), store.address);
    }
    return store;
  }

  private static JedisClientConfig clientConfig(
      MetadataStoreConfig config, @Nullable TlsMaterial tls) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(config.connectTimeout()))
            .socketTimeoutMillis(millis(config.commandTimeout()))
            .database(config.database())
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
    if (tls != null) {
      // the trust managers check the chain; with verifyHostname off they skip the name
      b.sslSocketFactory(tls.sslContext().getSocketFactory());
      if (config.tls().verifyHostname()) {
        // Jedis checks no host name by default; JSSE does when asked for HTTPS-style identification
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        b.sslParameters(params);
      }
    }
    return b.build();
  }

  private static GenericObjectPoolConfig<Jedis> poolConfig(
      JedisOptions options, Duration commandTimeout) {
    GenericObjectPoolConfig<Jedis> p = new GenericObjectPoolConfig<>();
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

  // ---------------------------------------------------------------- key-value

  @Override
  public void put(MetadataEntry entry, @Nullable Duration ttl) {
    Objects.requireNonNull(entry, "entry");
    String json = MetadataJson.encode(entry);
    String k = names.key(entry.key());
    if (ttl == null) {
      // no expiry: a plain SET, which also clears any TTL an earlier write left on the key
      run("put", j -> j.set(k, json));
      return;
    }
    long ms = RedisTtl.millis(ttl);
    run("put", j -> j.set(k, json, SetParams.setParams().px(ms)));
  }

  @Override
  public Optional<MetadataEntry> get(String key) {
    String k = names.key(key);
    String json = run("get", j -> j.get(k));
    return Optional.ofNullable(json).map(MetadataJson::decodeEntry);
  }

  @Override
  public Map<String, MetadataEntry> getAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    if (ks.isEmpty()) {
      return Map.of();
    }
    String[] full = ks.stream().map(names::key).toArray(String[]::new);
    List<String> values = run("getAll", j -> j.mget(full));
    Map<String, MetadataEntry> out = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) != null) {
        out.put(ks.get(i), MetadataJson.decodeEntry(values.get(i)));
      }
    }
    return out;
  }

  @Override
  public boolean delete(String key) {
    String k = names.key(key);
    return run("delete", j -> j.del(k)) > 0;
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    if (ks.isEmpty()) {
      return 0;
    }
    String[] full = ks.stream().map(names::key).toArray(String[]::new);
    return run("deleteAll", j -> j.del(full));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A key without expiry (put with no TTL) reports {@code ChronoUnit.FOREVER.getDuration()}.
   */
  @Override
  public Optional<Duration> ttl(String key) {
    String k = names.key(key);
    long ms = run("ttl", j -> j.pttl(k));
    if (ms == -2) {
      return Optional.empty();
    }
    if (ms == -1) {
      return Optional.of(ChronoUnit.FOREVER.getDuration());
    }
    return Optional.of(Duration.ofMillis(ms));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Changes only the Redis TTL of the key ({@code PEXPIRE}); the entry's own {@code expiresAt}
   * stays as written, since it mirrors the vector store's payload.
   */
  @Override
  public boolean expire(String key, Duration ttl) {
    String k = names.key(key);
    long ms = RedisTtl.millis(ttl);
    return run("expire", j -> j.pexpire(k, ms)) == 1L;
  }

  // ---------------------------------------------------------------- pub/sub

  @Override
  public void publish(MetadataEvent event) {
    Objects.requireNonNull(event, "event");
    String channel = names.channel(event.collection());
    String json = MetadataJson.encode(event);
    run("publish", j -> j.publish(channel, json));
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    if (collection == null || collection.isBlank()) {
      throw new InvalidInputException("collection", "a non-blank collection name", collection);
    }
    Objects.requireNonNull(listener, "listener");
    checkOpen("subscribe");
    String channel = names.channel(collection);
    ChannelRegistry.Added added;
    synchronized (pubSubLock) {
      added = channels.add(channel, listener);
      if (added.first()) {
        if (subscriberThread == null) {
          subscriberThread = new Thread(this::subscriberLoop, THREAD_PREFIX + "pubsub-" + id);
          subscriberThread.setDaemon(true);
          subscriberThread.start();
        } else if (currentHandler != null) {
          try {
            currentHandler.subscribe(channel);
          } catch (RuntimeException e) {
            // the connection is going away; the loop re-subscribes every channel on reconnect
            log.debug(
                "subscribe on the live pub/sub connection failed: {}", e.getClass().getName());
          }
        }
      }
    }
    Subscription sub =
        channels.subscription(collection, channel, added, listener, this::unsubscribe);
    Duration bound = config.connectTimeout().plus(config.commandTimeout());
    try {
      added.listeners().ready().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sub.close();
      throw new BackendTimeoutException(
          "redis", "subscribe on " + address + " was not confirmed within " + bound, e);
    } catch (CancellationException | ExecutionException e) {
      // cancelled: the store was closed while waiting (close() drops every pending subscription)
      sub.close();
      BackendUnavailableException failed =
          closed.get()
              ? RedisErrors.closed("subscribe", address)
              : new BackendUnavailableException("redis", "subscribe on " + address + " failed", e);
      throw failed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sub.close();
      throw new BackendUnavailableException(
          "redis", "interrupted while subscribing on " + address, e);
    }
    return sub;
  }

  /** Runs on the subscriber thread: one SUBSCRIBE connection, re-made after every failure. */
  private void subscriberLoop() {
    long backoff = 20;
    while (!closed.get()) {
      String[] wanted;
      Handler handler = new Handler();
      Jedis jedis;
      synchronized (pubSubLock) {
        if (channels.isEmpty() || closed.get()) {
          subscriberThread = null;
          return;
        }
        wanted = channels.channels();
      }
      try {
        jedis = new Jedis(hostAndPort, clientConfig);
        synchronized (pubSubLock) {
          currentHandler = handler;
          currentSubscriber = jedis;
        }
      } catch (RuntimeException e) {
        backoff = pause(backoff);
        continue;
      }
      try {
        jedis.subscribe(handler, wanted);
        backoff = 20;
      } catch (RuntimeException e) {
        if (!closed.get()) {
          log.debug(
              "pub/sub connection to {} lost ({}); reconnecting",
              address,
              e.getClass().getSimpleName());
          backoff = pause(backoff);
        }
      } finally {
        synchronized (pubSubLock) {
          currentHandler = null;
          currentSubscriber = null;
        }
        try {
          jedis.close();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
    }
    synchronized (pubSubLock) {
      subscriberThread = null;
    }
  }

  private long pause(long backoff) {
    try {
      Thread.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Math.min(1000, backoff * 2);
  }

  /** Sends UNSUBSCRIBE once the last listener of a channel left. */
  private void unsubscribe(String channel) {
    synchronized (pubSubLock) {
      if (currentHandler != null) {
        try {
          currentHandler.unsubscribe(channel);
        } catch (RuntimeException e) {
          log.debug("unsubscribe failed: {}", e.getClass().getName());
        }
      }
    }
  }

  private final class Handler extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      channels.confirmed(channel);
    }

    @Override
    public void onMessage(String channel, String message) {
      channels.deliver(channel, message);
    }
  }

  // ---------------------------------------------------------------- info

  @Override
  public BackendInfo ping() {
    long start = System.nanoTime();
    run("ping", Jedis::ping);
    Duration rtt = Duration.ofNanos(System.nanoTime() - start);
    String info = run("ping", j -> j.info("server"));
    return RedisInfo.backendInfo(
        "jedis",
        info,
        rtt,
        address,
        prefix,
        config.tlsEnabled(),
        Map.of("maxConnections", Integer.toString(jedisOptions.maxConnections())));
  }

  @Override
  public boolean isSupported(Capability capability) {
    return capability == Capability.CROSS_PROCESS_PUBSUB;
  }

  /** The inline async form: see the class documentation. */
  @Override
  public AsyncMetadataStore async() {
    return async;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(pool)) {
      return type.cast(pool);
    }
    return MetadataStore.super.unwrap(type);
  }

  /** Stops the subscriber thread and closes every pooled connection. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread t;
    synchronized (pubSubLock) {
      t = subscriberThread;
      channels.clear();
      if (currentHandler != null) {
        try {
          currentHandler.unsubscribe();
        } catch (RuntimeException ignored) {
          // the connection is closed below anyway
        }
      }
      if (currentSubscriber != null) {
        try {
          currentSubscriber.disconnect();
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(config.commandTimeout().plus(config.connectTimeout()).toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pool.close();
    log.debug("jedis metadata store for {} closed", address);
  }

  @Override
  public String toString() {
    return "JedisMetadataStore["
        + config.scheme()
        + "://"
        + address
        + ", keyPrefix="
        + prefix
        + "]";
  }

  // ---------------------------------------------------------------- helpers

  /** Borrows a connection, runs one command, translates failures at this boundary. */
  private <T> T run(String op, Function<Jedis, T> command) {
    checkOpen(op);
    try (Jedis jedis = pool.getResource()) {
      return command.apply(jedis);
    } catch (RuntimeException e) {
      if (JedisErrors.classify(e) == RedisErrors.Kind.UNAVAILABLE) {
        // the server dropped connections: idle pooled ones are most likely dead too
        pool.clear();
      }
      throw JedisErrors.translate(e, op, address);
    }
  }

  private void checkOpen(String op) {
    if (closed.get()) {
      throw RedisErrors.closed(op, address);
    }
  }
}
