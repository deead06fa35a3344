package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;

/**
 * The connections of one Jedis store: the {@link JedisPool} that every call borrows from, and fresh
 * connections for the pub/sub thread. Translates every failure at this boundary, classifying it
 * once.
 */
final class JedisConnections {
  private final MetadataStoreConfig config;
  private final String address;
  private final HostAndPort hostAndPort;
  private final JedisClientConfig clientConfig;
  private final JedisPool pool;
  private final AtomicBoolean closed = new AtomicBoolean();

  JedisConnections(
      MetadataStoreConfig config, JedisOptions options, HostAndPort node, String address) {
    this.config = config;
    this.address = address;
    this.hostAndPort = node;
    this.clientConfig = clientConfig(config);
    this.pool = new JedisPool(poolConfig(options, config.commandTimeout()), node, clientConfig);
  }

  private static JedisClientConfig clientConfig(MetadataStoreConfig config) {
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
    if (config.tlsEnabled() && config.tls().verifyHostname()) {
      // Jedis checks no host name by default; JSSE does when asked for HTTPS-style identification
      SSLParameters params = new SSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      b.sslParameters(params);
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

  /** Borrows a connection, runs one call, translates its failure. */
  <T> T run(JedisCall<T> call) {
    checkOpen(call.op());
    Jedis borrowed;
    try {
      borrowed = pool.getResource();
    } catch (RuntimeException e) {
      // a new pooled connection connects and authenticates here: a timeout is one of connecting
      RedisErrors.Kind kind = JedisErrors.classify(e);
      throw fail(
          kind == RedisErrors.Kind.TIMEOUT ? RedisErrors.Kind.CONNECT_TIMEOUT : kind, e, call);
    }
    try (Jedis jedis = borrowed) {
      return call.command().apply(jedis);
    } catch (VectorCacheException e) {
      throw e;
    } catch (RuntimeException e) {
      throw fail(JedisErrors.classify(e), e, call);
    }
  }

  private RuntimeException fail(RedisErrors.Kind kind, RuntimeException e, JedisCall<?> call) {
    if (kind == RedisErrors.Kind.UNAVAILABLE) {
      // the server dropped connections: idle pooled ones are most likely dead too
      pool.clear();
    }
    return RedisErrors.translate(kind, e, call.op(), address);
  }

  /** A new connection outside the pool, for the pub/sub thread; the caller closes it. */
  Jedis newConnection() {
    return new Jedis(hostAndPort, clientConfig);
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

  JedisPool pool() {
    return pool;
  }

  /** Marks the store closed; returns false when it already was. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Closes every pooled connection. */
  void closePool() {
    pool.close();
  }
}
