package dev.vectorcache.examples;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.MigrationPlan;
import dev.vectorcache.core.MigrationResult;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.spi.Backends;
import java.util.List;
import java.util.Map;

/**
 * Moves a cache from one embedding model to another of a different dimension while it stays in use:
 * {@link VectorCache#migrate}. Two toy "models" stand in for real ones.
 */
public class ModelMigration {
  public static void main(String[] args) {
    Backends backends = Backends.discover();
    try (VectorCache cache =
        VectorCache.builder()
            .collection("articles")
            .collectionConfig(CollectionConfig.memoryOptimized(3, Distance.COSINE))
            .modelId("toy-3")
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build()) {
      cache.initialize();
      for (String text : List.of("memory-mapped vectors", "int8 quantization", "redis copies")) {
        cache.store(text, embed(text, 3), Map.of("text", text));
      }
      // tag::migrate[]
      // The new model, its collection settings, and how an entry gets its new vector: here from
      // the text kept in its metadata. Until the switch, the cache keeps taking (and searching
      // with) vectors of the current model; it computes the new ones itself for every write.
      MigrationPlan plan =
          MigrationPlan.builder(
                  "toy-5",
                  CollectionConfig.memoryOptimized(5, Distance.COSINE),
                  (entry, previousVector) -> embed(String.valueOf(entry.metadata().get("text")), 5))
              .batchSize(256)
              .progressListener(p -> System.out.println("copied so far: " + p.copied()))
              .build();
      // resumes a migration a crash left unfinished (cache.pendingMigration() shows it)
      MigrationResult result = cache.migrate(plan);
      System.out.println(
          "copied "
              + result.copied()
              + ", skipped as newer "
              + result.skippedAsNewer()
              + ", failed "
              + result.failed()
              + "; now "
              + cache.modelId()
              + " in "
              + result.collection());
      // end::migrate[]
      List<CacheHit> hits = cache.searchSimilar(embed("int8 quantization", 5), 1);
      System.out.println("nearest: " + hits.get(0).key());
    }
  }

  /** A toy embedding model of {@code dimension}: character sums, never the zero vector. */
  static float[] embed(String text, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < text.length(); i++) {
      v[i % dimension] += text.charAt(i) % 7;
    }
    for (int d = 0; d < dimension; d++) {
      v[d] += 1;
    }
    return v;
  }
}
