package dev.vectorcache.redis.jedis;

import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisErrors.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Classifies Jedis failures; {@link RedisErrors#translate} turns the classification into the port's
 * exception (shared with the Lettuce adapter), keeping the cause. The store classifies each failure
 * once and passes the kind on.
 */
final class JedisErrors {
  private JedisErrors() {}

  /**
   * The exception that says what happened: Jedis' cluster executor throws a {@link
   * JedisClusterOperationException} without cause ("No more cluster attempts left.", "Could not
   * initialize cluster slots cache.") and keeps the failure of the last attempt as a suppressed
   * exception.
   */
  static RuntimeException effective(RuntimeException e) {
    if (e instanceof JedisClusterOperationException && e.getCause() == null) {
      Throwable[] suppressed = e.getSuppressed();
      if (suppressed.length > 0 && suppressed[0] instanceof RuntimeException r) {
        return r;
      }
    }
    return e;
  }

  /** Whether a kind means a failover in progress (counted by the breaker as unavailable). */
  static boolean isFailover(Kind kind) {
    return kind == Kind.FAILOVER;
  }

  /** The kind of failure, so the store can react (drop idle pooled connections on UNAVAILABLE). */
  static Kind classify(Throwable t) {
    if (RedisErrors.has(t, JedisErrors::isAuthFailure)) {
      return Kind.AUTH;
    }
    if (RedisErrors.isTlsFailure(t)) {
      return Kind.TLS;
    }
    Throwable timeout = RedisErrors.find(t, SocketTimeoutException.class::isInstance);
    if (timeout != null) {
      // java.net reports a connect timeout as "Connect timed out", a read as "Read timed out"; a
      // read that timed out while a new pooled connection said HELLO/AUTH is one of connecting
      return String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
              || whileConnecting(timeout)
          ? Kind.CONNECT_TIMEOUT
          : Kind.TIMEOUT;
    }
    if (RedisErrors.has(t, NoSuchElementException.class::isInstance)) {
      return Kind.POOL_EXHAUSTED;
    }
    if (t instanceof JedisRedirectionException) {
      // redirected again and again: the slot map is changing under a failover
      return Kind.FAILOVER;
    }
    if (t instanceof JedisDataException) {
      return RedisErrors.serverErrorKind(t.getMessage());
    }
    if (t instanceof JedisException
        || RedisErrors.has(t, IOException.class::isInstance)
        || RedisErrors.has(t, JedisConnectionException.class::isInstance)) {
      return Kind.UNAVAILABLE;
    }
    return Kind.OTHER;
  }

  /**
   * Whether Jedis was setting up a new connection (connect, HELLO, AUTH, SELECT) when it failed.
   */
  private static boolean whileConnecting(Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals("redis.clients.jedis.Connection")
          && e.getMethodName().equals("initializeFromClientConfig")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAuthFailure(Throwable t) {
    return t instanceof JedisAccessControlException
        || (t instanceof JedisDataException && RedisErrors.isAuthReply(t.getMessage()));
  }
}
