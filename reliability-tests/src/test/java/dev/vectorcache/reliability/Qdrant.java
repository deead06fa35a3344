package dev.vectorcache.reliability;

import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.qdrant.QdrantGrpcOptions;
import dev.vectorcache.qdrant.QdrantVectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.VectorStoreConfig;
import java.time.Duration;

/** The vector side of the scenarios: the Qdrant adapter over real gRPC to the test server. */
final class Qdrant {
  private Qdrant() {}

  /** A test server on a free loopback port that requires the canary API key. */
  static QdrantTestServer startServer() {
    return QdrantTestServer.builder().apiKey(Canaries.QDRANT_API_KEY).start();
  }

  /** The adapter for {@code server}, with the canary API key and {@code timeout} per call. */
  static AsyncVectorStore open(QdrantTestServer server, Duration timeout) {
    return open(server, timeout, QdrantGrpcOptions.DEFAULT_MAX_RETRIES);
  }

  /** The adapter, with {@code maxRetries} retries of an idempotent call within the deadline. */
  static AsyncVectorStore open(QdrantTestServer server, Duration timeout, int maxRetries) {
    return QdrantVectorStore.open(
        VectorStoreConfig.builder()
            .url(server.url())
            .apiKey(Canaries.QDRANT_API_KEY)
            .timeout(timeout)
            .adapterOptions(QdrantGrpcOptions.builder().maxRetries(maxRetries).build())
            .build());
  }
}
