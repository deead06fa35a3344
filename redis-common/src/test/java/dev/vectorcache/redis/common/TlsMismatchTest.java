package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.testkit.TestCertificates;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("TLS failures")
class TlsMismatchTest {
  private static final Duration PROBE = Duration.ofMillis(500);
  private static final TlsMaterial TLS = TlsMaterial.load(TlsConfig.defaults());
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

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
          TlsMismatch.check(timeout(), TLS, node(server), PROBE, "127.0.0.1:1/0");
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
      assertThat(TlsMismatch.check(timeout, TLS, node(server), PROBE, "a")).isSameAs(timeout);
      closing.get(5, TimeUnit.SECONDS);
      // a plain-text client to a plain-text server: no TLS certificate comes back
      Future<?> again = executor.submit(() -> answer(server, "+PONG\r\n"));
      BackendUnavailableException reset =
          new BackendUnavailableException("redis", "x", new IOException("reset"));
      assertThat(TlsMismatch.check(reset, null, node(server), PROBE, "a")).isSameAs(reset);
      again.get(5, TimeUnit.SECONDS);
    }
    BackendUnavailableException refused =
        new BackendUnavailableException("redis", "x", new ConnectException("refused"));
    assertThat(TlsMismatch.check(refused, TLS, HostAndPort.of("127.0.0.1", 1), PROBE, "a"))
        .isSameAs(refused);
    AuthenticationException auth = new AuthenticationException("redis", "x", null);
    assertThat(TlsMismatch.check(auth, TLS, HostAndPort.of("127.0.0.1", 1), PROBE, "a"))
        .isSameAs(auth);
  }

  @Test
  @DisplayName(
      "rediss:// without the client certificate a server demands: the alert after the handshake")
  void missingClientCertificate(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.generate(dir);
    TlsMaterial server =
        TlsMaterial.load(
            TlsConfig.builder()
                .trustedCertificates(certs.caCertificate())
                .clientCertificate(certs.serverCertificate())
                .clientKey(certs.serverKey())
                .build());
    TlsMaterial client =
        TlsMaterial.load(TlsConfig.builder().trustedCertificates(certs.caCertificate()).build());
    try (SSLServerSocket tls =
        (SSLServerSocket)
            server
                .sslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      tls.setNeedClientAuth(true);
      // the client's own attempt failed with a reset; the plain PING is dropped, then the handshake
      Future<?> first = executor.submit(() -> answer(tls, ""));
      Future<?> second = executor.submit(() -> answer(tls, ""));
      RuntimeException found =
          TlsMismatch.check(
              new BackendUnavailableException("redis", "x", new IOException("Broken pipe")),
              client,
              node(tls),
              PROBE,
              "a");
      assertThat(found)
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("refused the TLS session")
          .hasMessageContaining("tls.clientCertificate");
      first.get(5, TimeUnit.SECONDS);
      second.get(5, TimeUnit.SECONDS);
    }
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
    } catch (IOException expected) {
      // a TLS server: the plain PING is not TLS, or the client sent no certificate
    }
    return null;
  }
}
