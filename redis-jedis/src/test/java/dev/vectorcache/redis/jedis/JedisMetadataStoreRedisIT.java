package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisMetadataStoreReliabilityContract;
import java.util.Set;

/** The Jedis adapter against a real redis-server: commands, pub/sub, faults, resources, secrets. */
class JedisMetadataStoreRedisIT extends RedisMetadataStoreReliabilityContract {
  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    // the pool wait is a Jedis option: bound it like the other timeouts of the contract
    return JedisMetadataStore.open(
        config.mutate().adapterOptions(JedisOptions.builder().maxWait(TIMEOUT).build()).build());
  }

  @Override
  protected Set<String> threadMarkers() {
    return Set.of("jedis", "commons-pool", "evictor", "pubsub");
  }
}
