package dev.vectorcache.langchain4j;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.qdrant.QdrantVectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.redis.lettuce.LettuceAsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link VectorCache} over a real redis-server (Lettuce) and the Qdrant test server over real
 * gRPC ({@code QdrantVectorStore}), opened once per test class and closed by {@link #close()}.
 */
final class RedisQdrant implements AutoCloseable {
  private final QdrantTestServer qdrant;
  private @Nullable VectorCache cache;
  private @Nullable VectorCacheEmbeddingStore store;

  RedisQdrant() {
    this.qdrant = QdrantTestServer.start();
  }

  /** The cache, opened on the first call against {@code redis}. */
  synchronized VectorCache cache(RedisServer redis) {
    if (cache == null) {
      cache =
          Stores.cache(
              QdrantVectorStore.open(VectorStoreConfig.fromUrl(qdrant.url())),
              LettuceAsyncMetadataStore.open(
                  MetadataStoreConfig.builder().url(redis.url()).keyPrefix("lc4j:").build()),
              "lc4j");
    }
    return cache;
  }

  /** The embedding store over {@link #cache(RedisServer)}, built once. */
  synchronized VectorCacheEmbeddingStore store(RedisServer redis) {
    if (store == null) {
      store = VectorCacheEmbeddingStore.builder().vectorCache(cache(redis)).build();
    }
    return store;
  }

  @Override
  public synchronized void close() {
    if (cache != null) {
      cache.close();
    }
    qdrant.close();
  }
}
