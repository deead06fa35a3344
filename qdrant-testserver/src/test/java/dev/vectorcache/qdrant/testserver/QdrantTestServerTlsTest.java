package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.testkit.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.TlsChannelCredentials;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test server over TLS, server-only and mutual, from the builder and from the command line. */
@DisplayName("The test server over TLS")
class QdrantTestServerTlsTest {
  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCertificates.generate(dir);
  }

  @Test
  @DisplayName("serves grpcs:// to a client trusting its CA, and not to a plain-text client")
  void serverOnly() throws Exception {
    try (QdrantTestServer server =
        QdrantTestServer.builder().tls(certs.serverCertificate(), certs.serverKey()).start()) {
      assertThat(server.tls()).isTrue();
      assertThat(server.url()).startsWith("grpcs://127.0.0.1:");
      assertThat(server.toString()).contains("tls");
      assertThat(listCollections(server.port(), trusting().build())).isEmpty();
      assertThatThrownBy(() -> plainText(server.port()))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("UNAVAILABLE");
    }
  }

  @Test
  @DisplayName("with a client CA, serves only clients presenting a certificate it signed")
  void mutual() throws Exception {
    try (QdrantTestServer server =
        QdrantTestServer.builder()
            .tls(certs.serverCertificate(), certs.serverKey())
            .clientCa(certs.caCertificate())
            .start()) {
      assertThat(listCollections(server.port(), withClientCertificate())).isEmpty();
      assertThatThrownBy(() -> listCollections(server.port(), trusting().build()))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("UNAVAILABLE");
    }
  }

  @Test
  @DisplayName("refuses a client CA without a server certificate")
  void clientCaNeedsTls() {
    assertThatThrownBy(() -> QdrantTestServer.builder().clientCa(certs.caCertificate()).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clientCa needs tls");
  }

  @Test
  @DisplayName("runs with --tls-cert, --tls-key and --tls-client-ca from the command line")
  void commandLine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    QdrantTestServerMain.class.getName(),
                    "--port",
                    "0",
                    "--tls-cert",
                    certs.serverCertificate().toString(),
                    "--tls-key",
                    certs.serverKey().toString(),
                    "--tls-client-ca",
                    certs.caCertificate().toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine);
      int port = Integer.parseInt(first.trim());
      assertThat(listCollections(port, withClientCertificate())).isEmpty();
      assertThatThrownBy(() -> listCollections(port, trusting().build()))
          .isInstanceOf(ExecutionException.class);
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }

  private static TlsChannelCredentials.Builder trusting() throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(certs.caCertificate().toFile());
  }

  private static ChannelCredentials withClientCertificate() throws IOException {
    return trusting()
        .keyManager(certs.clientCertificate().toFile(), certs.clientKey().toFile())
        .build();
  }

  private static List<String> listCollections(int port, ChannelCredentials credentials)
      throws Exception {
    try (QdrantClient client =
        new QdrantClient(
            QdrantGrpcClient.newBuilder(
                    Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build(),
                    true,
                    false)
                .build())) {
      return client.listCollectionsAsync().get(10, TimeUnit.SECONDS);
    }
  }

  private static void plainText(int port) throws Exception {
    try (QdrantClient client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {
      client.listCollectionsAsync().get(10, TimeUnit.SECONDS);
    }
  }
}
