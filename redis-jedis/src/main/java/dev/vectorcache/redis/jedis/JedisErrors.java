package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.AuthenticationException;
import dev.vectorcache.core.BackendException;
import dev.vectorcache.core.BackendRejectedException;
import dev.vectorcache.core.BackendTimeoutException;
import dev.vectorcache.core.BackendUnavailableException;
import dev.vectorcache.core.VectorCacheException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Translates Jedis failures into the port's exceptions, keeping the cause. Messages are our own
 * (operation and address), never a URL with credentials.
 */
final class JedisErrors {
  private static final String BACKEND = "redis";

  private JedisErrors() {}

  /** The kind of failure, so the store can react (drop idle pooled connections on UNAVAILABLE). */
  enum Kind {
    AUTH,
    TIMEOUT,
    POOL_EXHAUSTED,
    REJECTED,
    UNAVAILABLE,
    OTHER
  }

  static Kind classify(Throwable t) {
    if (find(t, JedisErrors::isAuthFailure) != null) {
      return Kind.AUTH;
    }
    if (find(t, SocketTimeoutException.class::isInstance) != null) {
      return Kind.TIMEOUT;
    }
    if (find(t, NoSuchElementException.class::isInstance) != null) {
      return Kind.POOL_EXHAUSTED;
    }
    if (t instanceof JedisDataException) {
      return Kind.REJECTED;
    }
    if (t instanceof JedisConnectionException
        || find(t, IOException.class::isInstance) != null
        || find(t, JedisConnectionException.class::isInstance) != null) {
      return Kind.UNAVAILABLE;
    }
    if (t instanceof JedisException) {
      return Kind.UNAVAILABLE;
    }
    return Kind.OTHER;
  }

  static RuntimeException translate(RuntimeException t, String operation, String address) {
    if (t instanceof VectorCacheException v) {
      return v;
    }
    String where = operation + " on " + address;
    switch (classify(t)) {
      case AUTH:
        return new AuthenticationException(
            BACKEND,
            "redis refused the credentials for "
                + where
                + " ("
                + errorCode(find(t, JedisErrors::isAuthFailure))
                + "); check the user name and password",
            t);
      case TIMEOUT:
        return new BackendTimeoutException(
            BACKEND,
            where + " timed out (command timeout); a write may or may not have applied",
            t);
      case POOL_EXHAUSTED:
        return new BackendTimeoutException(
            BACKEND,
            where
                + " timed out waiting for a pooled connection (JedisOptions maxConnections/maxWait)",
            t);
      case REJECTED:
        return new BackendRejectedException(
            BACKEND, where + " was rejected by redis: " + firstLine(t), t);
      case UNAVAILABLE:
        return new BackendUnavailableException(BACKEND, where + " failed: redis is unreachable", t);
      default:
        return new BackendException(BACKEND, where + " failed: " + t.getClass().getName(), t);
    }
  }

  private static boolean isAuthFailure(Throwable t) {
    if (t instanceof JedisAccessControlException) {
      return true;
    }
    if (!(t instanceof JedisDataException)) {
      return false;
    }
    String m = String.valueOf(t.getMessage());
    return m.startsWith("WRONGPASS") || m.startsWith("NOAUTH") || m.startsWith("NOPERM");
  }

  private static Throwable find(Throwable t, Predicate<Throwable> p) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (p.test(c)) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static String errorCode(Throwable t) {
    if (t == null) {
      return "auth failed";
    }
    String m = String.valueOf(t.getMessage()).trim();
    int sp = m.indexOf(' ');
    return sp < 0 ? m : m.substring(0, sp);
  }

  /** First line of a server error: Redis words it itself, never echoing command arguments. */
  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
