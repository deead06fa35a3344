package dev.vectorcache.qdrant;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.VectorCacheContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The VectorCache contract, unchanged, with the vectors in Qdrant over real gRPC (the test server
 * on loopback TCP) and the metadata in the in-process store.
 */
class QdrantVectorCacheContractIT extends VectorCacheContract {
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
  protected VectorStore createVectorStore() {
    return Backends.discover()
        .openVectorStore(
            VectorStoreConfig.builder().url(server.url()).timeout(Duration.ofSeconds(10)).build());
  }

  @Override
  protected MetadataStore createMetadataStore() {
    return new InMemoryMetadataStore();
  }
}
