package dev.vectorcache.qdrant;

import dev.vectorcache.core.ConfigurationException;
import dev.vectorcache.spi.QdrantConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.util.List;

/**
 * Reads a {@link QdrantConfig} into the official client, the call engine and the names of the
 * server used in messages. Makes no call: {@link QdrantVectorStore} checks the server once the
 * client exists.
 */
final class QdrantConnector {
  private static final List<String> SCHEMES = List.of("http", "https", "grpc", "grpcs");

  private QdrantConnector() {}

  /** A client for the server of {@code config}, after checking that its URL is one for gRPC. */
  static QdrantClient client(QdrantConfig config) {
    String scheme = config.scheme();
    if (!SCHEMES.contains(scheme)) {
      throw new ConfigurationException(
          "the qdrant-grpc store opens http(s):// or grpc(s):// URLs, not " + scheme + ":");
    }
    QdrantGrpcClient.Builder builder =
        QdrantGrpcClient.newBuilder(
                config.host(), config.grpcPort(), config.tls(), config.checkCompatibility())
            .withTimeout(config.timeout());
    if (config.apiKey() != null) {
      builder.withApiKey(config.apiKey());
    }
    return new QdrantClient(builder.build());
  }

  /** The call engine for the server of {@code config}: its timeout, retries and address. */
  static QdrantCalls calls(QdrantConfig config) {
    return new QdrantCalls(
        address(config), config.timeout(), config.maxRetries(), QdrantCalls.DEFAULT_BACKOFF);
  }

  /** {@code grpc://host:port} or {@code grpcs://host:port}, for {@code toString} and ping. */
  static String target(QdrantConfig config) {
    return (config.tls() ? "grpcs://" : "grpc://") + address(config);
  }

  /** {@code host:port}, named in every error message; never the API key. */
  static String address(QdrantConfig config) {
    return SCHEMES.contains(config.scheme())
        ? config.host() + ":" + config.grpcPort()
        : "(a caller-supplied client)";
  }
}
