package dev.vectorcache.testkit.redis;

import dev.vectorcache.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS settings of a private {@code redis-server} ({@link RedisProcess#start(Path, RedisTls,
 * List)}): the server listens with TLS only ({@code port 0}, {@code tls-port} on the free port),
 * presents a certificate of {@link TestCertificates} and asks clients for one or not.
 *
 * @param certificates the test certificates (CA, server and client certificates)
 * @param clientAuth whether the server asks clients for a certificate ({@code tls-auth-clients})
 * @param wrongHostCertificate present {@link TestCertificates#wrongHostCertificate()} instead of
 *     the certificate for {@code localhost} and {@code 127.0.0.1}
 */
public record RedisTls(
    TestCertificates certificates, ClientAuth clientAuth, boolean wrongHostCertificate) {
  /** The values of {@code tls-auth-clients}. */
  public enum ClientAuth {
    /** {@code yes}, Redis's default: a client without a certificate is refused. */
    REQUIRED("yes"),
    /** {@code optional}: a certificate is checked when a client sends one. */
    OPTIONAL("optional"),
    /** {@code no}: server-only TLS. */
    NONE("no");

    private final String directive;

    ClientAuth(String directive) {
      this.directive = directive;
    }

    /** The value of {@code tls-auth-clients}. */
    public String directive() {
      return directive;
    }
  }

  /** Checks for nulls. */
  public RedisTls {
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(clientAuth, "clientAuth");
  }

  /** Mutual TLS, Redis's default: the server asks every client for a certificate. */
  public static RedisTls mutual(TestCertificates certificates) {
    return new RedisTls(certificates, ClientAuth.REQUIRED, false);
  }

  /** Server-only TLS ({@code tls-auth-clients no}). */
  public static RedisTls serverOnly(TestCertificates certificates) {
    return new RedisTls(certificates, ClientAuth.NONE, false);
  }

  /** The same settings with the certificate for another host name. */
  public RedisTls withWrongHostCertificate() {
    return new RedisTls(certificates, clientAuth, true);
  }

  /** The configuration lines for a server whose TLS port is {@code port}. */
  List<String> configLines(int port) {
    Path cert =
        wrongHostCertificate
            ? certificates.wrongHostCertificate()
            : certificates.serverCertificate();
    Path key = wrongHostCertificate ? certificates.wrongHostKey() : certificates.serverKey();
    return List.of(
        "port 0",
        "tls-port " + port,
        "tls-cert-file " + quoted(cert),
        "tls-key-file " + quoted(key),
        "tls-ca-cert-file " + quoted(certificates.caCertificate()),
        "tls-auth-clients " + clientAuth.directive());
  }

  /**
   * The lines for a node that also connects to other nodes over TLS (replication, the cluster bus,
   * Sentinel's links). Those outgoing connections present the client certificate: the server
   * certificate is for server authentication only, and a peer that asks for a client certificate
   * refuses it.
   */
  List<String> peerConfigLines() {
    return List.of(
        "tls-replication yes",
        "tls-client-cert-file " + quoted(certificates.clientCertificate()),
        "tls-client-key-file " + quoted(certificates.clientKey()));
  }

  private static String quoted(Path p) {
    return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Sockets for the harness's own control connections: trust the CA, present the client cert. */
  SSLSocketFactory controlSockets() {
    return certificates.clientContext(clientAuth != ClientAuth.NONE).getSocketFactory();
  }
}
