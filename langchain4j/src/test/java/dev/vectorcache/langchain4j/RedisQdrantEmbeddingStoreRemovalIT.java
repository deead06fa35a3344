package dev.vectorcache.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreRemoveAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LangChain4j's {@code EmbeddingStoreWithRemovalIT} and {@code EmbeddingStoreRemoveAllContract},
 * unchanged, against a real redis-server (Lettuce) and the Qdrant test server over gRPC.
 */
@ExtendWith(RedisServerExtension.class)
class RedisQdrantEmbeddingStoreRemovalIT extends EmbeddingStoreWithRemovalIT
    implements EmbeddingStoreRemoveAllContract {
  private static RedisQdrant backends;
  private final VectorCacheEmbeddingStore store;
  private final EmbeddingModel model = new HashingEmbeddingModel();

  RedisQdrantEmbeddingStoreRemovalIT(RedisServer redis) {
    this.store = backends.store(redis);
  }

  @BeforeAll
  static void open() {
    backends = new RedisQdrant();
  }

  @AfterAll
  static void close() {
    backends.close();
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
