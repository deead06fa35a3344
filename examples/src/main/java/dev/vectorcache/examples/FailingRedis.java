package dev.vectorcache.examples;

import dev.vectorcache.core.CacheStats;
import dev.vectorcache.core.CircuitBreakerConfig;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.spi.Backends;
import java.time.Duration;
import java.util.Map;

/**
 * README "When Redis fails": a cache with its circuit breaker and write-back queue set, on the
 * embedded stores. {@link #main} stores and reads an entry and prints the statistics the settings
 * show up in.
 */
public final class FailingRedis {
  private FailingRedis() {}

  /** Builds the cache, uses it once, and prints its statistics. */
  public static void main(String[] args) {
    // tag::breaker[]
    VectorCache cache =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(Backends.discover().openEmbeddedVectorStore())
            .metadataStore(Backends.discover().openEmbeddedMetadataStore())
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(5) // open after 5 timeouts or connection failures in a row
                    .failureRate(0.5) // ...or when half of the last 20 calls failed
                    .window(20)
                    .coolDown(Duration.ofSeconds(5)) // then one probe every 5 s
                    .build()) // CircuitBreakerConfig.disabled() turns it off
            .writeBackQueueCapacity(10_000) // write-backs waiting to be sent; more are dropped
            .build();
    // end::breaker[]
    try (cache) {
      cache.initialize();
      cache.store("a", new float[] {1, 0, 0}, Map.of("title", "A"));
      cache.get("a");
      // tag::stats[]
      CacheStats s = cache.stats(); // circuitState(), circuitOpenings(), writeBacksDropped()...
      cache.flushAsync().join(); // wait for queued write-backs (before a shutdown, in tests)
      // end::stats[]
      System.out.println(s.circuitState() + " " + s.stores() + " " + s.writeBacksDropped());
    }
  }
}
