package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisOutageVectorCacheContract;
import dev.vectorcache.testkit.redis.RedisServer;
import java.time.Duration;

/** VectorCache over Lettuce keeps working while redis-server is down. */
class LettuceRedisOutageIT extends RedisOutageVectorCacheContract {
  LettuceRedisOutageIT(RedisServer redis) {
    super(redis);
  }

  @Override
  protected MetadataStore openMetadataStore(String url) {
    return LettuceMetadataStore.open(
        MetadataStoreConfig.builder()
            .url(url)
            .keyPrefix("outage-lettuce:")
            .commandTimeout(TIMEOUT)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  @Override
  protected VectorStore openVectorStore() {
    return new InMemoryVectorStore();
  }
}
