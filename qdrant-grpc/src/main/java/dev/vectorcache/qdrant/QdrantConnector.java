package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.qdrant.common.GrpcLogging;
import dev.vectorcache.spi.AdapterChecks;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.TlsMaterial;
import dev.vectorcache.spi.TlsProbe;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link VectorStoreConfig} into the official client (over the channel of {@link
 * QdrantChannels}), the call engine and the names of the server used in messages. Makes no call:
 * {@link QdrantVectorStore} checks the server once the client exists.
 */
final class QdrantConnector {
  private static final Duration MAX_PROBE = Duration.ofSeconds(1);

  private QdrantConnector() {}

  /**
   * A client for the server of {@code config}, after refusing what this adapter cannot honour
   * (options of another adapter, a cluster or Sentinel topology) and reading the TLS files of a
   * {@code grpcs://} or {@code https://} URL ({@link TlsMaterial}).
   */
  static QdrantClient client(VectorStoreConfig config) {
    config.checkAdapterOptions(QdrantGrpcOptions.ADAPTER);
    GrpcLogging.quietStartupChatter();
    HostAndPort node = node(config);
    TlsMaterial tls = config.tlsEnabled() ? TlsMaterial.load(config.tls()) : null;
    // The client's own compatibility check is a blocking health call without a deadline; the
    // store checks the version on its one health call at open instead (QdrantVectorStore).
    QdrantGrpcClient.Builder builder =
        QdrantGrpcClient.newBuilder(
                QdrantChannels.open(node.host(), node.port(), tls, config.timeout()), true, false)
            .withTimeout(config.timeout());
    if (config.apiKey() != null) {
      builder.withApiKey(config.apiKey());
    }
    return new QdrantClient(builder.build());
  }

  /**
   * The failure of the health call on open, or a {@link TlsException} when it is a plain-text
   * client's call to a TLS port: the server drops the connection, which gRPC reports as
   * UNAVAILABLE; one TLS handshake attempt ({@link TlsProbe}, within the timeout and at most a
   * second) tells it from a server that is down.
   */
  static RuntimeException explainOpenFailure(RuntimeException failure, VectorStoreConfig config) {
    if (config.isEmbedded()
        || !(failure instanceof BackendUnavailableException)
        || failure instanceof TlsException
        || has(failure, ConnectException.class)) {
      return failure;
    }
    HostAndPort node = node(config);
    Duration probe = config.timeout().compareTo(MAX_PROBE) < 0 ? config.timeout() : MAX_PROBE;
    if (config.tlsEnabled()) {
      // a server that refuses our certificate (or its absence) closes the connection after the
      // handshake, which gRPC reports as UNAVAILABLE: one handshake of our own reads its alert
      String reason = handshakeFailure(node, TlsMaterial.load(config.tls()), probe);
      if (reason == null) {
        return failure;
      }
      return new TlsException(
          QdrantErrors.BACKEND,
          "Qdrant at "
              + node
              + ": the TLS handshake failed ("
              + reason
              + "); check the client certificate and key, and the CA the server trusts",
          failure.getCause() == null ? failure : failure.getCause());
    }
    if (!TlsProbe.speaksTls(node.host(), node.port(), probe)) {
      return failure;
    }
    return new TlsException(
        QdrantErrors.BACKEND,
        "Qdrant at "
            + node
            + " expects TLS but the URL is plain text (grpc:// or http://); use grpcs:// or"
            + " https://",
        failure.getCause() == null ? failure : failure.getCause());
  }

  /**
   * The JSSE's reason when a TLS handshake with this material fails at {@code node}, including an
   * alert the server sends right after it (TLS 1.3 refuses a client certificate that way); null
   * when the handshake succeeds or the server cannot be reached. Sends no credentials.
   */
  private static @Nullable String handshakeFailure(
      HostAndPort node, TlsMaterial tls, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    try (SSLSocket socket = (SSLSocket) tls.sslContext().getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(node.host(), node.port()), millis);
      socket.setSoTimeout(millis);
      SSLParameters params = socket.getSSLParameters();
      params.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(params);
      socket.startHandshake();
      int unused = socket.getInputStream().read(); // the server's alert, if it refused us
      return null;
    } catch (SSLException e) {
      return String.valueOf(e.getMessage());
    } catch (IOException | RuntimeException e) {
      return null; // a read timeout: the server accepted the handshake and waits for HTTP/2
    }
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The call engine for the server of {@code config}: its timeout, retries and address. */
  static QdrantCalls calls(VectorStoreConfig config) {
    QdrantGrpcOptions options = options(config);
    return new QdrantCalls(
        address(config), config.timeout(), options.maxRetries(), options.retryBackoff());
  }

  /** {@code grpc://host:port} or {@code grpcs://host:port}, for {@code toString} and ping. */
  static String target(VectorStoreConfig config) {
    return (config.tlsEnabled() ? "grpcs://" : "grpc://") + address(config);
  }

  /** {@code host:port}, named in every error message; never the API key. */
  static String address(VectorStoreConfig config) {
    return config.isEmbedded() ? "(a caller-supplied client)" : node(config).toString();
  }

  private static HostAndPort node(VectorStoreConfig config) {
    return AdapterChecks.standaloneNode(
        config.topology(), QdrantGrpcOptions.ADAPTER, "http(s):// and grpc(s)://");
  }

  /** Whether the store compares the server's version with the client's on open. */
  static boolean checkCompatibility(VectorStoreConfig config) {
    return options(config).checkCompatibility();
  }

  private static QdrantGrpcOptions options(VectorStoreConfig config) {
    return config.adapterOptions(QdrantGrpcOptions.class).orElseGet(QdrantGrpcOptions::defaults);
  }
}
