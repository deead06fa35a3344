package dev.vectorcache.spring.ai;

import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

/**
 * Spring AI's published {@link BaseVectorStoreTests}, unchanged, against a real redis-server
 * (Lettuce) and the Qdrant test server over gRPC.
 */
@ExtendWith(RedisServerExtension.class)
class RedisQdrantBaseVectorStoreIT extends BaseVectorStoreTests {
  private final RedisQdrant backends;

  RedisQdrantBaseVectorStoreIT(RedisServer redis) {
    this.backends = new RedisQdrant(redis, "base" + System.nanoTime());
  }

  @AfterEach
  void close() {
    backends.close();
  }

  @Override
  protected void executeTest(Consumer<VectorStore> testFunction) {
    testFunction.accept(
        VectorCacheVectorStore.builder(backends.cache(), new HashingEmbeddingModel()).build());
  }
}
