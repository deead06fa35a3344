package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
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
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClusterCommandObjects;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link MetadataStore} over Jedis: blocking and pooled, as Jedis is meant to be used, on one node,
 * a Redis Cluster or a Sentinel group ({@link MetadataStoreConfig#topology()}), all through Jedis'
 * common client type {@code UnifiedJedis} ({@code JedisPooled}, {@code JedisCluster}, {@code
 * JedisSentineled}). Each call borrows one pooled connection ({@code maxTotal} = {@link
 * JedisOptions#maxConnections()}, per node on a cluster, waiting at most {@link
 * JedisOptions#maxWait()}, by default the command timeout, when all are busy), sends one command
 * with a socket timeout of {@link MetadataStoreConfig#commandTimeout()} and returns the connection.
 *
 * <p><b>Cluster:</b> single-key commands go to the node of their slot (Jedis follows {@code MOVED}
 * and {@code ASK}, renews its slot map, and retries within the command timeout); {@code getAll} and
 * {@code deleteAll} send one command per hash slot, pipelined per node and to every node at once
 * ({@link JedisFanOut}); the slot map is also renewed every {@link
 * JedisOptions#topologyRefreshPeriod()}. <b>Sentinel:</b> Jedis asks the sentinels for the master
 * and listens to their {@code +switch-master} to follow a failover.
 *
 * <p><b>Async form:</b> {@link #async()} runs every call on the store's own executor: {@link
 * JedisOptions#executorThreads()} daemon threads (by default one per pooled connection) named
 * {@code vectorcache-jedis-<store>-<n>}, and a queue of {@link JedisOptions#executorQueueSize()}
 * calls. The caller is never blocked: a call that finds the queue full fails at once with a {@link
 * BackendUnavailableException}, one that waited longer than {@code maxWait} for a thread fails with
 * a timeout without being sent. Input is checked on the caller's thread, before anything is queued.
 * {@link BatchMetadataWrites} and {@link ScoredSets} (reached with {@link #extension}) run there
 * too. Dependent stages ({@code thenApply}, ...) without an executor of their own run on these
 * threads: keep them short, and never wait there for another async call of the same store (it may
 * be queued behind them).
 *
 * <p><b>Pub/sub:</b> one dedicated daemon thread ({@code vectorcache-jedis-pubsub-N}) per store,
 * started on the first {@link #subscribe}, holds a separate connection in {@code SUBSCRIBE} mode;
 * when that connection drops it reconnects with a back-off from 20 ms to 1 s and re-subscribes
 * every channel. Events published while it was disconnected are lost (at-most-once).
 */
public final class JedisMetadataStore implements MetadataStore {
  private static final Logger log = LoggerFactory.getLogger(JedisMetadataStore.class);
  private static final AtomicInteger STORES = new AtomicInteger();

  /** Builds the read commands sent to replicas (Jedis has no replica form of get/mget). */
  private static final ClusterCommandObjects READS = new ClusterCommandObjects();

  /** Prefix of the name of every thread a Jedis store starts. */
  static final String THREAD_PREFIX = "vectorcache-jedis-";

  private final MetadataStoreConfig config;
  private final JedisOptions jedisOptions;
  private final String prefix;
  private final RedisKeys names;
  private final String address;
  private final boolean cluster;
  private final boolean replicaReads;
  private final JedisConnections connections;
  private final JedisSubscriber subscriber;
  private final JedisExecutor executor;
  private final JedisBatchWriter batchWriter;
  private final JedisScoredSets scoredSets;
  private final AsyncMetadataStore async;

  private JedisMetadataStore(
      MetadataStoreConfig config,
      JedisOptions jedisOptions,
      Topology topology,
      String address,
      @Nullable TlsMaterial tls) {
    int id = STORES.incrementAndGet();
    this.config = config;
    this.jedisOptions = jedisOptions;
    this.prefix = config.keyPrefix();
    this.names = new RedisKeys(prefix);
    this.address = address;
    this.cluster = topology instanceof Topology.Cluster;
    this.replicaReads = jedisOptions.readFromReplicas();
    this.connections =
        new JedisConnections(
            config, jedisOptions, topology, address, tls, id, THREAD_PREFIX + id + "-");
    this.subscriber = new JedisSubscriber(connections, THREAD_PREFIX + "pubsub-" + id);
    this.executor =
        new JedisExecutor(
            THREAD_PREFIX + id + "-",
            jedisOptions.executorThreads().orElse(jedisOptions.maxConnections()),
            jedisOptions.executorQueueSize(),
            jedisOptions.maxWait().orElse(config.commandTimeout()),
            address);
    this.batchWriter = new JedisBatchWriter(names, connections, executor);
    this.scoredSets = new JedisScoredSets(names, connections, executor);
    this.async = new JedisAsyncMetadataStore(this, connections, executor);
  }

  /**
   * Opens a pool for the server of {@code config} and checks it with one PING, so that a wrong
   * address or password fails here rather than on first use. Settings this adapter cannot honour
   * yet are refused before any I/O: a cluster or Sentinel topology. With {@code rediss://} the
   * {@link MetadataStoreConfig#tls() TLS files} are read first ({@link TlsMaterial}).
   *
   * @throws BackendUnavailableException when the server cannot be reached
   * @throws dev.vectorcache.core.exception.BackendTimeoutException when connecting timed out
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
    JedisOptions options =
        config.adapterOptions(JedisOptions.class).orElseGet(JedisOptions::defaults);
    Topology topology = JedisTopology.check(config, options);
    dev.vectorcache.spi.HostAndPort first = JedisTopology.firstNode(topology);
    String address = JedisTopology.address(topology, config.database());
    TlsMaterial tls = config.tlsEnabled() ? TlsMaterial.load(config.tls()) : null;
    JedisMetadataStore store;
    try {
      // a cluster reads its slot map here, a Sentinel group asks for its master
      store = new JedisMetadataStore(config, options, topology, address, tls);
    } catch (RuntimeException e) {
      Throwable effective = JedisErrors.effective(e);
      RuntimeException failure =
          RedisErrors.translate(JedisErrors.classify(effective), effective, "connect", address);
      throw TlsMismatch.check(failure, tls, first, config.connectTimeout(), address);
    }
    try {
      store.connections.run(new JedisCall<>("connect", UnifiedJedis::ping));
    } catch (RuntimeException e) {
      store.close();
      throw TlsMismatch.check(e, tls, first, config.connectTimeout(), store.address);
    }
    return store;
  }

  // ---------------------------------------------------------------- calls, checked before I/O

  JedisCall<String> putCall(MetadataEntry entry, @Nullable Duration ttl) {
    Objects.requireNonNull(entry, "entry");
    String json = MetadataJson.encode(entry);
    String k = names.key(entry.key());
    if (ttl == null) {
      // no expiry: a plain SET, which also clears any TTL an earlier write left on the key
      return new JedisCall<>("put", j -> j.set(k, json));
    }
    long ms = RedisTtl.millis(ttl);
    return new JedisCall<>("put", j -> j.set(k, json, SetParams.setParams().px(ms)));
  }

  JedisCall<Optional<MetadataEntry>> getCall(String key) {
    String k = names.key(key);
    if (replicaReads) {
      return new JedisCall<>(
          "get",
          j ->
              Optional.ofNullable(((JedisCluster) j).executeCommandToReplica(READS.get(k)))
                  .map(MetadataJson::decodeEntry));
    }
    return new JedisCall<>(
        "get", j -> Optional.ofNullable(j.get(k)).map(MetadataJson::decodeEntry));
  }

  /**
   * For distinct, non-empty keys: one MGET, or on a cluster one MGET per hash slot, sent to every
   * node at once ({@link JedisFanOut}).
   */
  JedisCall<Map<String, MetadataEntry>> getAllCall(List<String> ks) {
    List<List<Integer>> groups = bySlot(ks);
    List<JedisFanOut.Command<List<String>>> mgets = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      String[] full = group.stream().map(i -> names.key(ks.get(i))).toArray(String[]::new);
      mgets.add(
          new JedisFanOut.Command<>(
              slot(full[0]),
              p -> p.mget(full),
              j ->
                  replicaReads
                      ? ((JedisCluster) j).executeCommandToReplica(READS.mget(full))
                      : j.mget(full),
              true));
    }
    return new JedisCall<>(
        "getAll",
        j -> {
          List<JedisFanOut.Reply<List<String>>> replies =
              JedisFanOut.send(connections, mgets, replicaReads);
          Map<String, MetadataEntry> found = new LinkedHashMap<>();
          for (int g = 0; g < groups.size(); g++) {
            List<String> values = JedisFanOut.value(replies.get(g));
            List<Integer> group = groups.get(g);
            for (int i = 0; i < values.size(); i++) {
              if (values.get(i) != null) {
                found.put(ks.get(group.get(i)), MetadataJson.decodeEntry(values.get(i)));
              }
            }
          }
          // in the order asked, as one MGET would give them
          Map<String, MetadataEntry> out = new LinkedHashMap<>();
          for (String k : ks) {
            MetadataEntry e = found.get(k);
            if (e != null) {
              out.put(k, e);
            }
          }
          return out;
        });
  }

  /** Indexes of {@code ks} grouped by hash slot on a cluster, else one group of all. */
  private List<List<Integer>> bySlot(List<String> ks) {
    if (!cluster) {
      List<Integer> all = new ArrayList<>(ks.size());
      for (int i = 0; i < ks.size(); i++) {
        all.add(i);
      }
      return List.of(all);
    }
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < ks.size(); i++) {
      groups.computeIfAbsent(slot(names.key(ks.get(i))), s -> new ArrayList<>()).add(i);
    }
    return new ArrayList<>(groups.values());
  }

  private static int slot(String fullKey) {
    return JedisClusterCRC16.getSlot(fullKey);
  }

  JedisCall<Boolean> deleteCall(String key) {
    String k = names.key(key);
    return new JedisCall<>("delete", j -> j.del(k) > 0);
  }

  /** For distinct, non-empty keys: one DEL, or on a cluster one DEL per hash slot. */
  JedisCall<Long> deleteAllCall(List<String> ks) {
    List<JedisFanOut.Command<Long>> dels = new ArrayList<>();
    for (List<Integer> group : bySlot(ks)) {
      String[] full = group.stream().map(i -> names.key(ks.get(i))).toArray(String[]::new);
      dels.add(new JedisFanOut.Command<>(slot(full[0]), p -> p.del(full), j -> j.del(full), true));
    }
    return new JedisCall<>(
        "deleteAll",
        j -> {
          long n = 0;
          for (JedisFanOut.Reply<Long> r : JedisFanOut.send(connections, dels, false)) {
            n += JedisFanOut.value(r);
          }
          return n;
        });
  }

  JedisCall<Optional<Duration>> ttlCall(String key) {
    String k = names.key(key);
    return new JedisCall<>("ttl", j -> remaining(j.pttl(k)));
  }

  private static Optional<Duration> remaining(long ms) {
    if (ms == -2) {
      return Optional.empty();
    }
    return Optional.of(ms == -1 ? ChronoUnit.FOREVER.getDuration() : Duration.ofMillis(ms));
  }

  JedisCall<Boolean> expireCall(String key, Duration ttl) {
    String k = names.key(key);
    long ms = RedisTtl.millis(ttl);
    return new JedisCall<>("expire", j -> j.pexpire(k, ms) == 1L);
  }

  JedisCall<Long> publishCall(MetadataEvent event) {
    Objects.requireNonNull(event, "event");
    String channel = names.channel(event.collection());
    String json = MetadataJson.encode(event);
    if (!cluster) {
      return new JedisCall<>("publish", j -> j.publish(channel, json));
    }
    // on a cluster, to the node of the channel's slot: Jedis would send a keyless command to a
    // random node after a PING; any node forwards a PUBLISH to the whole cluster
    List<JedisFanOut.Command<Long>> one =
        List.of(
            new JedisFanOut.Command<>(
                slot(channel),
                p -> p.publish(channel, json),
                j -> j.publish(channel, json),
                false));
    return new JedisCall<>(
        "publish", j -> JedisFanOut.value(JedisFanOut.send(connections, one, false).get(0)));
  }

  /** One command, {@code INFO server}; the round trip reported is that command's. */
  JedisCall<BackendInfo> pingCall() {
    return new JedisCall<>(
        "ping",
        j -> {
          long start = System.nanoTime();
          String info = j.info("server");
          return RedisInfo.backendInfo(
              "jedis",
              info,
              Duration.ofNanos(System.nanoTime() - start),
              address,
              prefix,
              config.tlsEnabled(),
              Map.of("maxConnections", Integer.toString(jedisOptions.maxConnections())));
        });
  }

  /** The channel of a subscription, or an exception before any I/O. */
  String channelFor(String collection, Consumer<MetadataEvent> listener) {
    if (collection == null || collection.isBlank()) {
      throw new InvalidInputException("collection", "a non-blank collection name", collection);
    }
    Objects.requireNonNull(listener, "listener");
    return names.channel(collection);
  }

  /** The pub/sub bookkeeping, for tests. */
  ChannelRegistry channelRegistry() {
    return subscriber.channels();
  }

  Subscription subscribe(String collection, String channel, Consumer<MetadataEvent> listener) {
    return subscriber.subscribe(collection, channel, listener);
  }

  // ---------------------------------------------------------------- key-value

  @Override
  public void put(MetadataEntry entry, @Nullable Duration ttl) {
    connections.run(putCall(entry, ttl));
  }

  @Override
  public Optional<MetadataEntry> get(String key) {
    return connections.run(getCall(key));
  }

  @Override
  public Map<String, MetadataEntry> getAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    return ks.isEmpty() ? Map.of() : connections.run(getAllCall(ks));
  }

  @Override
  public boolean delete(String key) {
    return connections.run(deleteCall(key));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    return ks.isEmpty() ? 0 : connections.run(deleteAllCall(ks));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A key without expiry (put with no TTL) reports {@code ChronoUnit.FOREVER.getDuration()}.
   */
  @Override
  public Optional<Duration> ttl(String key) {
    return connections.run(ttlCall(key));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Changes only the Redis TTL of the key ({@code PEXPIRE}); the entry's own {@code expiresAt}
   * stays as written, since it mirrors the vector store's payload.
   */
  @Override
  public boolean expire(String key, Duration ttl) {
    return connections.run(expireCall(key, ttl));
  }

  // ---------------------------------------------------------------- pub/sub

  @Override
  public void publish(MetadataEvent event) {
    connections.run(publishCall(event));
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    String channel = channelFor(collection, listener);
    return subscribe(collection, channel, listener);
  }

  // ---------------------------------------------------------------- info

  /** One command, {@code INFO server}; the round trip reported is that command's. */
  @Override
  public BackendInfo ping() {
    return connections.run(pingCall());
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
   * Redis sorted sets, updates pipelined; both on the executor.
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

  /** The async form, on the store's executor: see the class documentation. */
  @Override
  public AsyncMetadataStore async() {
    return async;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(connections.client())) {
      return type.cast(connections.client());
    }
    return MetadataStore.super.unwrap(type);
  }

  /**
   * Fails the async calls still waiting for a thread, stops the executor and the subscriber thread
   * and closes every pooled connection. Idempotent.
   */
  @Override
  public void close() {
    if (!connections.markClosed()) {
      return;
    }
    Duration bound = config.commandTimeout().plus(config.connectTimeout()).plusSeconds(1);
    executor.close();
    subscriber.close(bound);
    connections.closePool();
    executor.awaitTermination(bound);
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
}
