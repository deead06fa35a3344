package dev.vectorcache.qdrant;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.VectorCacheMigrationContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The model-migration contract with the vectors in Qdrant over real gRPC (the test server on
 * loopback TCP: collections, aliases, scroll and retrieve as the server answers them) and the
 * metadata in the in-process store.
 */
class QdrantVectorCacheMigrationIT extends VectorCacheMigrationContract {
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
