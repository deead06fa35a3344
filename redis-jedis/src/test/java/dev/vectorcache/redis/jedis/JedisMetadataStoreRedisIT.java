package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.RedisConfig;
import dev.vectorcache.testkit.redis.RedisMetadataStoreReliabilityContract;
import java.util.Set;

/** The Jedis adapter against a real redis-server: commands, pub/sub, faults, resources, secrets. */
class JedisMetadataStoreRedisIT extends RedisMetadataStoreReliabilityContract {
  @Override
  protected MetadataStore open(RedisConfig config) {
    return JedisMetadataStore.open(config);
  }

  @Override
  protected Set<String> threadMarkers() {
    return Set.of("jedis", "commons-pool", "evictor", "pubsub");
  }
}
