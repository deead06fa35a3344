package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("TlsMaterial and TlsProbe")
class TlsMaterialTest {
  @TempDir static Path dir;
  static TestCertificates certs;
  static ExecutorService executor;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCertificates.generate(dir);
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    executor.shutdownNow();
  }

  private static TlsConfig.Builder trustingCa() {
    return TlsConfig.builder().trustedCertificates(certs.caCertificate());
  }

  @Nested
  @DisplayName("reads")
  class Reads {
    @Test
    @DisplayName("the CA file into a trust store holding exactly its certificate")
    void trustedCertificates() {
      TlsMaterial m = TlsMaterial.load(trustingCa().build());
      X509TrustManager tm = (X509TrustManager) m.trustManagerFactory().getTrustManagers()[0];
      assertThat(tm.getAcceptedIssuers())
          .singleElement()
          .satisfies(
              c -> assertThat(c.getSubjectX500Principal().getName()).contains("vectorcache test"));
      assertThat(m.keyManagerFactory()).isEmpty();
      assertThat(m.keyManagers()).isEmpty();
    }

    @Test
    @DisplayName("the JVM's trust store when no CA file is given")
    void jvmTrustStore() {
      X509TrustManager tm =
          (X509TrustManager)
              TlsMaterial.load(TlsConfig.defaults()).trustManagerFactory().getTrustManagers()[0];
      assertThat(tm.getAcceptedIssuers().length).isGreaterThan(1);
    }

    @Test
    @DisplayName("a client certificate with its plain or encrypted PKCS#8 key")
    void clientKeys() {
      TlsMaterial plain =
          TlsMaterial.load(
              trustingCa()
                  .clientCertificate(certs.clientCertificate())
                  .clientKey(certs.clientKey())
                  .build());
      TlsMaterial encrypted =
          TlsMaterial.load(
              trustingCa()
                  .clientCertificate(certs.clientCertificate())
                  .clientKey(certs.encryptedClientKey())
                  .keyPassword(certs.keyPassword())
                  .build());
      for (TlsMaterial m : new TlsMaterial[] {plain, encrypted}) {
        X509KeyManager km = (X509KeyManager) m.keyManagers()[0];
        String alias = km.getClientAliases("EC", null)[0];
        assertThat(km.getCertificateChain(alias)[0].getSubjectX500Principal().getName())
            .contains("vectorcache test client");
        assertThat(km.getPrivateKey(alias).getAlgorithm()).isEqualTo("EC");
      }
    }
  }

  @Nested
  @DisplayName("refuses, naming the setting and never the password,")
  class Refuses {
    @Test
    @DisplayName("a missing or non-PEM CA file")
    void badCaFile() {
      assertThatThrownBy(
              () -> TlsMaterial.load(trustingCa().trustedCertificates(dir.resolve("no")).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.trustedCertificates")
          .hasMessageContaining("NoSuchFileException");
      assertThatThrownBy(
              () ->
                  TlsMaterial.load(trustingCa().trustedCertificates(write("x.pem", "hi")).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.trustedCertificates")
          .hasMessageContaining("PEM certificates");
    }

    @Test
    @DisplayName("a wrong key password, an encrypted key without one, and one for a plain key")
    void passwords() {
      char[] wrong = "not-the-password-7731".toCharArray();
      Throwable t =
          catchThrowable(
              () ->
                  TlsMaterial.load(
                      client(certs.encryptedClientKey()).keyPassword(wrong.clone()).build()));
      assertThat(t)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.clientKey")
          .hasMessageContaining("tls.keyPassword");
      assertThat(chainText(t))
          .doesNotContain(new String(wrong))
          .doesNotContain(new String(certs.keyPassword()));
      assertThatThrownBy(() -> TlsMaterial.load(client(certs.encryptedClientKey()).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("encrypted key and tls.keyPassword is not set");
      assertThatThrownBy(
              () ->
                  TlsMaterial.load(
                      client(certs.clientKey()).keyPassword(certs.keyPassword()).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.keyPassword")
          .hasMessageContaining("unencrypted");
    }

    @Test
    @DisplayName("a PKCS#1 or SEC1 key, with the openssl command that converts it")
    void traditionalKey() {
      Path key =
          write("ec.key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
      assertThatThrownBy(() -> TlsMaterial.load(client(key).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.clientKey")
          .hasMessageContaining("openssl pkcs8 -topk8");
      assertThatThrownBy(() -> TlsMaterial.load(client(write("none.key", "nothing")).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no PEM block");
    }

    @Test
    @DisplayName("a key that does not belong to the certificate's algorithm")
    void mismatchedKey() throws Exception {
      // Ed25519: generated at once, unlike an RSA key on a busy machine
      PrivateKey k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(k.getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      assertThatThrownBy(() -> TlsMaterial.load(client(write("ed25519.key", pem)).build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.clientKey")
          .hasMessageContaining("(EC)")
          .hasMessageContaining("EdDSA key");
    }

    private TlsConfig.Builder client(Path key) {
      return trustingCa().clientCertificate(certs.clientCertificate()).clientKey(key);
    }
  }

  @Nested
  @DisplayName("over a real handshake")
  class Handshakes {
    @Test
    @DisplayName("host name verification on refuses a certificate for another host; off accepts it")
    void hostnameVerification() throws Exception {
      try (SSLServerSocket server = tlsServer(certs.wrongHostCertificate(), certs.wrongHostKey())) {
        Throwable on = handshake(server, trustingCa().build());
        assertThat(on).isInstanceOf(SSLHandshakeException.class);
        assertThat(handshake(server, trustingCa().verifyHostname(false).build())).isNull();
      }
    }

    @Test
    @DisplayName("a certificate of another CA is refused even with host name verification off")
    void otherCa() throws Exception {
      try (SSLServerSocket server = tlsServer(certs.serverCertificate(), certs.serverKey())) {
        TlsConfig other =
            TlsConfig.builder()
                .trustedCertificates(certs.otherCaCertificate())
                .verifyHostname(false)
                .build();
        assertThat(handshake(server, other)).isInstanceOf(SSLHandshakeException.class);
        assertThat(handshake(server, trustingCa().build())).isNull();
      }
    }

    @Test
    @DisplayName("TlsProbe tells a TLS port from a plain-text one and from a closed one")
    void probe() throws Exception {
      Duration timeout = Duration.ofSeconds(2);
      try (SSLServerSocket tls = tlsServer(certs.serverCertificate(), certs.serverKey());
          ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
        Future<?> accepting = executor.submit(() -> acceptOnce(tls));
        assertThat(TlsProbe.speaksTls("127.0.0.1", tls.getLocalPort(), timeout)).isTrue();
        accepting.get(5, TimeUnit.SECONDS);
        Future<?> answering = executor.submit(() -> answerPlainText(plain));
        assertThat(TlsProbe.speaksTls("127.0.0.1", plain.getLocalPort(), timeout)).isFalse();
        answering.get(5, TimeUnit.SECONDS);
      }
      int closed;
      try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = gone.getLocalPort();
      }
      assertThat(TlsProbe.speaksTls("127.0.0.1", closed, timeout)).isFalse();
    }

    /** Runs one client handshake against {@code server}; the failure, or null. */
    private Throwable handshake(SSLServerSocket server, TlsConfig tls) throws Exception {
      Future<?> accepting = executor.submit(() -> acceptOnce(server));
      SSLContext context = TlsMaterial.load(tls).sslContext();
      Throwable failure = null;
      try (SSLSocket s =
          (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // as the adapters ask when verifying
        s.setSSLParameters(p);
        s.setSoTimeout(5000);
        s.startHandshake();
      } catch (IOException e) {
        failure = e;
      }
      accepting.get(5, TimeUnit.SECONDS);
      return failure;
    }
  }

  /** A TLS server socket presenting {@code certificate} (loaded as a "client" key pair). */
  private static SSLServerSocket tlsServer(Path certificate, Path key) throws IOException {
    TlsMaterial m =
        TlsMaterial.load(
            TlsConfig.builder()
                .trustedCertificates(certs.caCertificate())
                .clientCertificate(certificate)
                .clientKey(key)
                .build());
    return (SSLServerSocket)
        m.sslContext()
            .getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  private static Void acceptOnce(ServerSocket server) throws IOException {
    try (Socket s = server.accept()) {
      s.setSoTimeout(5000);
      if (s instanceof SSLSocket tls) {
        try {
          tls.startHandshake();
        } catch (IOException expected) {
          // the client refused the certificate, or the probe aborted
        }
      }
    }
    return null;
  }

  /** A plain-text server that answers any bytes with a line of text, as Redis would. */
  private static Void answerPlainText(ServerSocket server) throws IOException {
    try (Socket s = server.accept()) {
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      in.read(new byte[512]);
      OutputStream out = s.getOutputStream();
      out.write("-ERR unknown command\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException expected) {
      // the probe may close first
    }
    return null;
  }

  private static Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String chainText(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }
}
