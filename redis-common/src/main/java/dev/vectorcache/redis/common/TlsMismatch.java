package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.TlsProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Explains a failed first connection where the server speaks the other protocol. Redis shows no TLS
 * error in either case: a TLS port resets a plain-text client (which looks unreachable), and a
 * plain-text port waits for the end of a line that a TLS ClientHello never sends (which looks
 * hung). So when opening a store fails as unreachable or as a timeout, and something did accept the
 * connection, one probe of the other protocol decides:
 *
 * <ul>
 *   <li>{@code redis://}: a TLS handshake attempt ({@link TlsProbe}); a server certificate means a
 *       TLS port;
 *   <li>{@code rediss://}: a plain-text {@code PING}; any RESP reply ({@code +PONG}, {@code
 *       -NOAUTH}) means a plain-text port.
 * </ul>
 *
 * <p>The probe is bounded by the connect timeout, at most one second, and runs only when opening a
 * store has already failed; it sends no credentials.
 */
public final class TlsMismatch {
  private static final Duration MAX_PROBE = Duration.ofSeconds(1);
  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

  private TlsMismatch() {}

  /**
   * The failure to throw from opening a store: a {@link TlsException} when the server speaks the
   * other protocol, else {@code failure} unchanged.
   *
   * @param failure the translated failure of the first connection
   * @param tls whether the store was opened with {@code rediss://}
   * @param node the server
   * @param connectTimeout the configured connect timeout, which bounds the probe
   * @param address {@code host:port/db}, for the message
   * @return the exception to throw
   */
  public static RuntimeException check(
      RuntimeException failure,
      boolean tls,
      HostAndPort node,
      Duration connectTimeout,
      String address) {
    if (!(failure instanceof BackendUnavailableException
            || failure instanceof BackendTimeoutException)
        || RedisErrors.has(failure, ConnectException.class::isInstance)) {
      return failure; // another kind of failure, or nothing listens there
    }
    Duration probe = connectTimeout.compareTo(MAX_PROBE) < 0 ? connectTimeout : MAX_PROBE;
    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
    if (tls && answersPlainText(node, probe)) {
      return new TlsException(
          RedisErrors.BACKEND,
          "connect on "
              + address
              + " failed: rediss:// (TLS) was used but the server answers in plain text; use"
              + " redis://, or the port of the server's tls-port",
          cause);
    }
    if (!tls && TlsProbe.speaksTls(node.host(), node.port(), probe)) {
      return new TlsException(
          RedisErrors.BACKEND,
          "connect on "
              + address
              + " failed: redis:// (plain text) was used but the server expects TLS; use rediss://",
          cause);
    }
    return failure;
  }

  /** Whether the server answers a plain-text PING with any RESP reply. Never throws. */
  static boolean answersPlainText(HostAndPort node, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(node.host(), node.port()), millis);
      s.setSoTimeout(millis);
      OutputStream out = s.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = s.getInputStream();
      int first = in.read();
      return first == '+' || first == '-';
    } catch (IOException | RuntimeException e) {
      return false; // reset, closed or silent: not a plain-text Redis
    }
  }
}
