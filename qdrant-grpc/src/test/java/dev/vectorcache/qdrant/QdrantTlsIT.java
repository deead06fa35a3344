package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grpcs://} against the test server over TLS, with certificates made by {@code openssl} for
 * this class: server-only and mutual TLS, host name verification on and off, a wrong CA, and either
 * side speaking the other protocol, each failure a typed {@link TlsException}.
 */
@DisplayName("The Qdrant adapter over TLS")
class QdrantTlsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The timeout plus scheduling slack on a busy 2-core machine: no retries, one probe at most. */
  private static final Duration FAIL_WITHIN = TIMEOUT.plusMillis(1500);

  @TempDir static Path dir;
  static TestCertificates certs;
  static QdrantTestServer serverOnly;
  static QdrantTestServer mutual;
  static QdrantTestServer wrongHost;
  static QdrantTestServer plain;

  @BeforeAll
  static void startServers() {
    certs = TestCertificates.generate(dir);
    serverOnly =
        QdrantTestServer.builder().tls(certs.serverCertificate(), certs.serverKey()).start();
    mutual =
        QdrantTestServer.builder()
            .tls(certs.serverCertificate(), certs.serverKey())
            .clientCa(certs.caCertificate())
            .start();
    wrongHost =
        QdrantTestServer.builder().tls(certs.wrongHostCertificate(), certs.wrongHostKey()).start();
    plain = QdrantTestServer.start();
  }

  @AfterAll
  static void stopServers() {
    for (QdrantTestServer s : new QdrantTestServer[] {serverOnly, mutual, wrongHost, plain}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static VectorStoreConfig config(String url, TlsConfig tls) {
    return VectorStoreConfig.builder().url(url).timeout(TIMEOUT).tls(tls).build();
  }

  private static TlsConfig.Builder trustingTestCa() {
    return TlsConfig.builder().trustedCertificates(certs.caCertificate());
  }

  /** Creates a collection, upserts and finds the point, then drops the collection. */
  private static void roundTrip(VectorStoreConfig config) {
    try (VectorStore store = QdrantVectorStore.open(config).blocking()) {
      store.createCollection("tls", CollectionConfig.builder(2, Distance.COSINE).build());
      store.upsert("tls", List.of(PointStruct.of(7, new float[] {1, 0})));
      assertThat(store.search("tls", SearchRequest.builder(new float[] {1, 0}, 1).build()))
          .singleElement()
          .satisfies(hit -> assertThat(hit.id()).isEqualTo(PointId.of(7)));
      store.deleteCollection("tls");
    }
  }

  private static Throwable openFailure(VectorStoreConfig config) {
    long start = System.nanoTime();
    Throwable t = catchThrowable(() -> QdrantVectorStore.open(config).close());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("a typed failure within the timeout, plus slack")
        .isLessThan(FAIL_WITHIN);
    return t;
  }

  @Nested
  @DisplayName("connects")
  class Connects {
    @Test
    @DisplayName("with server-only TLS, trusting the test CA, host name verified (the default)")
    void serverOnlyTls() {
      roundTrip(config(serverOnly.url(), trustingTestCa().build()));
    }

    @Test
    @DisplayName("with mutual TLS, presenting a client certificate whose key is encrypted")
    void mutualTls() {
      roundTrip(
          config(
              mutual.url(),
              trustingTestCa()
                  .clientCertificate(certs.clientCertificate())
                  .clientKey(certs.encryptedClientKey())
                  .keyPassword(certs.keyPassword())
                  .build()));
    }

    @Test
    @DisplayName("to a certificate for another host when host name verification is off")
    void hostnameVerificationOff() {
      roundTrip(config(wrongHost.url(), trustingTestCa().verifyHostname(false).build()));
    }
  }

  @Nested
  @DisplayName("fails with a TlsException")
  class Fails {
    @Test
    @DisplayName("when the server's CA is not trusted: another CA, or the JVM's trust store")
    void wrongCa() {
      TlsConfig otherCa =
          TlsConfig.builder()
              .trustedCertificates(certs.otherCaCertificate())
              .verifyHostname(false)
              .build();
      assertThat(openFailure(config(serverOnly.url(), otherCa)))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("127.0.0.1:" + serverOnly.port())
          .hasMessageContaining("TLS handshake failed");
      assertThat(openFailure(config(serverOnly.url(), TlsConfig.defaults())))
          .isInstanceOf(TlsException.class);
    }

    @Test
    @DisplayName("when the certificate names another host and host name verification is on")
    void wrongHost() {
      assertThat(openFailure(config(wrongHost.url(), trustingTestCa().build())))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("TLS handshake failed");
    }

    @Test
    @DisplayName("when mutual TLS is required and no client certificate is given")
    void missingClientCertificate() {
      assertThat(openFailure(config(mutual.url(), trustingTestCa().build())))
          .isInstanceOf(TlsException.class);
    }

    @Test
    @DisplayName("when grpc:// (plain text) is used for a TLS server, within the timeout")
    void plainTextToTls() {
      String url = "grpc://127.0.0.1:" + serverOnly.port();
      assertThat(openFailure(config(url, TlsConfig.defaults())))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("expects TLS")
          .hasMessageContaining("grpcs://");
    }

    @Test
    @DisplayName("when grpcs:// (TLS) is used for a plain-text server")
    void tlsToPlainText() {
      String url = "grpcs://127.0.0.1:" + plain.port();
      assertThat(openFailure(config(url, trustingTestCa().build())))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("TLS handshake failed");
      assertThat(plain.requestCount("HealthCheck")).isZero();
    }
  }
}
