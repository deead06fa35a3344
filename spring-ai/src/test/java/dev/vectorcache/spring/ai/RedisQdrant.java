package dev.vectorcache.spring.ai;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.qdrant.QdrantVectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.redis.lettuce.LettuceAsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;

/**
 * A {@link VectorCache} over a real redis-server (Lettuce) and the Qdrant test server over real
 * gRPC ({@code QdrantVectorStore}); closing it closes the cache and the Qdrant server.
 */
final class RedisQdrant implements AutoCloseable {
  private final QdrantTestServer qdrant;
  private final VectorCache cache;

  RedisQdrant(RedisServer redis, String collection) {
    this.qdrant = QdrantTestServer.start();
    this.cache =
        Caches.cache(
            QdrantVectorStore.open(VectorStoreConfig.fromUrl(qdrant.url())),
            LettuceAsyncMetadataStore.open(
                MetadataStoreConfig.builder()
                    .url(redis.url())
                    .keyPrefix("sai-" + collection + ":")
                    .build()),
            collection);
  }

  VectorCache cache() {
    return cache;
  }

  @Override
  public void close() {
    cache.close();
    qdrant.close();
  }
}
