package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The VectorCache contract, unchanged, with metadata in a real redis-server over Jedis. */
@ExtendWith(RedisServerExtension.class)
class JedisVectorCacheContractIT extends VectorCacheContract {
  private final RedisServer server;

  JedisVectorCacheContractIT(RedisServer server) {
    this.server = server;
  }

  @Override
  protected VectorStore createVectorStore() {
    return new InMemoryVectorStore();
  }

  @Override
  protected MetadataStore createMetadataStore() {
    return JedisMetadataStore.open(
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("cache-contract-jedis:")
            .commandTimeout(Duration.ofSeconds(2))
            .build());
  }
}
