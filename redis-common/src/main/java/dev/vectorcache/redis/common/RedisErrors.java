package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Redis client's failure into the port's exceptions, the same way for every adapter. The
 * adapter only classifies its client's exception into a {@link Kind}; the exception type, the
 * message (operation and {@code host:port/db}, never a URL with credentials) and the kept cause
 * come from here.
 */
public final class RedisErrors {
  /** The name of the backend in every exception. */
  public static final String BACKEND = "redis";

  private static final List<String> AUTH_CODES = List.of("WRONGPASS", "NOAUTH", "NOPERM");
  private static final List<String> FAILOVER_CODES =
      List.of("CLUSTERDOWN", "TRYAGAIN", "READONLY", "MASTERDOWN", "LOADING");

  private RedisErrors() {}

  /** What went wrong, independent of the client library. */
  public enum Kind {
    /** The server refused the credentials ({@code WRONGPASS}, {@code NOAUTH}, {@code NOPERM}). */
    AUTH,
    /** A command timed out; a write may or may not have applied. */
    TIMEOUT,
    /**
     * Connecting timed out: the TCP connect or the handshake ({@code HELLO}, {@code AUTH}, ...) got
     * no answer in time. The server is slow, paused or behind a dropping firewall; unlike a refused
     * connection it may well be up.
     */
    CONNECT_TIMEOUT,
    /** No pooled connection became free in time. */
    POOL_EXHAUSTED,
    /** The client's queue of commands waiting for the server is full. */
    QUEUE_FULL,
    /** The server answered with an error ({@code OOM}, {@code WRONGTYPE}, ...). */
    REJECTED,
    /**
     * The server cannot serve the command right now because its topology is changing: {@code
     * CLUSTERDOWN}, {@code TRYAGAIN} (a slot is migrating), {@code READONLY} (a write reached a
     * primary that was demoted to replica), {@code MASTERDOWN} (a replica lost its primary) or
     * {@code LOADING} (a restarted node loads its data). Transient: counted by the circuit breaker
     * like an unreachable server, and the call may be retried once the failover is over.
     */
    FAILOVER,
    /** The server cannot be reached, or the connection broke. */
    UNAVAILABLE,
    /**
     * The TLS handshake failed: an untrusted or misnamed server certificate, a client certificate
     * the server wants and did not get, or TLS to a plain-text server.
     */
    TLS,
    /** The client is not connected right now (it is reconnecting). */
    NOT_CONNECTED,
    /** The command was cancelled because its connection closed. */
    CANCELLED,
    /** Anything else. */
    OTHER
  }

  /**
   * The port's exception for a failure.
   *
   * @param kind the adapter's classification of {@code cause}
   * @param cause the client's exception, kept as the cause
   * @param operation the store operation, for example {@code "getAll"}
   * @param address {@code host:port/db}, never credentials
   * @return the exception to throw or to complete a future with
   */
  public static BackendException translate(
      Kind kind, Throwable cause, String operation, String address) {
    Objects.requireNonNull(kind, "kind");
    String where = operation + " on " + address;
    return switch (kind) {
      case AUTH ->
          new AuthenticationException(
              BACKEND,
              "redis refused the credentials for "
                  + where
                  + " ("
                  + authCode(cause)
                  + "); check the user name and password",
              cause);
      case TIMEOUT ->
          new BackendTimeoutException(
              BACKEND,
              where + " timed out (command timeout); a write may or may not have applied",
              cause);
      case CONNECT_TIMEOUT ->
          new BackendTimeoutException(
              BACKEND,
              where
                  + " timed out while connecting (connect timeout); redis is slow or paused, or"
                  + " the network drops packets",
              cause);
      case POOL_EXHAUSTED ->
          new BackendTimeoutException(
              BACKEND,
              where
                  + " timed out waiting for a pooled connection (JedisOptions maxConnections/maxWait)",
              cause);
      case QUEUE_FULL ->
          new BackendUnavailableException(
              BACKEND,
              where + " failed: too many commands waiting for redis (request queue full)",
              cause);
      case REJECTED ->
          new BackendRejectedException(
              BACKEND, where + " was rejected by redis: " + firstLine(cause), cause);
      case UNAVAILABLE ->
          new BackendUnavailableException(BACKEND, where + " failed: redis is unreachable", cause);
      case FAILOVER ->
          new BackendUnavailableException(
              BACKEND,
              where
                  + " failed while the redis topology changes ("
                  + firstLine(cause)
                  + "); a failover or slot migration is under way, retry shortly",
              cause);
      case TLS ->
          new TlsException(
              BACKEND,
              where
                  + " failed: the TLS handshake with redis failed ("
                  + tlsReason(cause)
                  + "); check tls.trustedCertificates, the client certificate (redis asks for one"
                  + " unless tls-auth-clients is no) and that the server's certificate names the"
                  + " host",
              cause);
      case NOT_CONNECTED ->
          new BackendUnavailableException(
              BACKEND, where + " failed: redis is not connected (" + firstLine(cause) + ")", cause);
      case CANCELLED ->
          new BackendUnavailableException(
              BACKEND, where + " was cancelled: the connection was closed", cause);
      default ->
          new BackendException(BACKEND, where + " failed: " + cause.getClass().getName(), cause);
    };
  }

