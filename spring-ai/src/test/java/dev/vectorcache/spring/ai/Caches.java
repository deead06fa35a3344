package dev.vectorcache.spring.ai;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;

/** The caches the tests run on. */
final class Caches {
  private Caches() {}

  /** A cache over 384-dimension Cosine vectors in {@code collection}, initialised. */
  static VectorCache cache(
      AsyncVectorStore vectors, AsyncMetadataStore metadata, String collection) {
    VectorCache cache =
        VectorCache.builder()
            .collection(collection)
            .collectionConfig(
                CollectionConfig.builder(HashingEmbeddingModel.DIMENSION, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .build();
    cache.initialize();
    return cache;
  }

  /** A cache on the embedded default (in-memory stores). */
  static VectorCache embedded(String collection) {
    return cache(
        new InMemoryVectorStore().async(), new InMemoryMetadataStore().async(), collection);
  }
}
