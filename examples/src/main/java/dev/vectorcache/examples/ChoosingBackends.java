package dev.vectorcache.examples;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.time.Duration;

/**
 * README "Choosing backends": configurations for real servers. {@link #main} builds them and prints
 * which adapter each would open (no I/O); {@link #open} is the opening code, which the tests run
 * against the embedded stores.
 */
public final class ChoosingBackends {
  private ChoosingBackends() {}

  /** Prints the configurations (secrets masked) and the adapter chosen for each. */
  public static void main(String[] args) {
    // tag::configs[]
    VectorStoreConfig qdrant =
        VectorStoreConfig.builder()
            .url("https://qdrant.internal:6333")
            .apiKey(System.getenv("QDRANT_API_KEY")) // never logged, never in toString()
            .timeout(Duration.ofSeconds(5)) // the deadline of every call
            .build();
    MetadataStoreConfig redis =
        MetadataStoreConfig.builder()
            .url("redis://cache:" + System.getenv("REDIS_PASSWORD") + "@redis.internal:6379/0")
            .keyPrefix("orders:") // so several caches can share one Redis
            .commandTimeout(Duration.ofMillis(500))
            .build();
    // end::configs[]
    Backends backends = Backends.discover();
    var vectorStore = backends.resolveVectorStore(qdrant);
    var metadataStore = backends.resolveMetadataStore(redis);
    System.out.println(
        qdrant + " -> " + vectorStore.provider().name() + ": " + vectorStore.reason());
    System.out.println(
        redis + " -> " + metadataStore.provider().name() + ": " + metadataStore.reason());
  }

  /** The two stores the opening code returns; closing closes both. */
  record Stores(VectorStore vectors, MetadataStore metadata) implements AutoCloseable {
    @Override
    public void close() {
      metadata.close();
      vectors.close();
    }
  }

  static Stores open(VectorStoreConfig qdrant, MetadataStoreConfig redis) {
    // tag::open[]
    Backends backends = Backends.discover();
    VectorStore vectors = backends.openVectorStore(qdrant);
    MetadataStore metadata = backends.openMetadataStore(redis); // connects: fails if Redis is down
    // end::open[]
    return new Stores(vectors, metadata);
  }
}
