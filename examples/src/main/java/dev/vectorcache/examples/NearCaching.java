package dev.vectorcache.examples;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.spi.Backends;
import java.util.List;
import java.util.Map;

/**
 * README "Near cache": a cache that keeps the metadata of recent hits in the JVM. {@link #main}
 * searches twice and prints where each search's hit came from and the near cache's counters.
 */
public final class NearCaching {
  private NearCaching() {}

  /** Builds the cache, searches twice, prints the hits' sources and the counters. */
  public static void main(String[] args) {
    // tag::near[]
    VectorCache cache =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(Backends.discover().openEmbeddedVectorStore())
            .metadataStore(Backends.discover().openEmbeddedMetadataStore())
            .nearCache(10_000) // metadata of up to 10,000 hits, by key and version
            .build();
    // end::near[]
    try (cache) {
      cache.initialize();
      cache.store("a", new float[] {1, 0, 0}, Map.of("title", "A"));
      float[] query = {1, 0.1f, 0};
      // tag::sources[]
      List<CacheHit> first = cache.searchSimilar(query, 5); // Source.METADATA_STORE: one MGET
      List<CacheHit> again = cache.searchSimilar(query, 5); // Source.NEAR_CACHE: nothing read
      long saved = cache.stats().nearCacheHits(); // also vectorcache.hits{tier="near_cache"}
      // end::sources[]
      System.out.println(first.get(0).source() + " " + again.get(0).source() + " " + saved);
    }
  }
}
