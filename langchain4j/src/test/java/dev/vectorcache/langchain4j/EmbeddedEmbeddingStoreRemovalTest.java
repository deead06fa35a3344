package dev.vectorcache.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreRemoveAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * LangChain4j's {@code EmbeddingStoreWithRemovalIT} and {@code EmbeddingStoreRemoveAllContract},
 * unchanged, on the embedded default.
 */
class EmbeddedEmbeddingStoreRemovalTest extends EmbeddingStoreWithRemovalIT
    implements EmbeddingStoreRemoveAllContract {
  private static VectorCache cache;
  private static VectorCacheEmbeddingStore store;
  private final EmbeddingModel model = new HashingEmbeddingModel();

  @BeforeAll
  static void open() {
    cache =
        Stores.cache(
            new InMemoryVectorStore().async(), new InMemoryMetadataStore().async(), "lc4j");
    store = VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
  }

  @AfterAll
  static void close() {
    cache.close();
  }

  @BeforeEach
  void empty() {
    store.removeAll();
  }

  @Override
  public EmbeddingStore<TextSegment> embeddingStore() {
    return store;
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return model;
  }
}
