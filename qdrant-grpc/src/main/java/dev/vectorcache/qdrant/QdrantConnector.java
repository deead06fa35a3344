package dev.vectorcache.qdrant;

import dev.vectorcache.qdrant.common.GrpcLogging;
import dev.vectorcache.spi.AdapterChecks;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;

/**
 * Reads a {@link VectorStoreConfig} into the official client (over the channel of {@link
 * QdrantChannels}), the call engine and the names of the server used in messages. Makes no call:
 * {@link QdrantVectorStore} checks the server once the client exists.
 */
final class QdrantConnector {
  private QdrantConnector() {}

  /**
   * A client for the server of {@code config}, after refusing what this adapter cannot honour
   * (options of another adapter, a cluster or Sentinel topology, TLS files, host name verification
   * switched off).
   */
  static QdrantClient client(VectorStoreConfig config) {
    config.checkAdapterOptions(QdrantGrpcOptions.ADAPTER);
    GrpcLogging.quietStartupChatter();
    HostAndPort node = node(config);
    AdapterChecks.refuseTlsFiles(config.tls(), QdrantGrpcOptions.ADAPTER);
    AdapterChecks.refuseHostnameVerificationOff(config.tls(), QdrantGrpcOptions.ADAPTER);
    // The client's own compatibility check is a blocking health call without a deadline; the
    // store checks the version on its one health call at open instead (QdrantVectorStore).
    QdrantGrpcClient.Builder builder =
        QdrantGrpcClient.newBuilder(
                QdrantChannels.open(
                    node.host(), node.port(), config.tlsEnabled(), config.timeout()),
                true,
                false)
            .withTimeout(config.timeout());
    if (config.apiKey() != null) {
      builder.withApiKey(config.apiKey());
    }
    return new QdrantClient(builder.build());
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
