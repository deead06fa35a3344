package dev.vectorcache.redis.jedis;

import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisErrors.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Classifies Jedis failures; {@link RedisErrors#translate} turns the classification into the port's
 * exception (shared with the Lettuce adapter), keeping the cause. The store classifies each failure
 * once and passes the kind on.
 */
final class JedisErrors {
  private JedisErrors() {}

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
      // java.net reports a connect timeout as "Connect timed out", a read as "Read timed out"
      return String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
          ? Kind.CONNECT_TIMEOUT
          : Kind.TIMEOUT;
    }
    if (RedisErrors.has(t, NoSuchElementException.class::isInstance)) {
      return Kind.POOL_EXHAUSTED;
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

  private static boolean isAuthFailure(Throwable t) {
    return t instanceof JedisAccessControlException
        || (t instanceof JedisDataException && RedisErrors.isAuthReply(t.getMessage()));
  }
}
