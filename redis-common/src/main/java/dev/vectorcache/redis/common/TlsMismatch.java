package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.TlsProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Explains a failed first connection that is really a TLS problem. Redis shows no TLS error in
 * these cases, so the client's own failure looks like an unreachable or hung server:
 *
 * <ul>
 *   <li>a TLS port resets a plain-text client;
 *   <li>a plain-text port waits for the end of a line that a TLS ClientHello never sends;
 *   <li>with TLS 1.3 a server that wants a client certificate refuses a client without one only
 *       after the client has finished its side of the handshake, so a client that writes before it
 *       reads sees a reset, not the server's {@code certificate_required} alert.
 * </ul>
 *
 * <p>So when opening a store fails as unreachable or as a timeout, and something did accept the
 * connection, one probe decides:
 *
 * <ul>
 *   <li>{@code redis://}: a TLS handshake attempt ({@link TlsProbe}); a server certificate means a
 *       TLS port;
 *   <li>{@code rediss://}: a plain-text {@code PING}; any RESP reply ({@code +PONG}, {@code
 *       -NOAUTH}) means a plain-text port. When the server instead drops that connection or answers
 *       something else, it is alive and not plain text: a handshake with the store's own TLS
 *       settings, reading first, shows the server's alert, if any.
 * </ul>
 *
 * <p>Each probe is bounded by the connect timeout, at most one second, runs only when opening a
 * store has already failed, and sends no credentials.
 */
public final class TlsMismatch {
  private static final Duration MAX_PROBE = Duration.ofSeconds(1);
  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

  /** What a plain-text PING got. */
  enum Answer {
    /** A RESP reply: a plain-text Redis. */
    RESP,
    /** Something else, or a closed or reset connection: alive, but not plain-text Redis. */
    OTHER,
    /** Nothing: refused, silent until the timeout, or anything else. */
    SILENT
  }

  private TlsMismatch() {}

  /**
   * The failure to throw from opening a store: a {@link TlsException} when the server speaks the
   * other protocol or refuses the handshake, else {@code failure} unchanged.
   *
   * @param failure the translated failure of the first connection
   * @param tls the store's TLS settings for {@code rediss://}, or null for {@code redis://}
   * @param node the server
   * @param connectTimeout the configured connect timeout, which bounds each probe
   * @param address {@code host:port/db}, for the message
   * @return the exception to throw
   */
  public static RuntimeException check(
      RuntimeException failure,
      @Nullable TlsMaterial tls,
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
    String where = "connect on " + address + " failed: ";
    if (tls == null) {
      return TlsProbe.speaksTls(node.host(), node.port(), probe)
          ? new TlsException(
              RedisErrors.BACKEND,
              where + "redis:// (plain text) was used but the server expects TLS; use rediss://",
              cause)
          : failure;
    }
    Answer answer = plainPing(node, probe);
    if (answer == Answer.RESP) {
      return new TlsException(
          RedisErrors.BACKEND,
          where
              + "rediss:// (TLS) was used but the server answers in plain text; use redis://, or"
              + " the port of the server's tls-port",
          cause);
    }
    String refusal = answer == Answer.OTHER ? handshakeRefusal(node, probe, tls) : null;
    if (refusal != null) {
      return new TlsException(
          RedisErrors.BACKEND,
          where
              + "the server refused the TLS session ("
              + refusal
              + "); check the client certificate (tls.clientCertificate and tls.clientKey): redis"
              + " asks for one unless tls-auth-clients is no",
          cause);
    }
    return failure;
  }

  /** Sends a plain-text PING and says what came back. Never throws. */
  static Answer plainPing(HostAndPort node, Duration timeout) {
    try (Socket s = connect(node, timeout)) {
      OutputStream out = s.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = s.getInputStream();
      int first = in.read();
      if (first == '+' || first == '-') {
        return Answer.RESP;
      }
      return Answer.OTHER;
    } catch (ConnectException e) {
      return Answer.SILENT;
    } catch (SocketException e) {
      return Answer.OTHER; // reset by the peer
    } catch (IOException | RuntimeException e) {
      return Answer.SILENT;
    }
  }

  /**
   * Runs a handshake with the store's own TLS settings and reads before writing, so that an alert
   * the server sends after the handshake (TLS 1.3's {@code certificate_required}) is seen; returns
   * the alert, or null when the session works or fails for another reason. Never throws.
   */
  static @Nullable String handshakeRefusal(HostAndPort node, Duration timeout, TlsMaterial tls) {
    try (Socket plain = connect(node, timeout);
        SSLSocket s =
            (SSLSocket)
                tls.sslContext()
                    .getSocketFactory()
                    .createSocket(plain, node.host(), node.port(), true)) {
      if (tls.config().verifyHostname()) {
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
      }
      s.startHandshake();
      s.getInputStream().read(); // a healthy Redis says nothing first: this waits for the timeout
      return null;
    } catch (SSLException e) {
      return RedisErrors.firstLine(e);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Socket connect(HostAndPort node, Duration timeout) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(node.host(), node.port()), millis);
      s.setSoTimeout(millis);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
