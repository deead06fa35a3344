package dev.vectorcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/qdrant.md "From JUnit 5": the test server as a JUnit 5 extension, as a user writes it. */
class QdrantTestServerJUnitExampleTest {
  // tag::extension[]
  @ExtendWith(QdrantTestServerExtension.class)
  // end::extension[]
  @Nested
  // tag::extension[]
  class MyTest {
    @Test // one server per class, faults cleared after each test
    void search(QdrantTestServer server) {
      // server.url() is grpc://127.0.0.1:PORT; server.faults() injects failures
      // end::extension[]
      try (VectorStore store = Backends.discover().openVectorStore(server.url())) {
        store.createCollection("docs", CollectionConfig.memoryOptimized(8, Distance.COSINE));
        assertThat(store.listCollections()).containsExactly("docs");
      }
      // tag::extension[]
    }
  }

  // end::extension[]

  @Nested
  class WithAnApiKey {
    // tag::api-key[]
    @RegisterExtension
    static final QdrantTestServerExtension QDRANT = QdrantTestServerExtension.withApiKey("k");

    // end::api-key[]

    @Test
    void callsCarryTheKey(QdrantTestServer server) {
      assertThat(server.apiKeyRequired()).isTrue();
      VectorStoreConfig config = VectorStoreConfig.builder().url(server.url()).apiKey("k").build();
      try (VectorStore store = Backends.discover().openVectorStore(config)) {
        assertThat(store.listCollections()).isEmpty();
      }
    }
  }
}
