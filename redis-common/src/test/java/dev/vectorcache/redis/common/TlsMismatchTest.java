package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.spi.HostAndPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TLS failures")
class TlsMismatchTest {
  private static final Duration PROBE = Duration.ofSeconds(2);
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  @DisplayName("an SSLException in the chain is a TLS failure, a handshake timeout is not")
  void classification() {
    assertThat(
            RedisErrors.isTlsFailure(
                new RuntimeException(new SSLHandshakeException("PKIX path building failed"))))
        .isTrue();
    assertThat(RedisErrors.isTlsFailure(new SSLHandshakeException("handshake timed out after 2ms")))
        .isFalse();
    assertThat(RedisErrors.isTlsFailure(new IOException("Connection reset by peer"))).isFalse();
    TlsException e =
        (TlsException)
            RedisErrors.translate(
                RedisErrors.Kind.TLS,
                new RuntimeException(
                    new SSLHandshakeException("No subject alternative names present\nmore")),
                "connect",
                "h:1/0");
    assertThat(e.getMessage())
        .contains("connect on h:1/0")
        .contains("(No subject alternative names present)")
        .contains("tls.trustedCertificates");
  }

  @Test
  @DisplayName("rediss:// to a server answering RESP in plain text becomes a TlsException")
  void tlsToPlainText() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Future<?> answering = executor.submit(() -> answer(server, "-NOAUTH Authentication\r\n"));
      RuntimeException found =
          TlsMismatch.check(timeout(), true, node(server), PROBE, "127.0.0.1:1/0");
      assertThat(found)
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("answers in plain text");
      answering.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a server that says nothing, or nothing listening, leaves the failure as it was")
  void noEvidence() throws Exception {
    BackendTimeoutException timeout = timeout();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Future<?> closing = executor.submit(() -> answer(server, ""));
      assertThat(TlsMismatch.check(timeout, true, node(server), PROBE, "a")).isSameAs(timeout);
      closing.get(5, TimeUnit.SECONDS);
      // a plain-text client to a plain-text server: no TLS certificate comes back
      Future<?> again = executor.submit(() -> answer(server, "+PONG\r\n"));
      BackendUnavailableException reset =
          new BackendUnavailableException("redis", "x", new IOException("reset"));
      assertThat(TlsMismatch.check(reset, false, node(server), PROBE, "a")).isSameAs(reset);
      again.get(5, TimeUnit.SECONDS);
    }
    BackendUnavailableException refused =
        new BackendUnavailableException("redis", "x", new ConnectException("refused"));
    assertThat(TlsMismatch.check(refused, true, HostAndPort.of("127.0.0.1", 1), PROBE, "a"))
        .isSameAs(refused);
    AuthenticationException auth = new AuthenticationException("redis", "x", null);
    assertThat(TlsMismatch.check(auth, true, HostAndPort.of("127.0.0.1", 1), PROBE, "a"))
        .isSameAs(auth);
  }

  private static BackendTimeoutException timeout() {
    return new BackendTimeoutException("redis", "connect timed out", new IOException("timeout"));
  }

  private static HostAndPort node(ServerSocket server) {
    return HostAndPort.of("127.0.0.1", server.getLocalPort());
  }

  private static Void answer(ServerSocket server, String reply) throws IOException {
    try (Socket s = server.accept()) {
      s.setSoTimeout(5000);
      s.getInputStream().read(new byte[64]);
      s.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    return null;
  }
}
