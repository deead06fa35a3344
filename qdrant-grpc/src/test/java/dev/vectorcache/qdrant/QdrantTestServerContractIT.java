package dev.vectorcache.qdrant;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.VectorStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The VectorStore contract, unchanged, over real gRPC on loopback TCP: the Qdrant adapter, opened
 * through the front door, against the Qdrant-compatible test server. Always runs.
 */
class QdrantTestServerContractIT extends VectorStoreContract {
  private static QdrantTestServer server;

  @BeforeAll
  static void startServer() {
    server = QdrantTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected VectorStore createStore() {
    return Backends.discover()
        .openVectorStore(
            VectorStoreConfig.builder()
                .url(server.url())
                .client("qdrant-grpc")
                .timeout(Duration.ofSeconds(10))
                .build());
  }
}
