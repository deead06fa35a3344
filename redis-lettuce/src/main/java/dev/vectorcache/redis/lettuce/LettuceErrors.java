package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.AuthenticationException;
import dev.vectorcache.core.BackendException;
import dev.vectorcache.core.BackendRejectedException;
import dev.vectorcache.core.BackendTimeoutException;
import dev.vectorcache.core.BackendUnavailableException;
import dev.vectorcache.core.VectorCacheException;
import dev.vectorcache.core.adapter.Futures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Translates Lettuce failures into the port's exceptions, keeping the cause. Messages are our own
 * (operation and masked address), never a URL with credentials.
 */
final class LettuceErrors {
  private static final String BACKEND = "redis";

  private LettuceErrors() {}

  static RuntimeException translate(Throwable failure, String operation, String address) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof VectorCacheException v) {
      return v;
    }
    String where = operation + " on " + address;
    Throwable auth = find(t, LettuceErrors::isAuthFailure);
    if (auth != null) {
      return new AuthenticationException(
          BACKEND,
          "redis refused the credentials for "
              + where
              + " ("
              + errorCode(auth)
              + "); check the user name and password",
          t);
    }
    if (t instanceof RedisCommandTimeoutException
        || find(t, TimeoutException.class::isInstance) != null) {
      return new BackendTimeoutException(
          BACKEND, where + " timed out (command timeout); a write may or may not have applied", t);
    }
    if (t instanceof RedisCommandExecutionException) {
      String code = errorCode(t);
      return new BackendRejectedException(
          BACKEND, where + " was rejected by redis: " + code + " " + firstLine(t), t);
    }
    if (t instanceof RedisConnectionException
        || t instanceof IOException
        || find(t, IOException.class::isInstance) != null) {
      return new BackendUnavailableException(BACKEND, where + " failed: redis is unreachable", t);
    }
    if (t instanceof RedisException) {
      String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (msg.contains("size exceeded")) {
        return new BackendUnavailableException(
            BACKEND,
            where + " failed: too many commands waiting for redis (request queue full)",
            t);
      }
      return new BackendUnavailableException(
          BACKEND, where + " failed: redis is not connected (" + firstLine(t) + ")", t);
    }
    if (t instanceof java.util.concurrent.CancellationException) {
      return new BackendUnavailableException(
          BACKEND, where + " was cancelled: the connection was closed", t);
    }
    return new BackendException(BACKEND, where + " failed: " + t.getClass().getName(), t);
  }

  private static boolean isAuthFailure(Throwable t) {
    if (!(t instanceof RedisCommandExecutionException)
        && !(t instanceof RedisConnectionException)) {
      return false;
    }
    String m = String.valueOf(t.getMessage());
    return m.startsWith("WRONGPASS")
        || m.startsWith("NOAUTH")
        || m.startsWith("NOPERM")
        || m.contains("invalid password")
        || m.contains("invalid username-password");
  }

  private static Throwable find(Throwable t, java.util.function.Predicate<Throwable> p) {
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

  /** The Redis error code ({@code OOM}, {@code WRONGPASS}, ...): the first word of the reply. */
  private static String errorCode(Throwable t) {
    String m = String.valueOf(t.getMessage()).trim();
    int sp = m.indexOf(' ');
    return sp < 0 ? m : m.substring(0, sp);
  }

  /**
   * The first line of a server error, which Redis builds from its own words, never from the
   * arguments of the command (so no value or password is echoed).
   */
  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
