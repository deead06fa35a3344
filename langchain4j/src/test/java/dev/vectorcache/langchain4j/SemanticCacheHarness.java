package dev.vectorcache.langchain4j;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingVectorStore;
import java.time.Instant;

/**
 * A {@link SemanticCache} on the embedded default for the tests: in-memory stores (the vector store
 * behind a recording wrapper that can inject failures), a {@link MutableClock}, {@link
 * WordEmbeddings}, Cosine with threshold 0.9.
 */
final class SemanticCacheHarness implements AutoCloseable {
  final MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
  final InMemoryMetadataStore metadata = new InMemoryMetadataStore(clock);
  final RecordingVectorStore vectors = new RecordingVectorStore(new InMemoryVectorStore());
  final WordEmbeddings embeddings = new WordEmbeddings();
  final VectorCache vectorCache =
      VectorCache.builder()
          .collection("answers")
          .collectionConfig(CollectionConfig.builder(WordEmbeddings.DIM, Distance.COSINE).build())
          .vectorStore(vectors)
          .metadataStore(metadata.async())
          .clock(clock)
          .ownsStores(false)
          .build();
  final SemanticCache cache =
      SemanticCache.builder()
          .vectorCache(vectorCache)
          .ownsCache(false)
          .modelId("words")
          .embeddingFunction(embeddings)
          .threshold(0.9)
          .build();

  SemanticCacheHarness() {
    cache.initialize();
    cache.flushAsync().join();
  }

  @Override
  public void close() {
    vectors.recorder().clearFailures();
    cache.close();
    vectorCache.close();
    metadata.close();
    vectors.close();
  }
}