  /**
   * The exception for a call on a closed store.
   *
   * @param operation the store operation
   * @param address {@code host:port/db}
   * @return an unavailable exception without a cause
   */
  public static BackendUnavailableException closed(String operation, String address) {
    return new BackendUnavailableException(
        BACKEND, operation + " on " + address + " failed: the store is closed", null);
  }

  /**
   * The kind of an error the server answered with, from its message (which starts with the Redis
   * error code): {@link Kind#AUTH} for a credential or permission refusal, {@link Kind#FAILOVER}
   * for the codes a changing topology produces ({@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code
   * READONLY}, {@code MASTERDOWN}, {@code LOADING}), {@link Kind#REJECTED} for anything else. A
   * client may wrap the code in text of its own, so the code is looked for at the start of each
   * word.
   *
   * @param message the server's error text, or null
   * @return AUTH, FAILOVER or REJECTED
   */
  public static Kind serverErrorKind(@Nullable String message) {
    String m = String.valueOf(message);
    if (isAuthReply(m)) {
      return Kind.AUTH;
    }
    for (String code : FAILOVER_CODES) {
      if (startsWordAt(m, code)) {
        return Kind.FAILOVER;
      }
    }
    return Kind.REJECTED;
  }

  /** Whether {@code code} occurs in {@code m} as a whole word: at the start or after ' ' or ':'. */
  private static boolean startsWordAt(String m, String code) {
    for (int i = m.indexOf(code); i >= 0; i = m.indexOf(code, i + 1)) {
      int end = i + code.length();
      boolean before = i == 0 || m.charAt(i - 1) == ' ' || m.charAt(i - 1) == ':';
      boolean after = end == m.length() || m.charAt(end) == ' ';
      if (before && after) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a server error message is an authentication or permission refusal.
   *
   * @param message the error text, which starts with the Redis error code
   * @return true for {@code WRONGPASS}, {@code NOAUTH}, {@code NOPERM} and the older wordings
   */
  public static boolean isAuthReply(@Nullable String message) {
    String m = String.valueOf(message);
    return m.startsWith("WRONGPASS")
        || m.startsWith("NOAUTH")
        || m.startsWith("NOPERM")
        || m.contains("invalid password")
        || m.contains("invalid username-password");
  }

  /**
   * The first throwable in the cause chain of {@code t} that matches, stopping at a self-cause.
   *
   * @param t where to start
   * @param p the test
   * @return the match, or null
   */
  public static @Nullable Throwable find(@Nullable Throwable t, Predicate<Throwable> p) {
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

  /**
   * Whether {@code t} or one of its causes matches.
   *
   * @param t where to start
   * @param p the test
   * @return true on a match
   */
  public static boolean has(Throwable t, Predicate<Throwable> p) {
    return find(t, p) != null;
  }

  /**
   * Whether a failure is a TLS handshake failure: a {@link SSLException} in the chain, except a
   * handshake that timed out (a hung server looks the same; see {@link TlsMismatch}).
   *
   * @param t the client's exception
   * @return true for an untrusted or misnamed certificate, a refused client certificate, or a
   *     server that does not speak TLS
   */
  public static boolean isTlsFailure(Throwable t) {
    return has(t, c -> c instanceof SSLException && !isHandshakeTimeout(c));
  }

  private static boolean isHandshakeTimeout(Throwable t) {
    // Netty's SslHandshakeTimeoutException is an SSLHandshakeException; no type to test for here
    return t.getClass().getSimpleName().equals("SslHandshakeTimeoutException")
        || String.valueOf(t.getMessage()).contains("handshake timed out");
  }

  /** The first line of the deepest TLS exception's message: the JSSE's reason. */
  private static String tlsReason(Throwable t) {
    Throwable deepest = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException) {
        deepest = c;
      }
    }
    return deepest == null ? t.getClass().getSimpleName() : firstLine(deepest);
  }

  /**
   * The Redis error code ({@code WRONGPASS}, ...) of the auth refusal in the chain; a wrapper's
   * message may quote it after the wrapped exception's class name.
   */
  private static String authCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      for (String code : AUTH_CODES) {
        if (m.contains(code)) {
          return code;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return "auth failed";
  }

  /**
   * The first line of a server error, which Redis builds from its own words, never from the
   * arguments of the command (so no value or password is echoed).
   */
  static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
