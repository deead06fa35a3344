package dev.vectorcache.spring.ai;

import dev.vectorcache.core.VectorCache;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

/** Spring AI's published {@link BaseVectorStoreTests}, unchanged, on the embedded default. */
class EmbeddedBaseVectorStoreTest extends BaseVectorStoreTests {
  private final VectorCache cache = Caches.embedded("spring-ai-base");

  @AfterEach
  void close() {
    cache.close();
  }

  @Override
  protected void executeTest(Consumer<VectorStore> testFunction) {
    testFunction.accept(VectorCacheVectorStore.builder(cache, new HashingEmbeddingModel()).build());
  }
}
