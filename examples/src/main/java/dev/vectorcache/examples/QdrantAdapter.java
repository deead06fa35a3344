package dev.vectorcache.examples;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import java.time.Duration;

/**
 * docs/qdrant.md: opening the gRPC adapter through the front door and creating a memory-optimised
 * collection. {@link #main} runs it against the in-process Qdrant-compatible test server, with an
 * API key; against a real Qdrant the URL is {@code http://localhost:6333}.
 */
public final class QdrantAdapter {
  private QdrantAdapter() {}

  /** Starts a test server, opens the adapter on it and prints the collection created. */
  public static void main(String[] args) throws Exception {
    try (QdrantTestServer server = QdrantTestServer.builder().port(0).apiKey("k3y").start()) {
      System.out.println(run(server.url(), "k3y"));
    }
  }

  /** Opens the adapter on {@code url}, creates collection "docs"; returns its info. */
  static String run(String url, String key) throws Exception {
    // tag::open[]
    Backends backends = Backends.discover();
    VectorStoreConfig config =
        VectorStoreConfig.builder().url(url).apiKey(key).timeout(Duration.ofSeconds(5)).build();
    VectorStore store = backends.openVectorStore(config);
    AsyncVectorStore async = backends.openAsyncVectorStore(config); // the native form
    QdrantClient client = store.unwrap(QdrantClient.class); // the official client
    // end::open[]
    try {
      // tag::memory-optimised[]
      store.createCollection("docs", CollectionConfig.memoryOptimized(384, Distance.COSINE));
      // end::memory-optimised[]
      return client.listCollectionsAsync().get()
          + " "
          + store.collectionInfo("docs").config().storageMode();
    } finally {
      async.close();
      store.close();
    }
  }
}
