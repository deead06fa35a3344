package dev.vectorcache.examples;

// tag::quickstart[]
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.spi.Backends;
import java.time.Duration;
import java.util.List;
import java.util.Map;

public class QuickStart {
  public static void main(String[] args) {
    // The embedded in-process stores. For real servers use
    // backends.openVectorStore("grpc://localhost:6334") and
    // backends.openMetadataStore("redis://localhost:6379") with the adapter jars on the classpath.
    Backends backends = Backends.discover();
    try (VectorCache cache =
        VectorCache.builder()
            .collection("articles")
            .collectionConfig(CollectionConfig.memoryOptimized(3, Distance.COSINE))
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .defaultTtl(Duration.ofHours(1))
            .build()) {
      cache.initialize();

      cache.store("intro", new float[] {0.9f, 0.1f, 0.0f}, Map.of("title", "Intro", "lang", "en"));
      cache.store("setup", new float[] {0.7f, 0.3f, 0.1f}, Map.of("title", "Setup", "lang", "en"));
      cache.store("faq-de", new float[] {0.8f, 0.2f, 0.0f}, Map.of("title", "FAQ", "lang", "de"));

      List<CacheHit> hits =
          cache.searchSimilar(
              new float[] {1.0f, 0.0f, 0.0f}, 2, Filter.must(Condition.match("lang", "en")), null);
      for (CacheHit hit : hits) {
        System.out.printf("%-6s %.3f %s%n", hit.key(), hit.score(), hit.metadata().get("title"));
      }
    }
  }
}
// end::quickstart[]
